"""The HTML report opens in a real headless browser (Debian's Chromium driven by Playwright):
every page loads, every image displays, nothing is fetched from the network, and screenshots
are written for review. Without Chromium the test is skipped locally and fails in CI."""

from __future__ import annotations

import nbformat
import pytest
from conftest import unavailable

from coopstats.cli import main
from coopstats.report.check import check_report, find_chromium

# runs notebooks, kernels or a browser: part of make test, not of the fast loop
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chromium():
    try:
        import playwright  # noqa: F401
    except ImportError:
        found = None
    else:
        found = find_chromium()
    if found is None:
        unavailable("Chromium/Playwright not available: run scripts/ensure-chromium.sh "
                    "(Debian's chromium) and install coopstats[browser]")
    return found


def _png_outputs(path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum("image/png" in o.get("data", {})
               for c in nb.cells for o in c.get("outputs", []))


def test_report_opens_in_chromium_with_every_image(report, chromium):
    out, results = report.out, report.results
    check = check_report(out)
    assert check.problems == []
    assert check.pages == ["index.html"] + [f"{r.name}.html" for r in results]
    # the index shows every figure file; each notebook page shows every figure it drew
    assert check.images["index.html"] == len(list((out / "figures").glob("*.png")))
    for r in results:
        drawn = _png_outputs(out / f"{r.name}.ipynb")
        assert drawn >= 1, f"{r.name} shows no figure"
        assert check.images[f"{r.name}.html"] == drawn
    assert [p.name for p in check.screenshots] == (
        ["index.png"] + [f"{r.name}.png" for r in results])
    for shot in check.screenshots:
        assert shot.parent == out / "screenshots"
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5_000


@pytest.fixture()
def broken_report(tmp_path):
    out = tmp_path / "build"
    (out / "figures").mkdir(parents=True)
    (out / "index.html").write_text(
        '<!doctype html><title>r</title><a href="a.html">a</a> <a href="gone.html">gone</a>'
        '<img src="figures/missing.png" alt="x"><a href="figures/missing.svg">svg</a>',
        encoding="utf-8")
    (out / "a.html").write_text(
        '<!doctype html><title>a</title><script src="https://cdn.example.invalid/x.js">'
        "</script><script>undefinedFunction()</script>"
        '<img src="data:image/png;base64,AAAA" alt="corrupt">', encoding="utf-8")
    return out


def test_broken_report_gives_one_line_per_problem(broken_report, chromium, capsys):
    check = check_report(broken_report, screenshots=False)
    text = "\n".join(check.problems)
    assert "index.html: image figures/missing.png does not display (HTTP 404)" in text
    assert "gone.html: does not load: HTTP 404" in text
    assert "index.html: link figures/missing.svg: HTTP 404" in text
    assert "a.html: requests https://cdn.example.invalid/x.js" in text
    assert "a.html: script error:" in text and "undefinedFunction" in text
    assert "a.html: image data:image/png;base64,AAAA does not display" in text
    assert check.screenshots == [] and not (broken_report / "screenshots").exists()

    assert main(["check-report", str(broken_report)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == check.problems  # one line each, nothing else
    assert len(check.problems) == 6
    assert "Traceback" not in captured.out + captured.err


def test_missing_browser_is_a_clear_message(broken_report, monkeypatch, capsys):
    monkeypatch.setenv("COOPSTATS_CHROMIUM", str(broken_report / "no-such-chromium"))
    assert main(["check-report", str(broken_report)]) == 2
    assert main(["check-report", str(broken_report), "--optional"]) == 0
    err = capsys.readouterr().err
    assert "no Chromium found" in err and "Traceback" not in err
