"""SGD with noisy gradients: a constant step stalls at a noise floor, a step decaying like 1/t reaches the minimum at rate 1/t."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.functions import quadratic
from lessonlib.optim import SGD

use_book_style()
device = get_device()

bowl, mu, L = quadratic(kappa=10.0), 1.0, 10.0  # μ = 1, L = 10, f* = 0 at w* = 0
sigma, runs, steps = 1.0, 1000, 1000  # gradient noise N(0, σ² I): its variance is M = 2σ² in two dimensions
M = 2 * sigma**2


def expected_gap(lr_at):
    """E f(w_t) for t = 0..steps, averaged over `runs` independent runs of SGD from w_0 = (1, 1).

    The runs are the rows of one tensor; the gradient of row i is ∇f(w_i) + σξ_i with fresh noise ξ_i each step.
    """
    gen = torch.Generator(device=device).manual_seed(0)
    w = torch.ones(runs, 2, dtype=torch.float64, device=device, requires_grad=True)
    opt = SGD([w], lr=lr_at(1))
    gaps = [bowl(w.detach()).mean()]
    for t in range(1, steps + 1):
        opt.param_groups[0]["lr"] = lr_at(t)  # α_t, set by hand: a schedule (chapter 7) does the same
        noise = torch.randn(runs, 2, dtype=torch.float64, device=device, generator=gen)
        w.grad = bowl.grad(w.detach()) + sigma * noise
        opt.step()
        gaps.append(bowl(w.detach()).mean())
    return torch.stack(gaps).cpu()


def floor(lr):
    """The exact stationary E f for constant α: Σᵢ ασ² / (2(2 - αλᵢ)) over the curvatures λᵢ = 1, 10."""
    return sum(lr * sigma**2 / (2 * (2 - lr * lam)) for lam in (1.0, 10.0))


a, gamma = 2.0, 19.0  # α_t = a/(γ + t): a > 1/μ, and α_1 = 2/20 = 1/L
curves, floors = {}, {}
print(f"{runs} runs, σ = {sigma:g}; E f averaged over the runs (and, for the floors, over steps 501-1000)")
print(f"{'step':<14}{'measured floor':>15}{'exact floor':>13}{'bound αLM/(2μ)':>16}")
for lr in [0.1, 0.02]:
    curves[f"α = {lr:g}"] = gaps = expected_gap(lambda t, lr=lr: lr)
    floors[lr] = gaps[501:].mean().item()
    print(f"{'α = ' + format(lr, 'g'):<14}{floors[lr]:15.4f}{floor(lr):13.4f}{lr * L * M / (2 * mu):16.4f}")

curves["α_t = 2/(19 + t)"] = gaps = expected_gap(lambda t: a / (gamma + t))
nu = max(a**2 * L * M / (2 * (a * mu - 1)), (gamma + 1) * bowl(torch.ones(2, dtype=torch.float64)).item())
print(f"decaying step α_t = a/(γ + t), a = {a:g}, γ = {gamma:g}: bound E f(w_t) <= ν/(γ + t + 1), ν = {nu:g}")
print(f"{'t':>6}{'E f(w_t)':>12}{'(γ + t + 1) E f(w_t)':>24}")
scaled = {}
for t in [125, 250, 500, 1000]:
    scaled[t] = (gamma + t + 1) * gaps[t].item()
    print(f"{t:6d}{gaps[t].item():12.5f}{scaled[t]:24.3f}")

fig, ax = plt.subplots(figsize=(6.4, 4.2))
ts = torch.arange(steps + 1)
for (name, gaps), color in zip(curves.items(), ["C0", "C1", "C2"]):
    ax.loglog(ts[1:], gaps[1:], color=color, label=name)
for lr, color in [(0.1, "C0"), (0.02, "C1")]:
    ax.axhline(floor(lr), color=color, ls=":", lw=1.2)
ax.loglog(ts[1:], nu / (gamma + ts[1:] + 1), "--", color="C2", lw=1.5, label="bound ν/(γ + t + 1)")
ax.set(xlabel="step t", ylabel="E $f(w_t) - f^*$", ylim=(1e-4, 200), title="SGD on ½(w₁² + 10w₂²) with noisy gradients")
ax.legend(loc="lower left")
savefig(fig, "sgd_noise_floor")
publish(floor_0_1=floors[0.1], floor_0_02=floors[0.02], scaled_500=scaled[500], scaled_1000=scaled[1000], nu=nu,
        gap_decay_1000=curves["α_t = 2/(19 + t)"][1000])
