"""Figures for the book: one look, byte-stable SVG, saved where the build wants.

Snippets draw with matplotlib and finish with `savefig(fig, "name")`, which
saves the figure twice: ``name.svg`` for the light colour scheme and
``name.dark.svg`` for the dark one, the same drawing with its greys turned
around (black text becomes light, white paper the page's dark background; the
colours of the lines stay). A snippet that adds its own elements to the SVG (an
animation) takes the text of each from `figure_svg(fig, dark=...)` and saves
both with `save_svg(light, dark, "name")`:

* run by a reader (``python snippets/03_gradient_descent/contours.py``), the
  figure is written to ``name.svg`` in the current directory;
* run by the book's build, ``DOWNHILL_FIGURE_DIR`` names the folder instead;
* run inside Jupyter, nothing is written and the notebook shows the figure.

The SVG is byte-for-byte the same on every run: the id salt is fixed, the date
is left out and text is drawn as paths (no font needed to view it).
"""

import functools
import io
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib
from cycler import cycler
from matplotlib.artist import Artist
from matplotlib.collections import Collection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Patch
from matplotlib.text import Text

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


#: The dark scheme's page background (Material's slate, hsl(225, 15%, 14%)) and the colour figures write on it.
DARK_BACKGROUND = "#1e2129"
DARK_FOREGROUND = "#d0d3d9"
_GREY = 0.06  # a colour whose channels differ by less than this is a grey, and is turned around


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
    path.write_text(figure_svg(fig), encoding="utf-8")
    path.with_name(f"{name}.dark.svg").write_text(figure_svg(fig, dark=True), encoding="utf-8")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def figure_svg(fig: Figure, *, tight: bool = True, dark: bool = False) -> str:
    """The SVG text of ``fig``, drawn the way `savefig` draws it, for a snippet to add to.

    Args:
        fig: a matplotlib figure, drawn after `use_book_style` (whose fixed id
            salt and text as paths make the text the same on every run).
        tight: crop to what is drawn, as `savefig` does. ``False`` keeps the
            figure's own size, so that positions computed from its transforms
            stay those of the SVG (at ``fig.set_dpi(72)`` a display unit is an
            SVG point).
        dark: draw it for the dark scheme: every grey turned around, from
            white paper to `DARK_BACKGROUND` and from black ink to
            `DARK_FOREGROUND`; colours, and colour-mapped fills, unchanged.

    Returns:
        The SVG document, undated. The figure stays open, with its colours
        as they were.

    Examples:
        >>> import matplotlib.pyplot as plt
        >>> use_book_style()
        >>> fig, ax = plt.subplots(figsize=(2, 1))
        >>> _ = ax.plot([0, 1], [1, 0])
        >>> svg = figure_svg(fig, tight=False)
        >>> svg.startswith("<?xml"), svg == figure_svg(fig, tight=False), "<dc:date>" in svg
        (True, True, False)
        >>> night = figure_svg(fig, tight=False, dark=True)
        >>> DARK_BACKGROUND in night, DARK_BACKGROUND in svg, figure_svg(fig, tight=False) == svg
        (True, False, True)
        >>> plt.close(fig)
    """
    buffer = io.StringIO()
    options: dict[str, Any] = {"bbox_inches": "tight" if tight else None, "metadata": {"Date": None}}
    with warnings.catch_warnings():
        # matplotlib warns when placing a legend at loc="best" took it over a second: a clock, not the figure
        warnings.filterwarnings("ignore", message='Creating legend with loc="best" can be slow')
        if not dark:
            fig.savefig(buffer, format="svg", **options)
        else:
            with _dark_scheme(fig):
                fig.savefig(buffer, format="svg", facecolor=DARK_BACKGROUND, **options)
    return buffer.getvalue()


def dark_color(color: Any) -> Any:
    """The colour a figure drawn for the dark scheme uses in place of ``color``.

    A grey is turned around: white paper becomes `DARK_BACKGROUND`, black ink
    `DARK_FOREGROUND`, and the greys between are mixed in between; any other
    colour is kept, and so is the alpha.

    Examples:
        >>> dark_color("white") == DARK_BACKGROUND, dark_color("black") == DARK_FOREGROUND
        (True, True)
        >>> dark_color("#D55E00"), dark_color("none")
        ('#D55E00', 'none')
    """
    if color is None or (isinstance(color, str) and color.lower() in ("none", "face", "auto")):
        return color
    r, g, b, a = to_rgba(color)
    if max(r, g, b) - min(r, g, b) >= _GREY:
        return color
    light = (r + g + b) / 3  # 1 for white paper, 0 for black ink
    back, fore = to_rgba(DARK_BACKGROUND), to_rgba(DARK_FOREGROUND)
    red, green, blue = (light * p + (1 - light) * q for p, q in zip(back[:3], fore[:3], strict=True))
    return to_hex((red, green, blue, a), keep_alpha=a < 1)


@contextmanager
def _dark_scheme(fig: Figure) -> Iterator[None]:
    """Turn the greys of every artist of ``fig`` around for the dark scheme, and back afterwards."""
    undo: list[Callable[[], None]] = []
    for artist in fig.findobj(Artist):
        pairs: list[tuple[Callable[[], Any], Callable[[Any], None]]] = []
        if isinstance(artist, Text):
            pairs = [(artist.get_color, artist.set_color)]
        elif isinstance(artist, Line2D):
            pairs = [(artist.get_color, artist.set_color), (artist.get_markeredgecolor, artist.set_markeredgecolor)]
            if MarkerStyle(artist.get_marker()).is_filled():  # a tick's marker has no face to turn
                pairs.append((artist.get_markerfacecolor, artist.set_markerfacecolor))
        elif isinstance(artist, Patch):
            pairs = [(artist.get_facecolor, artist.set_facecolor), (artist.get_edgecolor, artist.set_edgecolor)]
        elif isinstance(artist, Collection):
            pairs = [(artist.get_edgecolor, artist.set_edgecolor)]
            if artist.get_array() is None:  # colour-mapped fills keep their colour map
                pairs.append((artist.get_facecolor, artist.set_facecolor))
        # every colour is read before any is set: an edge that follows the face ("auto", "face") is read as drawn
        olds = [get() for get, _ in pairs]
        for (_, set_), old in zip(pairs, olds, strict=True):
            one = isinstance(old, str) or len(getattr(old, "shape", ())) < 2  # a collection holds a row per item
            set_(dark_color(old) if one else [dark_color(row) for row in old])
            undo.append(functools.partial(set_, old))
    try:
        yield
    finally:
        for step in reversed(undo):
            step()


def save_svg(svg: str, dark: str, name: str) -> Path | None:
    """Save SVG text as ``<name>.svg``, and its dark twin as ``<name>.dark.svg``, where `savefig` saves figures.

    Inside Jupyter nothing is written and the light one is shown.

    Args:
        svg: an SVG document, e.g. `figure_svg`'s text with elements added.
        dark: the same for the dark scheme, from `figure_svg(fig, dark=True)`.
        name: the file name without extension: letters, digits, ``-`` and ``_``.

    Returns:
        The path written, or ``None`` inside Jupyter (where the SVG is shown).

    Raises:
        TypeError: ``svg`` or ``dark`` is not a string.
        ValueError: ``name`` is not a plain file name.

    Examples:
        >>> import tempfile, os
        >>> with tempfile.TemporaryDirectory() as d:
        ...     os.environ[FIGURE_DIR_ENV] = d
        ...     path = save_svg("<svg/>", "<svg><g/></svg>", "empty")
        ...     del os.environ[FIGURE_DIR_ENV]
        ...     print(path.name, path.read_text(), path.with_name("empty.dark.svg").read_text())
        empty.svg <svg/> <svg><g/></svg>
    """
    check_instance("svg", svg, str, "a str")
    check_instance("dark", dark, str, "a str")
    path = _figure_path(name)
    if path is None:
        from IPython.display import SVG, display

        display(SVG(svg))
        return None
    path.write_text(svg, encoding="utf-8")
    path.with_name(f"{name}.dark.svg").write_text(dark, encoding="utf-8")
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
