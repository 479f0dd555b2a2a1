"""Heavy ball and Nesterov on ½(w₁² + 100 w₂²): measured rates per step against 1 - 1/κ, the √κ rates and Nesterov's bound."""

import math

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.descent import optimizer_path
from lessonlib.functions import quadratic
from lessonlib.optim import SGD

use_book_style()
device = get_device()

kappa = 100.0
bowl, mu, L = quadratic(kappa), 1.0, kappa  # μ = 1, L = κ; minimum f* = 0 at w* = 0
root, steps = math.sqrt(kappa), 300


def run(lr, momentum=0.0, nesterov=False):
    """The parameters w_0..w_steps of lessonlib's SGD from w_0 = (1, 1)."""
    w = torch.tensor([1.0, 1.0], dtype=torch.float64, device=device, requires_grad=True)
    return optimizer_path(bowl, w, SGD([w], lr=lr, momentum=momentum, nesterov=nesterov), steps, grad=bowl.grad).w


methods = {  # name: (path, the slow direction's root: its factor per step on this quadratic)
    "gradient descent, α = 1/L": (run(1 / L), 1 - 1 / kappa),
    "gradient descent, α = 2/(μ+L)": (run(2 / (mu + L)), (kappa - 1) / (kappa + 1)),
    "heavy ball (Polyak's α, β)": (run(4 / (math.sqrt(L) + math.sqrt(mu)) ** 2, ((root - 1) / (root + 1)) ** 2),
                                   (root - 1) / (root + 1)),
    "Nesterov, α = 1/L": (run(1 / L, (root - 1) / (root + 1), nesterov=True), 1 - 1 / root),
}
print(f"κ = {kappa:g}; factor per step of ‖w_t - w*‖, measured between steps 150 and 300")
print(f"{'method':<32}{'root':>8}{'measured':>10}{'  steps to ‖w‖ < 1e-6‖w0‖':>26}")
rates, reach = {}, {}
for name, (path, rate) in methods.items():
    dist = path.norm(dim=1)
    rates[name] = (dist[300] / dist[150]).item() ** (1 / 150)
    below = (dist < 1e-6 * dist[0]).nonzero()
    reach[name] = below[0].item() if len(below) else None
    text = f"{reach[name]:d}" if reach[name] else f"> {steps}"
    print(f"{name:<32}{rate:8.4f}{rates[name]:10.4f}{text:>26}")

# Nesterov's theorem bounds f at the gradient-step points x_t = y_{t-1} - ∇f(y_{t-1})/L, where y_t are
# the parameters PyTorch's form stores (the look-ahead points); x_0 = y_0.
y = methods["Nesterov, α = 1/L"][0]
x = torch.cat([y[:1], y[:-1] - bowl.grad(y[:-1]) / L])
t = torch.arange(steps + 1, dtype=torch.float64)
nesterov_bound = (1 - 1 / root) ** t * (bowl(x[0]) + mu / 2 * x[0].norm() ** 2)
worst = (bowl(x) / nesterov_bound)[1:].max().item()  # at t = 0 the ratio is f(x_0) / (f(x_0) + μ/2 ‖x_0‖²)
print(f"Nesterov: largest f(x_t) / ((1 - 1/√κ)^t (f(x_0) - f* + μ/2 ‖x_0 - x*‖²)) for t = 1..300: {worst:.4f}")

fig, ax = plt.subplots(figsize=(6.4, 4.2))
curves = {name: bowl(path) for name, (path, _) in methods.items()}
curves["Nesterov, α = 1/L"] = bowl(x)  # the bound is for f(x_t), not for the look-ahead points y_t
for (name, curve), color in zip(curves.items(), ["C0", "C5", "C1", "C2"]):
    ax.semilogy(curve.cpu(), color=color, label=name)
ax.semilogy(nesterov_bound.cpu(), "--", color="C2", lw=1.5, label="Nesterov's bound, rate $1 - 1/\\sqrt{κ}$")
ax.semilogy((1 - 1 / kappa) ** t * bowl(y[0]).cpu(), "--", color="C0", lw=1.5, label="gradient descent's bound, $1 - 1/κ$")
ax.set(xlabel="step t", ylabel="$f(w_t) - f^*$", ylim=(1e-14, 1e3), title=f"Four methods on ½(w₁² + {kappa:g} w₂²)")
ax.legend(loc="lower left", fontsize=9)
savefig(fig, "accelerated_rates")
publish(hb_rate=rates["heavy ball (Polyak's α, β)"], nesterov_rate=rates["Nesterov, α = 1/L"],
        gd_rate=rates["gradient descent, α = 1/L"], hb_steps=reach["heavy ball (Polyak's α, β)"],
        nesterov_steps=reach["Nesterov, α = 1/L"], nesterov_worst_ratio=worst)
