"""The descent lemma: a 1/L step lowers the loss by at least |f'|²/(2L), on a smooth, strongly convex curve."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.functions import quadratic

use_book_style()
device = get_device()

# f(w) = ln cosh w + w²/20 has f''(w) = 1/cosh² w + 1/10, between μ = 0.1 and L = 1.1; its minimum is f(0) = 0.
mu, L = 0.1, 1.1


def f(w):
    return torch.log(torch.cosh(w)) + w**2 / 20


def grad(w):
    return torch.tanh(w) + w / 10


w0 = torch.tensor(2.0, dtype=torch.float64, device=device)
g0 = grad(w0)
w1 = w0 - g0 / L  # the 1/L step
guaranteed = (g0**2 / (2 * L)).item()  # the descent lemma's promise
actual = (f(w0) - f(w1)).item()
print(f"f(w0) = {f(w0).item():.4f}, f'(w0) = {g0.item():.4f}, step 1/L = {1 / L:.4f}, w1 = {w1.item():.4f}")
print(f"decrease promised |f'|²/(2L) = {guaranteed:.4f}, decrease obtained f(w0) - f(w1) = {actual:.4f}")
print(f"strong convexity: |f'(w0)|² = {(g0**2).item():.4f} >= 2μ(f(w0) - f*) = {(2 * mu * f(w0)).item():.4f}")

# Gradient descent with α = 1/L for 40 steps: the gap must stay below (1 - μ/L)^t (f(w0) - f*) at every step.
w, worst = w0.clone(), 0.0
for t in range(1, 41):
    w = w - grad(w) / L
    worst = max(worst, (f(w) / ((1 - mu / L) ** t * f(w0))).item())
print(f"40 steps of α = 1/L: largest gap / bound (1 - μ/L)^t (f(w0) - f*) = {worst:.4f}")

# The same lemma on lessonlib's bowl ½(w₁² + 10 w₂²), L = 10, at 1000 random points: obtained / promised decrease.
bowl, L_bowl = quadratic(kappa=10.0), 10.0
points = torch.randn(1000, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0)).to(device)
g = bowl.grad(points)
ratio = (bowl(points) - bowl(points - g / L_bowl)) / ((g**2).sum(-1) / (2 * L_bowl))
print(f"quadratic (κ = 10), 1000 random points: obtained / promised decrease between "
      f"{ratio.min().item():.3f} and {ratio.max().item():.3f}")

ws = torch.linspace(-3, 3.5, 400, dtype=torch.float64)
upper = f(w0).cpu() + g0.cpu() * (ws - w0.cpu()) + L / 2 * (ws - w0.cpu()) ** 2
lower = f(w0).cpu() + g0.cpu() * (ws - w0.cpu()) + mu / 2 * (ws - w0.cpu()) ** 2
fig, ax = plt.subplots(figsize=(6.4, 4.2))
ax.plot(ws, f(ws), color="C0", label="f(w) = ln cosh w + w²/20")
ax.plot(ws, upper, "--", color="C1", label="upper bound, curvature L")
ax.plot(ws, lower, ":", color="C2", label="lower bound, curvature μ")
ax.plot([w0.item()], [f(w0).item()], "ko", ms=6)
ax.plot([w1.item()], [f(w1).item()], "o", color="C1", ms=6)
ax.annotate("1/L step", xy=(w1.item(), f(w1).item()), xytext=(w1.item() - 1.6, f(w1).item() + 0.9),
            arrowprops={"arrowstyle": "->", "color": "0.3"})
ax.set(xlabel="w", ylabel="f(w)", ylim=(-0.6, 3.2), title="Two parabolas around the curve at $w_0 = 2$")
ax.legend(loc="upper center")
savefig(fig, "descent_lemma")
publish(w0_value=f(w0), w0_grad=g0, promised=guaranteed, obtained=actual, worst_ratio=worst,
        bowl_ratio_min=ratio.min(), bowl_ratio_max=ratio.max())
