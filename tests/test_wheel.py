"""The data ships inside the wheel: an installed wheel loads and validates without the clone."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _installer() -> list[str] | None:
    """uv beside this interpreter (what `make` installs with), else None for plain pip."""
    uv = Path(sys.executable).with_name("uv")
    return [str(uv)] if uv.exists() else None


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    uv = _installer()  # an environment made by uv has no pip of its own
    if uv:
        build = [*uv, "build", "--quiet", "--wheel", "-o", str(out / "dist"), str(REPO)]
    else:
        build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                 str(out / "dist"), str(REPO)]
    subprocess.run(build, check=True, timeout=300)
    (wheel,) = (out / "dist").glob("coopstats-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "coopstats/data/facts/liaocheng_pengshui_2025.csv" in names
    assert "coopstats/data/indicators.csv" in names
    assert "coopstats/figures/geo/outlines.geojson" in names  # the map's outlines ship too
    if uv:
        install = [*uv, "pip", "install", "--quiet", "--no-deps", "--python", sys.executable,
                   "--target", str(out / "site"), str(wheel)]
    else:
        install = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                   "--target", str(out / "site"), str(wheel)]
    subprocess.run(install, check=True, timeout=300)
    return out / "site"


@pytest.mark.slow
def test_wheel_loads_its_own_data(installed_wheel, tmp_path, sources):
    code = (
        "import coopstats;"
        "d = coopstats.data_dir();"
        "f = coopstats.load_facts();"
        f"print(d); print(len(f)); print(coopstats.validate(sources=r'{sources}'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(installed_wheel)
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data_dir, n_facts, problems = proc.stdout.splitlines()
    assert Path(data_dir).is_relative_to(installed_wheel)
    assert int(n_facts) > 150
    assert problems == "[]"
