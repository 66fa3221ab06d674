"""The data ships inside the wheel: an installed wheel loads and validates without the clone."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                    str(out / "dist"), str(REPO)], check=True, timeout=300)
    (wheel,) = (out / "dist").glob("coopstats-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "coopstats/data/facts/liaocheng_pengshui_2025.csv" in names
    assert "coopstats/data/indicators.csv" in names
    assert "coopstats/geo/outlines.geojson" in names  # the map's outlines ship too
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(out / "site"), str(wheel)], check=True, timeout=300)
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
