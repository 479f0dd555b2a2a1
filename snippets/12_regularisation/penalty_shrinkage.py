"""One weight, two penalties: L2 shrinks it by a factor, L1 subtracts a constant and snaps it to zero."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style

use_book_style()
device = get_device()
lam = 1.0

# The simplest fit: one weight w that the data alone would set to z, with loss ½(w − z)².
# Add a penalty and find the minimiser by brute force on a fine grid, for several z.
w_grid = torch.linspace(-4, 4, 80001, dtype=torch.float64, device=device)  # step 1e-4


penalties = {  # λ·l1_penalty([w]) and (λ/2)·l2_penalty([w]) for one weight, at every w of the grid
    "L1": lam * w_grid.abs(),  # λ|w|
    "L2": 0.5 * lam * w_grid**2,  # (λ/2)w²
}


def minimiser(z, name):
    objective = 0.5 * (w_grid - z) ** 2 + penalties[name]
    return round(w_grid[objective.argmin()].item(), 4) + 0.0  # + 0.0 turns -0.0 into 0.0
print(f"λ = {lam}: the minimiser of ½(w − z)² + penalty(w)")
print("    z     L1 (grid)  L1 (formula)   L2 (grid)  L2 (formula)")
for z in [-3.0, -1.5, -0.5, 0.0, 0.5, 0.9, 1.5, 3.0]:
    soft = max(abs(z) - lam, 0.0) * (1 if z > 0 else -1) + 0.0  # sign(z) · max(|z| − λ, 0)
    shrunk = z / (1 + lam) + 0.0
    l1, l2 = minimiser(z, "L1"), minimiser(z, "L2")
    print(f"{z:5.1f}   {l1:9.4f}   {soft:11.4f}   {l2:9.4f}   {shrunk:11.4f}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
w = torch.linspace(-3, 3, 601, dtype=torch.float64)
left.plot(w, lam * w.sign(), label="L1: λ·sign(w)")
left.plot(w, lam * w, label="L2: λw")
left.axhline(0, color="0.5", lw=0.8)
left.set(xlabel="w", ylabel="the penalty's pull, d(penalty)/dw", ylim=(-3, 3),
         title="The pull towards 0")
left.legend(loc="upper left")
z = torch.linspace(-3, 3, 601, dtype=torch.float64)
right.plot(z, z, color="0.6", ls="--", lw=1.5, label="no penalty: w = z")
right.plot(z, z.sign() * (z.abs() - lam).clamp(min=0), label="L1: soft threshold")
right.plot(z, z / (1 + lam), label="L2: z / (1 + λ)")
right.axvspan(-lam, lam, color="C0", alpha=0.08, lw=0)
right.text(0, -2.6, "L1 gives exactly 0\nwhen |z| ≤ λ", ha="center", fontsize=9, color="C0")
right.set(xlabel="z, the weight the data alone would choose", ylabel="w, the penalised weight",
          title=f"The penalised weight, λ = {lam:g}")
right.legend(loc="upper left", fontsize=9)
savefig(fig, "penalty_shrinkage")
