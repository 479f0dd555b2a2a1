"""Exercise: the spread of a mini-batch gradient when the B examples are drawn without replacement."""

import torch

from lessonlib.book.device import get_device
from lessonlib.data import linear_data

device = get_device()

m, n = 40, 3
X, y, _ = linear_data(m, n, noise=0.5, seed=0)
X, y = X.to(device, torch.float64), y.to(device, torch.float64)
w = torch.zeros(n, dtype=torch.float64, device=device)
per_example = 2 * (X @ w - y)[:, None] * X  # one gradient per row
full = per_example.mean(dim=0)
sigma_1 = (per_example - full).norm(dim=1).pow(2).mean().sqrt().item()

gen = torch.Generator(device=device).manual_seed(0)
draws = 5000
print("  B    σ₁/√B (with replacement)    without: measured    predicted σ₁/√B·√((m−B)/(m−1))")
for B in [1, 4, 10, 20, 40]:
    # Without replacement: the first B entries of a random permutation, as one batch of a shuffled epoch.
    idx = torch.rand(draws, m, generator=gen, device=device).argsort(dim=1)[:, :B]
    spread = (per_example[idx].mean(dim=1) - full).norm(dim=1).pow(2).mean().sqrt().item()
    predicted = sigma_1 / B**0.5 * ((m - B) / (m - 1)) ** 0.5
    print(f"{B:3d}    {sigma_1 / B**0.5:24.3f}    {spread:17.3f}    {predicted:33.3f}")
