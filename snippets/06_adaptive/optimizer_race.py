"""An optimizer race: seven optimizers on four landscapes, drawn as an animated SVG, a still figure and a table."""

import matplotlib.pyplot as plt
import torch

from lessonlib import optim
from lessonlib.book.device import get_device
from lessonlib.book.plotting import dark_color, figure_svg, save_svg, use_book_style
from lessonlib.book.publish import publish
from lessonlib.descent import optimizer_path
from lessonlib.functions import beale, quadratic, rosenbrock, saddle

use_book_style()
device = get_device()
STEPS = 300

# name: (function, start, view (x range, y range), contour levels, "done" test, what "done" means)
LANDSCAPES = {
    "Rosenbrock": (rosenbrock, (-1.2, 1.0), ((-2.0, 2.0), (-1.0, 3.0)), [0.1, 1, 4, 16, 64, 256, 1024],
                   lambda w, f: f(w) < 1e-2, "L < 1e-2"),
    "Beale": (beale, (1.0, 1.5), ((-1.0, 4.5), (-1.5, 2.5)), [0.1, 0.5, 2, 5, 15, 40, 100, 300],
              lambda w, f: f(w) < 1e-3, "L < 1e-3"),
    "saddle": (saddle, (1.0, 1e-3), ((-1.5, 1.5), (-1.5, 1.5)), [-2, -1, -0.5, -0.1, 0.1, 0.5, 1, 2],
               lambda w, f: abs(w[1]) > 1.0, "|y| > 1"),
    "quadratic (κ = 25)": (quadratic(25.0), (-2.0, 0.5), ((-2.5, 2.5), (-1.5, 1.5)), [0.02, 0.1, 0.5, 1, 2, 4, 8],
                           lambda w, f: f(w) < 1e-3, "L < 1e-3"),
}
# Learning rates tuned by hand for each optimizer and landscape (the saddle reuses the quadratic's: see the text).
OPTIMIZERS = {
    "SGD": (lambda p, lr: optim.SGD(p, lr=lr), [0.002, 0.03, 0.03, 0.03]),
    "momentum": (lambda p, lr: optim.SGD(p, lr=lr, momentum=0.9), [0.002, 0.003, 0.03, 0.03]),
    "Nesterov": (lambda p, lr: optim.SGD(p, lr=lr, momentum=0.9, nesterov=True), [0.002, 0.003, 0.01, 0.01]),
    "AdaGrad": (lambda p, lr: optim.Adagrad(p, lr=lr), [0.5, 1.0, 1.0, 1.0]),
    "RMSProp": (lambda p, lr: optim.RMSprop(p, lr=lr), [0.01, 0.1, 0.03, 0.03]),
    "Adam": (lambda p, lr: optim.Adam(p, lr=lr), [0.5, 0.3, 0.1, 0.1]),
    "AdamW": (lambda p, lr: optim.AdamW(p, lr=lr), [0.5, 0.3, 0.1, 0.1]),  # Adam's α, decay λ = 0.01
}
COLORS = dict(zip(OPTIMIZERS, ["#000000", "#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#CC79A7"]))


def race(make, lrs):
    """One optimizer on each of the four landscapes, from its start, with that landscape's learning rate."""
    paths = []
    for (fn, start, *_), lr in zip(LANDSCAPES.values(), lrs):
        w = torch.tensor(start, dtype=torch.float64, device=device, requires_grad=True)
        paths.append(optimizer_path(fn, w, make([w], lr), STEPS, grad=fn.grad).w.cpu())
    return paths


paths = {name: race(make, lrs) for name, (make, lrs) in OPTIMIZERS.items()}

# The table: steps until each landscape's goal is reached (— if not within STEPS), with the learning rate.
print(f"steps until the goal is reached (— if not within {STEPS}), and the learning rate α")
print(f"{'':<10}" + "".join(f"{name.split(' ')[0]:>22}" for name in LANDSCAPES))
print(f"{'goal':<10}" + "".join(f"{goal:>22}" for *_, goal in LANDSCAPES.values()))
for name, (_, lrs) in OPTIMIZERS.items():
    cells = []
    for path, lr, (fn, *_, done, _) in zip(paths[name], lrs, LANDSCAPES.values()):
        hits = [t for t, w in enumerate(path) if torch.isfinite(w).all() and done(w, fn)]
        cells.append(f"{hits[0] if hits else '—'} (α = {lr:g})")
        if name == "AdaGrad" and fn is LANDSCAPES["quadratic (κ = 25)"][0]:
            adagrad_bowl_steps = hits[0]
    print(f"{name:<10}" + "".join(f"{cell:>22}" for cell in cells))


def draw_landscapes():
    """The four contour maps with the start (circle) and the minimum (star), a legend and a progress bar in steps."""
    fig, axes = plt.subplots(2, 2, figsize=(10.0, 8.6))
    fig.subplots_adjust(left=0.06, right=0.98, top=0.95, bottom=0.13, hspace=0.28, wspace=0.15)
    for ax, (name, (fn, start, (xr, yr), levels, *_)) in zip(axes.flat, LANDSCAPES.items()):
        xs = torch.linspace(*xr, 240, dtype=torch.float64)
        ys = torch.linspace(*yr, 200, dtype=torch.float64)
        grid = torch.stack(torch.meshgrid(xs, ys, indexing="xy"), dim=-1)
        ax.contour(xs, ys, fn(grid), levels=levels, colors="0.75", linewidths=0.8)
        ax.plot(*start, "o", color="0.3", ms=6, mfc="white")
        for minimum in fn.minima:
            ax.plot(*minimum, "*", color="0.2", ms=11)
        ax.set(xlim=xr, ylim=yr, title=name)
        ax.grid(False)
    handles = [plt.Line2D([], [], color=color, lw=2.5) for color in COLORS.values()]
    fig.legend(handles, list(COLORS), loc="lower center", ncol=7, bbox_to_anchor=(0.5, 0.055))
    timeline = fig.add_axes([0.25, 0.025, 0.5, 0.012])
    timeline.set(xlim=(0, STEPS), yticks=[], xticks=range(0, STEPS + 1, 50))
    timeline.tick_params(labelsize=8)
    timeline.set_xlabel("step", fontsize=8, labelpad=1)
    timeline.grid(False)
    return fig, axes, timeline


# matplotlib draws the maps once; the paths are then written into its SVG as our own elements: still polylines for
# the figure of the final paths, and polylines and dots that SMIL <animate> moves step by step for the animation.
fig, axes, timeline = draw_landscapes()
fig.set_dpi(72)  # SVG units are points: at 72 dpi, matplotlib's display coordinates are the SVG's coordinates
bases = {dark: figure_svg(fig, tight=False, dark=dark) for dark in (False, True)}  # not cropped: coordinates stay
height = fig.get_figheight() * 72
FRAMES = list(range(0, STEPS + 1, 2))  # every second step
SECONDS, HOLD = 15.0, 3.0  # the race, then a pause on the final positions
N_HOLD = round(len(FRAMES) * HOLD / SECONDS)


def to_svg(ax, xy):
    x, y = ax.transData.transform(xy).T
    return [(round(a, 1), round(height - b, 1)) for a, b in zip(x.tolist(), y.tolist())]


def animate(attribute, values):
    return (f'<animate attributeName="{attribute}" dur="{SECONDS + HOLD:g}s" repeatCount="indefinite" '
            f'calcMode="linear" values="{";".join(values)}"/>')


def race_svg(animated, dark=False):
    parts = ['<g id="race">']
    for i, (ax, (_, (_, _, (xr, yr), *_))) in enumerate(zip(axes.flat, LANDSCAPES.items())):
        (x0, y0), (x1, y1) = to_svg(ax, [(xr[0], yr[1]), (xr[1], yr[0])])
        parts.append(f'<clipPath id="race-clip-{i}"><rect x="{x0}" y="{y0}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}"/></clipPath>')
        parts.append(f'<g clip-path="url(#race-clip-{i})">')
        for name, color in COLORS.items():
            color = dark_color(color) if dark else color  # SGD's black path is drawn light on the dark page
            path = torch.nan_to_num(paths[name][i][FRAMES], nan=1e3, posinf=1e3, neginf=-1e3)
            path[:, 0] = path[:, 0].clamp(xr[0] - 1, xr[1] + 1)  # far-off points: just outside the clip box
            path[:, 1] = path[:, 1].clamp(yr[0] - 1, yr[1] + 1)
            points = to_svg(ax, path.numpy())
            line = f'<polyline points="{" ".join(f"{x},{y}" for x, y in points)}" fill="none" stroke="{color}" stroke-width="1.6" stroke-linejoin="round"'
            if not animated:
                parts.append(line + "/>")
                continue
            points += [points[-1]] * N_HOLD
            lengths = [0.0]  # the drawn length of the polyline after each frame
            for (a, b), (c, d) in zip(points, points[1:]):
                lengths.append(lengths[-1] + ((c - a) ** 2 + (d - b) ** 2) ** 0.5)
            total = max(lengths[-1], 0.1)
            parts.append(line + f' stroke-dasharray="{total:.1f} {total:.1f}" stroke-dashoffset="{total:.1f}">'
                         + animate("stroke-dashoffset", [f"{total - s:.1f}" for s in lengths]) + "</polyline>")
            parts.append(f'<circle r="3.6" fill="{color}" stroke="{dark_color("white") if dark else "white"}" stroke-width="0.8" cx="{points[0][0]}" cy="{points[0][1]}">'
                         + animate("cx", [str(x) for x, _ in points]) + animate("cy", [str(y) for _, y in points]) + "</circle>")
        parts.append("</g>")
    (t0, ty), (t1, _) = to_svg(timeline, [(0, 0.5), (STEPS, 0.5)])
    if animated:
        marker = [f"{t0 + (t1 - t0) * k / (len(FRAMES) - 1):.1f}" for k in range(len(FRAMES))] + [f"{t1:.1f}"] * N_HOLD
        parts.append(f'<circle r="4" fill="#D55E00" cx="{t0}" cy="{ty}">' + animate("cx", marker) + "</circle>")
    else:
        parts.append(f'<circle r="4" fill="#D55E00" cx="{t1}" cy="{ty}"/>')
    parts.append("</g>")
    return bases[dark].replace("</svg>", "\n".join(parts) + "\n</svg>")


save_svg(race_svg(animated=True), race_svg(animated=True, dark=True), "optimizer_race")
save_svg(race_svg(animated=False), race_svg(animated=False, dark=True), "optimizer_race_final")
plt.close(fig)  # only now: closing a figure resets its dpi, and with it the coordinates used above
publish(adagrad_bowl_steps=adagrad_bowl_steps)
