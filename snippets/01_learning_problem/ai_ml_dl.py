"""Artificial intelligence contains machine learning, which contains deep learning: the three as nested sets."""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

from lessonlib.book.plotting import COLORS, savefig, use_book_style

use_book_style()

# (lower-left corner, width, height, colour, name, examples); each set sits inside the one before it.
sets = [
    ((0.0, 0.0), 10.0, 5.4, COLORS[0], "artificial intelligence", "search, planning, hand-written rules, expert systems"),
    ((0.6, 0.4), 8.8, 3.9, COLORS[2], "machine learning", "linear regression, k-nearest neighbours, k-means, decision trees"),
    ((1.2, 0.8), 7.6, 2.4, COLORS[1], "deep learning", "neural networks with many layers"),
]
fig, ax = plt.subplots(figsize=(8, 4.4))
for (x, y), w, h, color, name, examples in sets:
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.4", facecolor=color + "1a", edgecolor=color, lw=2))
    ax.text(x + 0.3, y + h - 0.45, name, fontsize=13, fontweight="bold", color=color, va="center")
    ax.text(x + 0.3, y + h - 0.85, examples, fontsize=9.5, color="0.25", va="center")
ax.text(5.0, 1.4, "they learn their own features from raw pixels, sound and text",
        ha="center", fontsize=9.5, color="0.25", style="italic")
ax.set(xlim=(-0.1, 10.1), ylim=(-0.1, 5.5), aspect="equal")
ax.axis("off")
savefig(fig, "ai_ml_dl")
