"""The report's pages: one HTML page per executed notebook (nbconvert, with
``page.html.j2``: JupyterLab's template without CDN scripts, so pages read offline) and
``index.html`` linking them with a one-line summary and the figures."""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from pathlib import Path

from coopstats.dataset._atomic import write_text

__all__ = ["Result", "summary", "write_index", "write_page"]

#: the folder of ``page.html.j2``
TEMPLATES = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Result:
    """One notebook run: its name, time, title and one-line summary (for the index)."""

    name: str
    seconds: float
    summary: str
    title: str
    cached: bool = False  # copied from the cache (:mod:`.cache`), not run this time


def summary(nb) -> tuple[str, str]:
    """Title (first heading) and one-line summary (first sentence of the first paragraph
    after it) of a notebook; ``metadata.coopstats.title``/``summary`` override them."""
    import re

    meta = nb.metadata.get("coopstats", {})
    title, summary = meta.get("title", ""), meta.get("summary", "")
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for block in re.split(r"\n\s*\n", cell.source):
            text = " ".join(ln.strip() for ln in block.splitlines() if ln.strip())
            if not text:
                continue
            if not title and text.startswith("#"):
                title = text.lstrip("# ").strip()
            elif not summary and not text.startswith("#"):
                summary = re.match(r"(.+?[.?!])(?=\s|$)|.+", text).group(0)
        if title and summary:
            break
    return title, summary


#: cells whose code the pages do not show, only its output: the prose a notebook renders
#: from its computed values (``coopstats.analysis.prose.say``)
HIDE_INPUT_TAG = "hide-input"


@functools.cache
def _exporter():
    """One HTML exporter per process: its templates are compiled once, not per notebook.
    A page shows the output, not the code, of a cell tagged :data:`HIDE_INPUT_TAG`."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="lab", template_file="page.html.j2",
                            extra_template_paths=[str(TEMPLATES)])
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags=(HIDE_INPUT_TAG,), enabled=True), enabled=True)
    return exporter


def write_page(nb, result: Result, out: Path) -> None:
    """The HTML page of one executed notebook. Written by the parent process while the
    workers run the other notebooks: one exporter (nbconvert's import and template
    compilation, ≈ 0.5 s of CPU) for the whole run instead of one per worker."""
    body, _ = _exporter().from_notebook_node(
        nb, resources={"metadata": {"name": result.title or result.name}})
    write_text(out / f"{result.name}.html", body)


#: the index's note on a notebook whose outputs came from the cache
_CACHED_NOTE = ('<br><small class="cached">from the cache: its notebook, data, library '
                "code and libraries are unchanged since it last ran</small>")


def write_index(results: list[Result], out: Path) -> None:
    """``index.html``: the notebooks' titles and summaries, and every figure's thumbnail."""
    items = "\n".join(
        f'<li><a href="{html.escape(r.name)}.html">{html.escape(r.title or r.name)}</a>'
        f"<br><span>{html.escape(r.summary)}</span>"
        f"{_CACHED_NOTE if r.cached else ''}</li>" for r in results)
    figures = sorted((out / "figures").glob("*.png"))
    thumbs = "\n".join(
        f'<a href="figures/{html.escape(p.name)}"><img src="figures/{html.escape(p.name)}" '
        f'alt="{html.escape(p.stem)}" loading="lazy"></a>' for p in figures)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>coopstats report</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; }}
li {{ margin: 0.8rem 0; }} span {{ color: #555; }} .cached {{ color: #777; }}
.figs img {{ width: 18rem; margin: 0.3rem; border: 1px solid #ddd; }}
</style></head><body>
<h1>coopstats: East–West cooperation pairings compared</h1>
<p>Each notebook below was executed top to bottom in a fresh kernel by
<code>coopstats notebooks</code> (this run or, where marked, an earlier one whose inputs
were the same). Every number comes from the coded dataset, which links
each figure to a quote in its source article.</p>
<ol>
{items}
</ol>
<h2>Figures</h2>
<div class="figs">
{thumbs}
</div>
</body></html>
"""
    write_text(out / "index.html", page)
