"""The largest stable learning rate with and without momentum, measured by bisection and predicted."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.optim import SGD

use_book_style()
device = get_device()
lam = 10.0  # L(w) = ½ λ w²: the steepest direction of any quadratic behaves like this one


def converges(lr, beta, nesterov, steps=3000):
    """Run SGD's update from w = 1 and say whether |w| ended below 1."""
    w, v = 1.0, 0.0
    for _ in range(steps):
        g = lam * w
        v = beta * v + g  # v_t = β v_{t-1} + g_t
        w = w - lr * (g + beta * v if nesterov else v)  # w_t = w_{t-1} - α v_t  (Nesterov: - α (g_t + β v_t))
        if abs(w) > 1e6:
            return False
    return abs(w) < 1.0


def largest_stable_lr(beta, nesterov=False, low=0.0, high=1.0, iters=20):
    """Bisect for the learning rate where the iterates stop converging."""
    for _ in range(iters):
        mid = (low + high) / 2
        low, high = (mid, high) if converges(mid, beta, nesterov) else (low, mid)
    return low


# The loop above is lessonlib's SGD written out with plain floats (fast for a bisection); check that they agree.
for beta, nesterov in [(0.9, False), (0.9, True)]:
    theta = torch.tensor([1.0], dtype=torch.float64, device=device, requires_grad=True)
    opt = SGD([theta], lr=0.05, momentum=beta, nesterov=nesterov)
    w, v = 1.0, 0.0
    for _ in range(30):
        theta.grad = lam * theta.detach()
        opt.step()
        g = lam * w
        v = beta * v + g
        w = w - 0.05 * (g + beta * v if nesterov else v)
    assert abs(theta.item() - w) < 1e-12

print(f"λ = {lam:g}.  heavy ball: α < 2(1+β)/λ.  Nesterov: α < 2(1+β)/((1+2β)λ).")
print("method        β   predicted   measured")
largest_gap = 0.0  # between the measured and the predicted limit, over all rows
configs = [(0.0, False), (0.5, False), (0.9, False), (0.99, False), (0.5, True), (0.9, True), (0.99, True)]
for b, nest in configs:
    measured = largest_stable_lr(b, nest)
    predicted = 2 * (1 + b) / ((1 + 2 * b if nest else 1) * lam)
    name = "Nesterov" if nest else ("plain GD" if b == 0 else "heavy ball")
    print(f"{name:<11}{b:5.2f}   {predicted:9.4f}   {measured:8.4f}")
    largest_gap = max(largest_gap, abs(measured - predicted))


def spectral_radius(h, beta):
    """Largest |z| of the heavy ball's recurrence in one direction, as a function of h = αλ."""
    matrices = torch.zeros(len(h), 2, 2, dtype=torch.float64)
    matrices[:, 0, 0], matrices[:, 0, 1], matrices[:, 1, 0] = 1 + beta - h, -beta, 1.0
    return torch.linalg.eigvals(matrices).abs().max(dim=1).values


h = torch.linspace(0.0, 4.2, 400, dtype=torch.float64)
fig, ax = plt.subplots()
for b, color in zip([0.0, 0.5, 0.9], ["C0", "C1", "C2"]):
    ax.plot(h, spectral_radius(h, b), color=color, label=f"β = {b}")
    ax.axvline(2 * (1 + b), color=color, ls=":", lw=1.2)
ax.axhline(1, color="0.5", ls="--", lw=1)
ax.set(xlabel="αλ", ylabel="factor per step (largest |z|)", ylim=(0, 1.6),
       title="Momentum moves the stability limit from αλ = 2 to 2(1 + β)")
ax.legend(loc="lower right")
savefig(fig, "momentum_stability")
publish(largest_gap=largest_gap)
