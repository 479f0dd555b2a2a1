"""Steps to shrink ‖w - w*‖ a millionfold against κ: gradient descent grows like κ, heavy ball and Nesterov like √κ."""

import math

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.functions import quadratic
from lessonlib.optim import SGD

use_book_style()
device = get_device()


def steps_to_shrink(bowl, lr, momentum=0.0, nesterov=False, max_steps=5000):
    """Steps until ‖w_t‖ < 1e-6 ‖w_0‖, running lessonlib's SGD from w_0 = (1, 1)."""
    w = torch.tensor([1.0, 1.0], dtype=torch.float64, device=device, requires_grad=True)
    opt = SGD([w], lr=lr, momentum=momentum, nesterov=nesterov)
    start = w.detach().norm()
    for t in range(1, max_steps + 1):
        w.grad = bowl.grad(w.detach())
        opt.step()
        if w.detach().norm() < 1e-6 * start:
            return t
    return None


kappas = [10.0, 100.0, 1000.0]
rows = {"gradient descent": [], "heavy ball": [], "Nesterov": []}
print("    κ    GD, α = 1/L: ln(√2e-6)/ln(1-1/κ) measured    heavy ball    Nesterov    √κ ln(1e6)")
for kappa in kappas:
    bowl, root = quadratic(kappa), math.sqrt(kappa)
    # w₂ vanishes at step 1 and w₁ shrinks by 1 - 1/κ per step: ‖w_t‖ = (1 - 1/κ)^t against 1e-6 ‖w_0‖ = √2 · 1e-6
    predicted = math.ceil(math.log(math.sqrt(2) * 1e-6) / math.log(1 - 1 / kappa))
    gd = steps_to_shrink(bowl, 1 / kappa) if kappa <= 100 else None  # 13 463 steps at κ = 1000: taken as predicted
    hb = steps_to_shrink(bowl, 4 / (root + 1) ** 2, ((root - 1) / (root + 1)) ** 2)
    nag = steps_to_shrink(bowl, 1 / kappa, (root - 1) / (root + 1), nesterov=True)
    rows["gradient descent"].append(gd or predicted)
    rows["heavy ball"].append(hb)
    rows["Nesterov"].append(nag)
    gd_text = f"{gd:8d}" if gd else "       —"
    print(f"{kappa:6.0f}   {predicted:30d}  {gd_text}   {hb:11d}   {nag:9d}   {root * math.log(1e6):11.0f}")

growth = {name: steps[-1] / steps[0] for name, steps in rows.items()}  # from κ = 10 to κ = 1000
print("steps at κ = 1000 / steps at κ = 10: " + ", ".join(f"{name} {g:.1f}" for name, g in growth.items()))

fig, ax = plt.subplots(figsize=(6.4, 4.2))
for (name, steps), marker in zip(rows.items(), ["o", "s", "^"]):
    ax.loglog(kappas, steps, marker + "-", label=name)
ax.loglog(kappas, [k * math.log(1e6) for k in kappas], "k--", lw=1, label="κ ln 10⁶")
ax.loglog(kappas, [math.sqrt(k) * math.log(1e6) for k in kappas], "k:", lw=1, label="√κ ln 10⁶")
ax.set(xlabel="condition number κ", ylabel="steps to shrink ‖w - w*‖ by 10⁶", title="Cost against conditioning")
ax.legend()
savefig(fig, "steps_vs_kappa")
publish(gd_growth=growth["gradient descent"], hb_growth=growth["heavy ball"], nesterov_growth=growth["Nesterov"],
        nesterov_steps_1000=rows["Nesterov"][-1], gd_steps_1000=rows["gradient descent"][-1])
