"""Where gradient descent ends depends on where it starts: a landscape with a local and a global minimum."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.descent import gradient_descent

use_book_style()
device = get_device()


def loss(w):
    return w**4 - 4 * w**2 + w  # a tilted double well


def grad(w):
    return 4 * w**3 - 8 * w + 1


starts = torch.linspace(-2.0, 2.0, 9, dtype=torch.float64, device=device)
run = gradient_descent(loss, grad, starts, lr=0.02, steps=200)  # nine runs at once, one per start
ends, final_loss = run.w[-1].cpu(), run.loss[-1]

print("  w0    ends at    L(end)")
for w0, w_end in zip(starts.cpu(), ends):
    print(f"{w0.item():+5.1f}    {w_end.item():+7.4f}    {loss(w_end).item():+7.4f}")

w = torch.linspace(-2.1, 2.1, 300, dtype=torch.float64)
fig, ax = plt.subplots()
ax.plot(w, loss(w), color="0.3", lw=1.5)
for w0, w_end in zip(starts.cpu(), ends):
    color = "C0" if w_end < 0 else "C1"
    ax.annotate("", xy=(w_end, loss(w_end)), xytext=(w0, loss(w0)),
                arrowprops=dict(arrowstyle="->", color=color, lw=1.2, connectionstyle="arc3,rad=0.25"))
    ax.plot([w0], [loss(w0)], "o", color=color, ms=5)
ax.set(xlabel="$w$", ylabel="$L(w) = w^4 - 4w^2 + w$", title="Nine starts, two destinations")
savefig(fig, "initialisation")
