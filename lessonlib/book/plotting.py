"""Figures for the book: one look, byte-stable SVG, saved where the build wants.

Snippets draw with matplotlib and finish with `savefig(fig, "name")`; one that
adds its own elements to the SVG (an animation) takes the text from
`figure_svg(fig)` and saves it with `save_svg(text, "name")`:

* run by a reader (``python snippets/03_gradient_descent/contours.py``), the
  figure is written to ``name.svg`` in the current directory;
* run by the book's build, ``DOWNHILL_FIGURE_DIR`` names the folder instead;
* run inside Jupyter, nothing is written and the notebook shows the figure.

The SVG is byte-for-byte the same on every run: the id salt is fixed, the date
is left out and text is drawn as paths (no font needed to view it).
"""

import io
import os
import sys
from pathlib import Path
from typing import Any

import matplotlib
from cycler import cycler
from matplotlib.figure import Figure

from lessonlib._checks import check_instance

FIGURE_DIR_ENV = "DOWNHILL_FIGURE_DIR"

#: A colour cycle that reads on a white card in both of the book's colour
#: schemes and stays distinguishable for the common colour-vision deficiencies
#: (Okabe and Ito, 2008).
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

STYLE: dict[Any, Any] = {  # rcParams; typed Any, as matplotlib types its keys one literal each
    "svg.hashsalt": "downhill",
    "svg.fonttype": "path",
    "figure.figsize": (6.4, 4.0),
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.prop_cycle": cycler(color=COLORS),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 11,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
}


def use_book_style() -> None:
    """Apply the book's matplotlib style (idempotent).

    Examples:
        >>> use_book_style()
        >>> import matplotlib
        >>> matplotlib.rcParams["svg.hashsalt"]
        'downhill'
    """
    if "ipykernel" not in sys.modules and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    matplotlib.rcParams.update(STYLE)


def savefig(fig: Figure, name: str) -> Path | None:
    """Save ``fig`` as ``<name>.svg``, deterministically, and close it.

    Args:
        fig: a matplotlib figure.
        name: the file name without extension: letters, digits, ``-`` and ``_``.

    Returns:
        The path written, or ``None`` inside Jupyter (where the figure is
            shown instead).

    Raises:
        ValueError: ``name`` is not a plain file name.

    Examples:
        >>> import tempfile, os, matplotlib.pyplot as plt
        >>> use_book_style()
        >>> fig, ax = plt.subplots()
        >>> _ = ax.plot([0, 1], [1, 0])
        >>> with tempfile.TemporaryDirectory() as d:
        ...     os.environ[FIGURE_DIR_ENV] = d
        ...     path = savefig(fig, "line")
        ...     del os.environ[FIGURE_DIR_ENV]
        ...     print(path.name, path.read_bytes()[:5])
        line.svg b'<?xml'
    """
    path = _figure_path(name)
    if path is None:
        return None
    fig.savefig(path, format="svg", bbox_inches="tight", metadata={"Date": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def figure_svg(fig: Figure, *, tight: bool = True) -> str:
    """The SVG text of ``fig``, drawn the way `savefig` draws it, for a snippet to add to.

    Args:
        fig: a matplotlib figure, drawn after `use_book_style` (whose fixed id
            salt and text as paths make the text the same on every run).
        tight: crop to what is drawn, as `savefig` does. ``False`` keeps the
            figure's own size, so that positions computed from its transforms
            stay those of the SVG (at ``fig.set_dpi(72)`` a display unit is an
            SVG point).

    Returns:
        The SVG document, undated. The figure stays open.

    Examples:
        >>> import matplotlib.pyplot as plt
        >>> use_book_style()
        >>> fig, ax = plt.subplots(figsize=(2, 1))
        >>> _ = ax.plot([0, 1], [1, 0])
        >>> svg = figure_svg(fig, tight=False)
        >>> svg.startswith("<?xml"), svg == figure_svg(fig, tight=False), "<dc:date>" in svg
        (True, True, False)
        >>> plt.close(fig)
    """
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight" if tight else None, metadata={"Date": None})
    return buffer.getvalue()


def save_svg(svg: str, name: str) -> Path | None:
    """Save SVG text as ``<name>.svg`` where `savefig` saves figures; inside Jupyter, show it instead.

    Args:
        svg: an SVG document, e.g. `figure_svg`'s text with elements added.
        name: the file name without extension: letters, digits, ``-`` and ``_``.

    Returns:
        The path written, or ``None`` inside Jupyter (where the SVG is shown).

    Raises:
        TypeError: ``svg`` is not a string.
        ValueError: ``name`` is not a plain file name.

    Examples:
        >>> import tempfile, os
        >>> with tempfile.TemporaryDirectory() as d:
        ...     os.environ[FIGURE_DIR_ENV] = d
        ...     path = save_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', "empty")
        ...     del os.environ[FIGURE_DIR_ENV]
        ...     print(path.name, path.read_text())
        empty.svg <svg xmlns="http://www.w3.org/2000/svg"/>
    """
    check_instance("svg", svg, str, "a str")
    path = _figure_path(name)
    if path is None:
        from IPython.display import SVG, display

        display(SVG(svg))
        return None
    path.write_text(svg, encoding="utf-8")
    return path


def _figure_path(name: str) -> Path | None:
    """Where figure ``name`` is saved (its folder created), or ``None`` inside Jupyter."""
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise ValueError(f"Invalid figure name: {name!r} (use letters, digits, '-' and '_')")
    if "ipykernel" in sys.modules:
        return None
    folder = Path(os.environ.get(FIGURE_DIR_ENV) or ".")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.svg"
