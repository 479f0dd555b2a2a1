"""Figures for the book: one look, byte-stable SVG, saved where the build wants.

Snippets draw with matplotlib and finish with `savefig(fig, "name")`:

* run by a reader (``python snippets/03_gradient_descent/contours.py``), the
  figure is written to ``name.svg`` in the current directory;
* run by the book's build, ``DOWNHILL_FIGURE_DIR`` names the folder instead;
* run inside Jupyter, nothing is written and the notebook shows the figure.

The SVG is byte-for-byte the same on every run: the id salt is fixed, the date
is left out and text is drawn as paths (no font needed to view it).
"""

import os
import sys
from pathlib import Path

import matplotlib

FIGURE_DIR_ENV = "DOWNHILL_FIGURE_DIR"

#: A colour cycle that reads on a white card in both of the book's colour
#: schemes and stays distinguishable for the common colour-vision deficiencies
#: (Okabe and Ito, 2008).
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

STYLE = {
    "svg.hashsalt": "downhill",
    "svg.fonttype": "path",
    "figure.figsize": (6.4, 4.0),
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.prop_cycle": matplotlib.cycler(color=COLORS),
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


def savefig(fig, name: str) -> Path | None:
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
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise ValueError(f"Invalid figure name: {name!r} (use letters, digits, '-' and '_')")
    if "ipykernel" in sys.modules:
        return None
    folder = Path(os.environ.get(FIGURE_DIR_ENV) or ".")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.svg"
    fig.savefig(path, format="svg", bbox_inches="tight", metadata={"Date": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path
