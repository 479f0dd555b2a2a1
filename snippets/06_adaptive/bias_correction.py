"""Adam with and without bias correction in its first steps."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.functions import quadratic
from lessonlib.optim import Adam

use_book_style()
device = get_device()
lr, beta1, beta2, eps = 0.001, 0.9, 0.999, 1e-8  # Adam's defaults

# 1. A constant gradient g = 1: how far does each step move, in units of α?
t = torch.arange(1, 5001, dtype=torch.float64)
m, v = 1 - beta1**t, 1 - beta2**t  # m_t and v_t for g = 1, from m_0 = v_0 = 0
uncorrected = m / (v.sqrt() + eps)
corrected = (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)
print("   t    step/α without correction    with correction")
for step in [1, 2, 5, 10, 100, 1000, 5000]:
    print(f"{step:4d}    {uncorrected[step - 1].item():25.3f}    {corrected[step - 1].item():15.3f}")
peak = uncorrected.argmax().item()
print(f"without correction the step peaks at t = {peak + 1}: {uncorrected[peak].item():.2f} α")

# lessonlib's Adam takes exactly α per step on a constant gradient (up to ε).
theta = torch.zeros(1, dtype=torch.float64, device=device, requires_grad=True)
opt = Adam([theta], lr=lr)
for _ in range(5):
    theta.grad = torch.ones_like(theta)
    opt.step()
print(f"lessonlib Adam, 5 steps on g = 1: θ = {theta.item():.6f} (5α = {5 * lr})")

# 2. The first 50 steps on the bowl ½(w₁² + 10 w₂²) with α = 0.1: the largest coordinate of each step, in units of α.
bowl, steps, big_lr = quadratic(kappa=10.0), 50, 0.1


def step_sizes(correct):
    w = torch.tensor([-2.0, 1.0], dtype=torch.float64, device=device)
    m, v, sizes = torch.zeros_like(w), torch.zeros_like(w), []
    for t in range(1, steps + 1):
        g = bowl.grad(w)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if correct else (m, v)
        step = big_lr * m_hat / (v_hat.sqrt() + eps)
        w = w - step
        sizes.append(step.abs().max().item() / big_lr)
    return sizes


with_c, without_c = step_sizes(True), step_sizes(False)
print(f"bowl, α = {big_lr}: largest step in the first {steps}: {max(with_c):.2f} α with correction, "
      f"{max(without_c):.2f} α without")

fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 3.8))
left.semilogx(t, uncorrected, color="C0", label="without bias correction")
left.semilogx(t, corrected, "--", color="C1", label="with bias correction")
left.set(xlabel="step $t$", ylabel="step size / α", title="Constant gradient, β₁ = 0.9, β₂ = 0.999")
left.legend()
steps_axis = range(1, steps + 1)
right.plot(steps_axis, without_c, "s-", ms=3, color="C0", label="without bias correction")
right.plot(steps_axis, with_c, "o-", ms=3, color="C1", label="with bias correction")
right.set(xlabel="step $t$", ylabel="largest |step| / α", title="The bowl ½(w₁² + 10 w₂²), α = 0.1")
right.legend()
savefig(fig, "bias_correction")
publish(first_step_uncorrected=uncorrected[0], peak_step=peak + 1, peak_uncorrected=uncorrected[peak],
        last_step_uncorrected=uncorrected[-1], bowl_largest_corrected=max(with_c), bowl_largest_uncorrected=max(without_c))
