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

from .._atomic import OutputError, atomic_path, refuse_data_dir
from ..locations import data_dir

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
    shots = out_dir / "screenshots"
    server = _serve(out_dir)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                current = {"url": ""}

                def where() -> str:
                    return urlsplit(current["url"]).path.lstrip("/") or "index.html"

                def on_request(request) -> None:
                    if not request.url.startswith((base, "data:")):
                        check.problems.append(f"{where()}: requests {request.url[:100]} "
                                              "(the report must not need the network)")

                statuses: dict[str, int] = {}

                def on_response(response) -> None:
                    statuses[response.url] = response.status
                    # pages and images get their own line from visit(); others are reported here
                    if response.status >= 400 and response.request.resource_type not in (
                            "document", "image"):
                        check.problems.append(f"{where()}: {response.url.removeprefix(base)}"
                                              f": HTTP {response.status}")

                page.on("request", on_request)
                page.on("response", on_response)
                page.on("requestfailed", lambda r: None if not r.url.startswith(base) else
                        check.problems.append(f"{where()}: {r.url.removeprefix(base)}: "
                                              f"{r.failure}"))
                page.on("pageerror", lambda e: check.problems.append(
                    f"{where()}: script error: {e}"))

                def visit(name: str, shot: str | None, full: bool) -> list[str]:
                    current["url"] = urljoin(base, name)
                    try:
                        response = page.goto(current["url"], wait_until="load")
                    except PlaywrightError as err:
                        check.problems.append(f"{name}: does not load: "
                                              f"{str(err).splitlines()[0]}")
                        return []
                    if response is None or response.status != 200:
                        status = response.status if response else "no response"
                        check.problems.append(f"{name}: does not load: HTTP {status}")
                        return []
                    check.pages.append(name)
                    images = page.evaluate(_IMAGES_JS)
                    check.images[name] = len(images)
                    for src, width, ok in images:
                        if not ok or width == 0:
                            code = statuses.get(urljoin(current["url"], src))
                            why = f" (HTTP {code})" if code and code >= 400 else ""
                            check.problems.append(f"{name}: image {src} does not display{why}")
                    if shot and screenshots:
                        shots.mkdir(exist_ok=True)
                        target = shots / shot
                        with atomic_path(target) as tmp:
                            page.screenshot(path=str(tmp), full_page=full, type="png")
                        check.screenshots.append(target)
                    return page.eval_on_selector_all(
                        "a[href]", "els => els.map(a => a.getAttribute('href'))")

                links = visit("index.html", "index.png", True)
                pages = [h for h in dict.fromkeys(links)
                         if h.endswith(".html") and "://" not in h]
                if not pages and "index.html" in check.pages:
                    check.problems.append("index.html: links no notebook pages")
                for i, name in enumerate(pages, 1):
                    visit(name, Path(name).with_suffix(".png").name, False)
                    if progress:
                        progress(f"[{i}/{len(pages)}] {name} checked")
                for href in (h for h in dict.fromkeys(links) if h.startswith("figures/")):
                    current["url"] = base
                    resp = page.request.get(urljoin(base, href))
                    if resp.status != 200:
                        check.problems.append(f"index.html: link {href}: HTTP {resp.status}")
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return check
