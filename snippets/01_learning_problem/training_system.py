"""The parts of a training system and the loop that connects them, drawn as boxes and arrows."""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from lessonlib.book.plotting import COLORS, savefig, use_book_style

use_book_style()

# Each box: (x, y) of its centre, its title, a line saying what it holds, its colour.
boxes = {
    "data": ((1.0, 3.0), "dataset", "m examples", COLORS[0]),
    "batch": ((4.0, 3.0), "batch", "B pairs (X, Y)", COLORS[0]),
    "model": ((6.8, 3.0), "model", "Ŷ = f(X; θ)", COLORS[2]),
    "loss": ((12.4, 3.0), "loss", "one number L(θ)", COLORS[1]),
    "grad": ((12.4, 0.9), "gradient", "∇L(θ), by backprop", COLORS[1]),
    "update": ((9.6, 0.9), "update", "θ ← θ − α ∇L(θ)", COLORS[3]),
    "params": ((6.8, 0.9), "parameters", "θ (weights, biases)", COLORS[2]),
}
width, height = 2.1, 1.15

fig, ax = plt.subplots(figsize=(12, 4.4))
ax.set(xlim=(-0.15, 13.6), ylim=(-0.1, 4.5), aspect="equal")
ax.axis("off")
for (x, y), title, detail, color in boxes.values():
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.04,rounding_size=0.15",
                                facecolor=color + "22", edgecolor=color, lw=1.8))
    ax.text(x, y + 0.18, title, ha="center", va="center", fontsize=13, fontweight="bold")
    ax.text(x, y - 0.22, detail, ha="center", va="center", fontsize=10)


def arrow(start, end, label="", dy=0.0, color="0.25", style="-|>"):
    (x0, y0), (x1, y1) = boxes[start][0], boxes[end][0]
    if y0 == y1:  # horizontal: leave and enter at the box edges
        sign = 1 if x1 > x0 else -1
        a, b = (x0 + sign * width / 2, y0 + dy), (x1 - sign * width / 2, y1 + dy)
    else:  # vertical
        sign = 1 if y1 > y0 else -1
        a, b = (x0, y0 + sign * height / 2), (x1, y1 - sign * height / 2)
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle=style, mutation_scale=16, lw=1.6, color=color))
    if label:
        ax.text((a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + 0.2, label, ha="center", fontsize=9.5, color="0.3")


arrow("data", "batch", "sample")
arrow("batch", "model", "X")
arrow("model", "loss", "Ŷ (predictions)")
arrow("loss", "grad", "")
arrow("grad", "update", "")
arrow("update", "params", "")
arrow("params", "model", "")
ax.text(boxes["grad"][0][0] + 0.1, 1.95, "backward", fontsize=9.5, color="0.3")
ax.text(boxes["params"][0][0] + 0.1, 1.95, "θ", fontsize=9.5, color="0.3")

# Y goes straight from the batch to the loss, above the model.
(bx, by), (lx, ly) = boxes["batch"][0], boxes["loss"][0]
ax.add_patch(FancyArrowPatch((bx, by + height / 2), (lx, ly + height / 2), connectionstyle="arc3,rad=-0.12",
                             arrowstyle="-|>", mutation_scale=16, lw=1.6, color="0.25", ls="--"))
ax.text((bx + lx) / 2, 4.3, "Y (the targets)", ha="center", fontsize=9.5, color="0.3")
ax.text(9.6, -0.05, "one training step; repeat with the next batch", ha="center", fontsize=10, style="italic", color="0.35")
savefig(fig, "training_system")
