"""Check the HTML report in a real headless browser (Chromium driven by Playwright).

``coopstats check-report build`` serves ``build/`` on a loopback port, opens ``index.html`` and
every page it links in headless Chromium, and reports, one line each, any page that does not
load, any image that does not decode, any request that fails or leaves the machine, and any
script error. It writes screenshots to ``build/screenshots/`` for a human to look at, and
refuses to when the report folder is inside a data folder.

Chromium comes from the system (Debian's ``chromium`` package; ``scripts/ensure-chromium.sh``
installs it where it can); Playwright is only the driver, so no browser is downloaded.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from coopstats.dataset._atomic import OutputError, atomic_path, refuse_data_dir
from coopstats.dataset.locations import data_dir

__all__ = ["BrowserUnavailable", "ReportCheck", "check_report", "find_chromium"]

#: Flags for a quiet headless start on a closed network (no background fetches, no sync).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# Every <img> on the page: force lazy images to load, then wait until each decodes or fails.
_IMAGES_JS = """async () => {
  const imgs = [...document.images];
  for (const img of imgs) { img.loading = "eager"; }
  const results = await Promise.all(imgs.map(img => img.decode().then(
    () => [img.getAttribute("src").slice(0, 60), img.naturalWidth, true],
    () => [img.getAttribute("src").slice(0, 60), img.naturalWidth, false])));
  return results;
}"""


class BrowserUnavailable(RuntimeError):
    """Chromium or Playwright is not installed; the message says how to get them."""


@dataclass
class ReportCheck:
    """What the browser saw: pages opened, images decoded, screenshots and problems."""

    pages: list[str] = field(default_factory=list)
    images: dict[str, int] = field(default_factory=dict)
    screenshots: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def find_chromium() -> str | None:
    """Path of a Chromium executable: ``$COOPSTATS_CHROMIUM``, else ``chromium`` on PATH."""
    env = os.environ.get("COOPSTATS_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the base class logs every request to stderr
        pass


def _serve(folder: Path) -> ThreadingHTTPServer:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def check_report(out_dir: Path, *, screenshots: bool = True,
                 progress: Callable[[str], None] | None = None) -> ReportCheck:
    """Open the report in headless Chromium and list what is broken.

    Parameters
    ----------
    out_dir : Path
        The report folder written by ``coopstats notebooks`` (contains ``index.html``).
    screenshots : bool
        Write ``screenshots/index.png`` (whole page) and one first-screen PNG per notebook
        page into ``out_dir``.
    progress : callable, optional
        Called with one line per page opened (the CLI prints them).

    Returns
    -------
    ReportCheck
        ``problems`` is empty when every page loaded with status 200, every image decoded,
        no request failed or went to another host, and no script raised.

    Raises
    ------
    BrowserUnavailable
        When Playwright or a Chromium executable is missing.
    OutputError
        With ``screenshots``, when ``out_dir`` is inside a data folder (the shipped one or
        any folder that looks like one): nothing writes there.
    """
    out_dir = Path(out_dir)
    if screenshots:
        reason = refuse_data_dir(out_dir / "screenshots", data_dir())
        if reason:
            raise OutputError(reason)
    if not (out_dir / "index.html").is_file():
        raise FileNotFoundError(f"{out_dir / 'index.html'}: no report here "
                                "(run `coopstats notebooks` first)")
    chromium = find_chromium()
    if chromium is None:
        raise BrowserUnavailable("no Chromium found: install Debian's `chromium` package "
                                 "(scripts/ensure-chromium.sh) or set COOPSTATS_CHROMIUM")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserUnavailable("Playwright is not installed: pip install 'coopstats[browser]'"
                                 ) from None

    check = ReportCheck()
    server = _serve(out_dir)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                shots = out_dir / "screenshots" if screenshots else None
                _visit_report(_PageRecorder(page, base, check, shots, PlaywrightError),
                              progress)
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return check


def _visit_report(recorder: _PageRecorder, progress: Callable[[str], None] | None) -> None:
    """The index (whole-page screenshot), every notebook page it links (first screen), and
    every figure link."""
    check, base = recorder.check, recorder.base
    links = recorder.visit("index.html", "index.png", full=True)
    pages = [h for h in dict.fromkeys(links) if h.endswith(".html") and "://" not in h]
    if not pages and "index.html" in check.pages:
        check.problems.append("index.html: links no notebook pages")
    for i, name in enumerate(pages, 1):
        recorder.visit(name, Path(name).with_suffix(".png").name, full=False)
        if progress:
            progress(f"[{i}/{len(pages)}] {name} checked")
    for href in (h for h in dict.fromkeys(links) if h.startswith("figures/")):
        recorder.url = base
        resp = recorder.page.request.get(urljoin(base, href))
        if resp.status != 200:
            check.problems.append(f"index.html: link {href}: HTTP {resp.status}")


class _PageRecorder:
    """One browser tab on the report: records every request, response, failure and script
    error as a problem line naming the page it happened on, and visits pages."""

    def __init__(self, page, base: str, check: ReportCheck, shots: Path | None,
                 error: type[Exception]) -> None:
        self.page, self.base, self.check, self.shots, self.error = page, base, check, shots, error
        self.url = ""
        self.statuses: dict[str, int] = {}
        page.on("request", self.on_request)
        page.on("response", self.on_response)
        page.on("requestfailed", self.on_failed)
        page.on("pageerror", lambda e: self.problem(f"script error: {e}"))

    def where(self) -> str:
        return urlsplit(self.url).path.lstrip("/") or "index.html"

    def problem(self, text: str) -> None:
        self.check.problems.append(f"{self.where()}: {text}")

    def on_request(self, request) -> None:
        if not request.url.startswith((self.base, "data:")):
            self.problem(f"requests {request.url[:100]} (the report must not need the network)")

    def on_response(self, response) -> None:
        self.statuses[response.url] = response.status
        # pages and images get their own line from visit(); others are reported here
        if response.status >= 400 and response.request.resource_type not in (
                "document", "image"):
            self.problem(f"{response.url.removeprefix(self.base)}: HTTP {response.status}")

    def on_failed(self, request) -> None:
        if request.url.startswith(self.base):
            self.problem(f"{request.url.removeprefix(self.base)}: {request.failure}")

    def visit(self, name: str, shot: str | None, *, full: bool) -> list[str]:
        """Open ``name``; check it loads and its images display; screenshot it; return its
        links."""
        self.url = urljoin(self.base, name)
        try:
            response = self.page.goto(self.url, wait_until="load")
        except self.error as err:
            self.check.problems.append(f"{name}: does not load: {str(err).splitlines()[0]}")
            return []
        if response is None or response.status != 200:
            status = response.status if response else "no response"
            self.check.problems.append(f"{name}: does not load: HTTP {status}")
            return []
        self.check.pages.append(name)
        self._images(name)
        if shot and self.shots is not None:
            self._screenshot(shot, full)
        return self.page.eval_on_selector_all(
            "a[href]", "els => els.map(a => a.getAttribute('href'))")

    def _images(self, name: str) -> None:
        images = self.page.evaluate(_IMAGES_JS)
        self.check.images[name] = len(images)
        for src, width, ok in images:
            if not ok or width == 0:
                code = self.statuses.get(urljoin(self.url, src))
                why = f" (HTTP {code})" if code and code >= 400 else ""
                self.check.problems.append(f"{name}: image {src} does not display{why}")

    def _screenshot(self, shot: str, full: bool) -> None:
        self.shots.mkdir(exist_ok=True)
        target = self.shots / shot
        with atomic_path(target) as tmp:
            self.page.screenshot(path=str(tmp), full_page=full, type="png")
        self.check.screenshots.append(target)
