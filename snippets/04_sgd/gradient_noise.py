"""How far a mini-batch gradient strays from the full gradient, against the batch size B."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import linear_data

use_book_style()
device = get_device()

m, n = 1000, 5
X, y, _ = linear_data(m, n, noise=0.5, seed=0)
X, y = X.to(device, torch.float64), y.to(device, torch.float64)
w = torch.zeros(n, dtype=torch.float64, device=device)  # measure the noise at one fixed point, here the start

# One gradient per example: ∇ℓ_j(w) = 2 (x_j·w − y_j) x_j, one row each.
per_example = 2 * (X @ w - y)[:, None] * X
full = per_example.mean(dim=0)  # ∇L(w), the average of the m rows
sigma_1 = (per_example - full).norm(dim=1).pow(2).mean().sqrt().item()  # the spread of a batch of one

gen = torch.Generator(device=device).manual_seed(0)
draws = 2000  # batches drawn per batch size
sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256]
measured = []
print(f"‖∇L(w)‖ = {full.norm().item():.3f}, spread of one example σ₁ = {sigma_1:.3f}")
print("    B    measured spread    σ₁/√B    ratio")
for B in sizes:
    idx = torch.randint(m, (draws, B), generator=gen, device=device)  # B examples drawn at random, with replacement
    estimates = per_example[idx].mean(dim=1)  # `draws` mini-batch gradients
    spread = (estimates - full).norm(dim=1).pow(2).mean().sqrt().item()
    measured.append(spread)
    print(f"{B:5d}    {spread:15.3f}    {sigma_1 / B**0.5:5.3f}    {spread / (sigma_1 / B**0.5):5.3f}")

crossing = (sigma_1 / full.norm().item()) ** 2
print(f"noise and signal are equal at B = (σ₁ / ‖∇L(w)‖)² = {crossing:.1f}")

fig, ax = plt.subplots()
ax.loglog(sizes, measured, "o", ms=6, label=f"measured, {draws} batches per size")
ax.loglog(sizes, [sigma_1 / B**0.5 for B in sizes], "--", color="0.4", lw=1.3, label="$\\sigma_1 / \\sqrt{B}$")
ax.axhline(full.norm().item(), color="C1", ls=":", lw=1.3, label="$\\|\\nabla L(w)\\|$, the signal")
ax.set(xlabel="batch size $B$", ylabel="spread $\\sqrt{E\\,\\|g_B - \\nabla L\\|^2}$",
       title="Four times the batch, half the noise")
ax.legend()
savefig(fig, "gradient_noise")
publish(gradient_norm=full.norm(), sigma_1=sigma_1, crossing_batch=crossing)
