"""lessonlib.book.plotting's SVG text and saving, against matplotlib's own savefig with the same settings."""

import re

import matplotlib.pyplot as plt
import pytest

from lessonlib.book.plotting import FIGURE_DIR_ENV, figure_svg, save_svg, savefig, use_book_style


def _figure():
    use_book_style()
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [2, 0, 1], label="a line")
    ax.legend()
    return fig


@pytest.mark.parametrize("tight", [True, False])
def test_figure_svg_is_what_matplotlib_writes_undated(tmp_path, tight):
    fig = _figure()
    path = tmp_path / "oracle.svg"
    fig.savefig(path, format="svg", bbox_inches="tight" if tight else None, metadata={"Date": None})
    text = figure_svg(fig, tight=tight)
    plt.close(fig)
    assert text == path.read_text(encoding="utf-8")
    assert "<dc:date>" not in text


def test_figure_svg_is_the_same_text_on_every_call_and_leaves_the_figure_open():
    fig = _figure()
    assert figure_svg(fig) == figure_svg(fig)
    assert plt.fignum_exists(fig.number)
    plt.close(fig)


def test_save_svg_writes_the_text_where_savefig_writes_figures(tmp_path, monkeypatch):
    monkeypatch.setenv(FIGURE_DIR_ENV, str(tmp_path / "figures"))
    fig = _figure()
    text = figure_svg(fig)
    drawn = savefig(fig, "drawn")  # savefig draws the same figure, cropped the same way
    written = save_svg(text.replace("</svg>", '<circle r="1"/>\n</svg>'), "added")
    assert written == tmp_path / "figures" / "added.svg" and drawn.parent == written.parent
    assert written.read_bytes() == drawn.read_bytes().replace(b"</svg>", b'<circle r="1"/>\n</svg>')


def test_save_svg_in_the_current_folder_outside_the_build(tmp_path, monkeypatch):
    monkeypatch.delenv(FIGURE_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert save_svg("<svg/>", "plain").resolve() == tmp_path / "plain.svg"
    assert (tmp_path / "plain.svg").read_text(encoding="utf-8") == "<svg/>"


@pytest.mark.parametrize(
    ("svg", "name", "error", "message"),
    [
        (b"<svg/>", "x", TypeError, "Invalid svg: b'<svg/>' (must be a str)"),
        ("<svg/>", "../x", ValueError, "Invalid figure name: '../x' (use letters, digits, '-' and '_')"),
        ("<svg/>", "", ValueError, "Invalid figure name: '' (use letters, digits, '-' and '_')"),
    ],
)
def test_save_svg_refuses_bad_arguments(tmp_path, monkeypatch, svg, name, error, message):
    monkeypatch.setenv(FIGURE_DIR_ENV, str(tmp_path))
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        save_svg(svg, name)
    assert not list(tmp_path.iterdir())
