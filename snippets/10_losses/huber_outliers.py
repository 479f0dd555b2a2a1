"""Fitting a line to data with outliers: mean squared error against the Huber loss."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.losses import huber_loss, mse_loss

use_book_style()
device = get_device()
gen = torch.Generator().manual_seed(0)

# 40 points on the line y = 2x + 1, with a little noise ...
x = torch.linspace(-2, 2, 40, dtype=torch.float64)
y = 2 * x + 1 + 0.3 * torch.randn(40, generator=gen, dtype=torch.float64)
# ... and four of the rightmost measurements ruined: they read 12 lower than they should.
outliers = torch.tensor([33, 35, 37, 39])
y[outliers] -= 12
x, y = x.to(device), y.to(device)


def fit(loss_fn, steps=600, lr=0.3):
    """Full-batch gradient descent on the slope w and intercept b."""
    w = torch.zeros(2, dtype=torch.float64, device=device, requires_grad=True)
    for _ in range(steps):
        loss = loss_fn(w[0] * x + w[1], y)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w.detach().cpu()


fits = {"MSE": fit(mse_loss), "Huber (δ = 1)": fit(lambda p, t: huber_loss(p, t, delta=1.0))}
print("true line:      slope 2.000, intercept 1.000")
for name, (w, b) in fits.items():
    print(f"{name + ':':15} slope {w:.3f}, intercept {b:.3f}")

fig, ax = plt.subplots(figsize=(6.4, 4.2))
inliers = torch.ones(40, dtype=torch.bool)
inliers[outliers] = False
xc, yc = x.cpu(), y.cpu()
ax.scatter(xc[inliers], yc[inliers], s=16, color="0.35", label="data")
ax.scatter(xc[~inliers], yc[~inliers], s=30, marker="x", color="C3", label="outliers")
for (name, (w, b)), color in zip(fits.items(), ["C0", "C1"]):
    ax.plot(xc, w * xc + b, color=color, label=f"{name}: slope {w:.2f}")
ax.plot(xc, 2 * xc + 1, color="0.6", ls="--", lw=1.2, label="true line: slope 2")
ax.set(xlabel="$x$", ylabel="$y$", title="Four outliers drag the MSE fit, not the Huber fit")
ax.legend(loc="upper left")
savefig(fig, "huber_outliers")

(mse_slope, mse_intercept), (huber_slope, huber_intercept) = fits.values()
publish(mse_slope=mse_slope, mse_intercept=mse_intercept, huber_slope=huber_slope, huber_intercept=huber_intercept)
