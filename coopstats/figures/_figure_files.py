"""Figure files: where :func:`save` writes (set once with :func:`configure`), in which
formats, with fixed metadata so reruns give identical files, each written atomically.

Light to import (matplotlib is imported only when a figure is saved), so the command line
and the report runner can check ``--figure-formats`` without loading matplotlib.
:mod:`coopstats.figures.plotting` re-exports everything here.
"""

from __future__ import annotations

import contextlib
import warnings
from pathlib import Path

from coopstats.dataset._atomic import atomic_path

__all__ = ["FORMATS", "SavedFigure", "configure", "figure_formats", "figure_name",
           "figures_dir", "parse_formats", "save"]


#: where :func:`save` writes and in which formats: :func:`configure` sets them
_SETTINGS: dict = {"out_dir": None, "formats": ("png",)}


def configure(*, out_dir: Path | str | None = None,
              formats: tuple[str, ...] | str | None = None) -> None:
    """Tell :func:`save` where to write and in which formats.

    The report runner (``coopstats notebooks``) calls it in each notebook's kernel before
    the first cell, with ``--out``'s ``figures/`` folder and ``--figure-formats``; nothing else
    sets these. Without it, figures go to ``figures/`` under the current folder, as PNG.

    Parameters
    ----------
    out_dir : path, optional
        Folder for the figure files.
    formats : tuple of str or str, optional
        ``("png", "svg")`` or ``"png,svg"``: PNG always, plus any of svg and pdf.

    Raises
    ------
    ValueError
        For a format other than png, svg or pdf.

    Examples
    --------
    >>> import tempfile
    >>> configure(out_dir=tempfile.mkdtemp(), formats="svg")
    >>> figure_formats()
    ('png', 'svg')
    >>> configure(formats="png")
    """
    if formats is not None:
        text = formats if isinstance(formats, str) else ",".join(formats)
        _SETTINGS["formats"] = parse_formats(text)
    if out_dir is not None:
        _SETTINGS["out_dir"] = Path(out_dir)


def figures_dir() -> Path:
    """Where :func:`save` writes: the folder given to :func:`configure`, else ``figures/``
    under the current folder."""
    return _SETTINGS["out_dir"] or Path.cwd() / "figures"


#: longest figure name (in UTF-8 bytes): the name plus the atomic writer's temporary
#: prefix and suffix must stay within the 255 bytes file systems allow
MAX_NAME_BYTES = 200


def figure_name(name: str) -> str:
    """``name`` if it is a plain file name, else ValueError: no ``/``, ``\\``, ``..``,
    ``:``, leading dot, control or invisible format characters, and at most
    :data:`MAX_NAME_BYTES` bytes, so :func:`save` can only write inside
    :func:`figures_dir`.

    Examples
    --------
    >>> figure_name("06_qingdao_dingxi_2020_none_position")
    '06_qingdao_dingxi_2020_none_position'
    >>> figure_name("../../data/facts/x")
    Traceback (most recent call last):
    ...
    ValueError: figure name '../../data/facts/x' is not a plain file name (no /, \\, ..,
    :, leading dot or control characters; at most 200 bytes)
    """
    import unicodedata

    bad = (not isinstance(name, str) or not name or name.startswith(".")
           or any(c in name for c in ("/", "\\", ":")) or ".." in name
           or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name)
           or len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES)
    if bad:
        raise ValueError(f"figure name {name!r} is not a plain file name (no /, \\, .., :, "
                         f"leading dot or control characters; at most {MAX_NAME_BYTES} bytes)")
    return name


# fixed metadata (no dates, no version strings) so reruns give identical files; PNG at zlib
# level 1: a few per cent larger than the default level 6 and much faster to encode
_SAVE_OPTIONS: dict[str, dict] = {
    "png": {"metadata": {"Software": None}, "pil_kwargs": {"compress_level": 1}},
    "svg": {"metadata": {"Date": None, "Creator": None}},
    "pdf": {"metadata": {"CreationDate": None, "Producer": None, "Creator": None}},
}


class SavedFigure(list):
    """The files :func:`save` wrote (a list of :class:`~pathlib.Path`). In Jupyter, ``save``
    has already shown the figure, so this list displays as nothing (no second copy, no
    paths from a temporary folder in the notebook's output)."""

    def _ipython_display_(self) -> None:
        pass


def _in_jupyter_kernel() -> bool:
    import sys

    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return bool(shell) and hasattr(shell, "kernel")


#: formats :func:`save` can write
FORMATS = ("png", "svg", "pdf")


def parse_formats(text: str) -> tuple[str, ...]:
    """``"svg, pdf"`` → ``("png", "svg", "pdf")``: the formats named (comma separated), PNG
    always first because the notebook and its report page show the PNG.

    Raises
    ------
    ValueError
        For a format other than png, svg or pdf.
    """
    asked = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    unknown = [f for f in asked if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown figure format {unknown[0]!r}; use a comma-separated list "
                         f"of {', '.join(FORMATS)}")
    return tuple(dict.fromkeys(["png", *asked]))


def figure_formats() -> tuple[str, ...]:
    """Formats :func:`save` writes by default: those given to :func:`configure` (``coopstats
    notebooks --figure-formats``), else PNG only."""
    return _SETTINGS["formats"]


def save(fig, name: str, *, formats: tuple[str, ...] | None = None,
         show: bool | None = None) -> SavedFigure:
    """Save ``fig`` as ``<figures_dir>/<name>.<fmt>`` with fixed metadata (no dates), each
    written to a temporary file and renamed into place; in Jupyter, show it.

    The tight bounding box is computed once and used for every format, so each file costs
    one rendering. In a Jupyter kernel (``show=None``) the PNG just written is displayed and
    the figure closed: the notebook shows exactly the saved file, and the figure is not
    rendered a third time by the inline backend.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    name : str
        File name without extension, e.g. ``"03_fiscal_aid"``.
    formats : tuple of str, optional
        Any of ``"png"``, ``"svg"``, ``"pdf"``. Default: :func:`figure_formats` (PNG, plus
        the vector formats asked for with ``--figure-formats``; each vector file is drawn
        again, so the report run does not write them unless asked).
    show : bool, optional
        Display the PNG and close the figure (default: only inside a Jupyter kernel).

    Returns
    -------
    SavedFigure
        The files written, a list of Path.

    Raises
    ------
    ValueError
        When ``name`` is not a plain file name (see :func:`figure_name`): a figure is
        never written outside :func:`figures_dir`.
    """
    import matplotlib as mpl

    name = figure_name(name)
    formats = figure_formats() if formats is None else formats
    out_dir = figures_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = SavedFigure()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # a missing glyph must not pass
        bbox = _tight_bbox(fig) if mpl.rcParams["savefig.bbox"] == "tight" else None
        with _laid_out(fig, bbox is not None):
            for fmt in formats:
                target = out_dir / f"{name}.{fmt}"
                options = _SAVE_OPTIONS[fmt]
                with atomic_path(target) as tmp:
                    fig.savefig(tmp, format=fmt, bbox_inches=bbox, **options)
                written.append(target)
    if show if show is not None else _in_jupyter_kernel():
        _display_png(fig, written)
    return written


def _tight_bbox(fig):
    """The figure's tight bounding box, measured at the resolution it is saved at (text
    measured at screen resolution comes out narrower than it is drawn in the PNG, and the
    longest labels were cut off at the edge), once for every format."""
    import matplotlib as mpl

    dpi = mpl.rcParams["savefig.dpi"]
    screen = fig.dpi
    try:
        if dpi != "figure":
            fig.set_dpi(dpi)
        engine = fig.get_layout_engine()  # a live engine (constrained …) lays out on draw
        if engine is not None and type(engine).__name__ != "PlaceHolderLayoutEngine":
            fig.draw_without_rendering()
        bbox = fig.get_tightbbox(fig.canvas.get_renderer())
    finally:
        fig.set_dpi(screen)
    return bbox.padded(mpl.rcParams["savefig.pad_inches"])


@contextlib.contextmanager
def _laid_out(fig, done: bool):
    """While the files are written: no layout engine when :func:`_tight_bbox` has laid the
    figure out (``done``). A figure keeps an engine after ``fig.tight_layout()`` (a
    placeholder that lays out nothing), and with any engine ``savefig`` draws the whole
    figure once more before drawing it into the file, for every format."""
    import matplotlib as mpl

    engine = fig.get_layout_engine()
    if done and engine is not None:
        with mpl.rc_context({"figure.autolayout": False,  # else None means "tight"
                             "figure.constrained_layout.use": False}):
            fig.set_layout_engine(None)
    try:
        yield
    finally:
        if done and engine is not None:
            fig.set_layout_engine(engine)


def _display_png(fig, written: list[Path]) -> None:
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    png = next((p for p in written if p.suffix == ".png"), None)
    if png is not None:
        import matplotlib as mpl

        data = png.read_bytes()
        # shown at screen size (figure.dpi), sharp because saved at savefig.dpi
        pixels = int.from_bytes(data[16:20], "big")  # PNG IHDR width
        dpi = mpl.rcParams["savefig.dpi"]
        scale = fig.dpi / (fig.dpi if dpi == "figure" else dpi)
        display(Image(data=data, format="png", width=round(pixels * scale)))
    plt.close(fig)
