"""lessonlib.book.plotting's SVG text and saving, against matplotlib's own savefig with the same settings."""

import re

import matplotlib.pyplot as plt
import pytest

from lessonlib.book.plotting import (
    DARK_BACKGROUND,
    DARK_FOREGROUND,
    FIGURE_DIR_ENV,
    dark_color,
    figure_svg,
    save_svg,
    savefig,
    use_book_style,
)


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
    written = save_svg(text.replace("</svg>", '<circle r="1"/>\n</svg>'), "<svg/>", "added")
    assert written == tmp_path / "figures" / "added.svg" and drawn.parent == written.parent
    assert written.read_bytes() == drawn.read_bytes().replace(b"</svg>", b'<circle r="1"/>\n</svg>')


def test_save_svg_in_the_current_folder_outside_the_build(tmp_path, monkeypatch):
    monkeypatch.delenv(FIGURE_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert save_svg("<svg/>", "<svg><g/></svg>", "plain").resolve() == tmp_path / "plain.svg"
    assert (tmp_path / "plain.svg").read_text(encoding="utf-8") == "<svg/>"
    assert (tmp_path / "plain.dark.svg").read_text(encoding="utf-8") == "<svg><g/></svg>"


@pytest.mark.parametrize(
    ("svg", "name", "error", "message"),
    [
        (b"<svg/>", "x", TypeError, "Invalid svg: b'<svg/>' (must be a str)"),
        ("<svg/>", "x", TypeError, "Invalid dark: None (must be a str)"),
        ("<svg/>", "../x", ValueError, "Invalid figure name: '../x' (use letters, digits, '-' and '_')"),
        ("<svg/>", "", ValueError, "Invalid figure name: '' (use letters, digits, '-' and '_')"),
    ],
)
def test_save_svg_refuses_bad_arguments(tmp_path, monkeypatch, svg, name, error, message):
    monkeypatch.setenv(FIGURE_DIR_ENV, str(tmp_path))
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        save_svg(svg, None if "dark" in message else svg, name)
    assert not list(tmp_path.iterdir())


def _fills(svg):
    """The colours an SVG paints with, as matplotlib writes them: fill: #rrggbb and stroke: #rrggbb."""
    return set(re.findall(r"(?:fill|stroke): (#[0-9a-f]{6})", svg))


def test_savefig_writes_a_light_and_a_dark_figure(tmp_path, monkeypatch):
    monkeypatch.setenv(FIGURE_DIR_ENV, str(tmp_path))
    fig = _figure()
    light, dark = figure_svg(fig), figure_svg(fig, dark=True)
    assert figure_svg(fig) == light  # drawing it dark left the figure's colours as they were
    savefig(fig, "pair")
    assert (tmp_path / "pair.svg").read_text(encoding="utf-8") == light
    assert (tmp_path / "pair.dark.svg").read_text(encoding="utf-8") == dark
    # light: black ink on white paper; dark: the page's background and light ink, and the line keeps its colour
    assert {"#000000", "#ffffff"} <= _fills(light)
    assert not {"#000000", "#ffffff"} & _fills(dark)
    assert {DARK_BACKGROUND, DARK_FOREGROUND} <= _fills(dark)
    line = plt.rcParams["axes.prop_cycle"].by_key()["color"][0].lower()
    assert line in _fills(light) and line in _fills(dark)


def test_dark_color_mixes_greys_between_background_and_foreground():
    # a mid grey lands halfway between the two, channel by channel; a colour and the alpha are kept

    back = [int(DARK_BACKGROUND[i : i + 2], 16) for i in (1, 3, 5)]
    fore = [int(DARK_FOREGROUND[i : i + 2], 16) for i in (1, 3, 5)]
    mid = dark_color((0.5, 0.5, 0.5))
    assert [int(mid[i : i + 2], 16) for i in (1, 3, 5)] == pytest.approx(
        [(b + f) / 2 for b, f in zip(back, fore)], abs=1
    )
    assert dark_color((0.0, 0.0, 0.0, 0.5)) == DARK_FOREGROUND + "80"
    assert dark_color("#0072B2") == "#0072B2"


def test_drawing_dark_leaves_every_kind_of_artist_as_it_was():
    # markers with a white face, a scatter, filled and line contours with a colour bar, a band, a boxed label
    use_book_style()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(5, 2))
    ax.plot([0, 1], [1, 0], "o-", mfc="white", color="0.3")
    ax.scatter([0.2, 0.8], [0.5, 0.6], c=["black", "C1"])
    ax.fill_between([0, 1], [0, 0.2], [0.3, 0.5], color="0.8", alpha=0.5)
    ax.text(0.5, 0.5, "label", bbox={"facecolor": "white", "edgecolor": "black"})
    grid = [[i * j for j in range(5)] for i in range(5)]
    fig.colorbar(bx.contourf(grid), ax=bx)
    bx.contour(grid, colors="0.5")
    light = figure_svg(fig)
    dark = figure_svg(fig, dark=True)
    assert figure_svg(fig) == light and figure_svg(fig, dark=True) == dark
    plt.close(fig)
