"""A diagram of the training pipeline: data, split, loaders, the epoch loop with validation, the best checkpoint, the test."""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from lessonlib.book.plotting import COLORS, savefig, use_book_style

use_book_style()
fig, ax = plt.subplots(figsize=(10, 5.2))
ax.set(xlim=(0, 20), ylim=(0.3, 10.3))
ax.set_axis_off()
LINE = {"color": "0.3", "lw": 1.3}


def box(x, y, w, h, text, color):
    """A rounded box centred at (x, y) with its label."""
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05,rounding_size=0.25",
                                facecolor=color + "22", edgecolor=color, lw=1.5))
    ax.text(x, y, text, ha="center", va="center", fontsize=9.5)


def path(xs, ys, text="", at=None):
    """Straight segments through the points, an arrowhead on the last one, an optional label."""
    ax.plot(xs[:-1], ys[:-1], **LINE)
    ax.add_patch(FancyArrowPatch((xs[-2], ys[-2]), (xs[-1], ys[-1]), arrowstyle="-|>", mutation_scale=13, **LINE))
    if text:
        ax.text(*at, text, fontsize=9, color="0.25", ha="center", va="bottom")


data, model_c, loop_c, test_c = COLORS[0], COLORS[2], COLORS[1], COLORS[3]
# Top row: from the data to a model ready to train.
for x, text, color in [(2.4, "data set\n(X, y)", data), (7.4, "split once, seeded:\ntrain | validation | test", data),
                       (12.4, "DataLoaders:\nshuffled mini-batches", data),
                       (17.4, "model on the device,\noptimizer, scheduler", model_c)]:
    box(x, 9.5, 4.4, 1.1, text, color)
for x in (4.6, 9.6, 14.6):
    path([x, x + 0.6], [9.5, 9.5])

# The epoch loop.
ax.add_patch(FancyBboxPatch((0.4, 2.9), 19.2, 5.0, boxstyle="round,pad=0.05,rounding_size=0.3",
                            facecolor="none", edgecolor=loop_c, lw=1.2, ls="--"))
ax.text(0.7, 7.55, "for each epoch", fontsize=10, color=loop_c)
box(4.5, 5.6, 7.2, 2.4, "train, in model.train() mode;\nfor each mini-batch:\n"
    "zero_grad → forward → loss\n→ backward → step", loop_c)
box(11.3, 5.6, 4.6, 2.4, "validate, in\nmodel.eval() mode,\nunder torch.no_grad()", loop_c)
box(17.1, 6.3, 4.6, 1.0, "scheduler.step()", loop_c)
box(17.1, 4.6, 4.6, 1.4, "validation loss better?\nsave a checkpoint", loop_c)
path([17.4, 17.4, 4.5, 4.5], [8.95, 7.45, 7.45, 6.85])
path([8.1, 9.0], [5.6, 5.6])
path([13.6, 14.8], [6.0, 6.3])
path([13.6, 14.8], [5.2, 4.8])
path([17.1, 17.1, 4.5, 4.5], [3.9, 3.45, 3.45, 4.35], "next epoch", at=(11.3, 3.5))

# After the last epoch.
path([17.1, 17.1], [3.45, 1.75], "after the last epoch", at=(14.6, 2.2))
box(16.6, 1.2, 5.2, 1.0, "reload the best checkpoint", test_c)
box(8.6, 1.2, 6.6, 1.0, "evaluate once on the test set: report", test_c)
path([14.0, 11.9], [1.2, 1.2])
savefig(fig, "pipeline")
