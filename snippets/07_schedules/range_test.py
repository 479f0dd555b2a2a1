"""The learning-rate range test on a linear regression: raise the rate step by step until the loss blows up."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import linear_data
from lessonlib.lr_finder import lr_range_test
from lessonlib.optim import SGD

use_book_style()
device = get_device()

m, n, B = 240, 10, 24
X, y, _ = linear_data(m, n, noise=1.0, seed=0)
# float64, as in the schedule comparison: the printed rates then do not depend on the CPU's float32 rounding.
X = X.double() * torch.logspace(0, -0.7, n, dtype=torch.float64)  # features on scales from 1 down to 0.2
X, y = X.to(device), y.double().to(device)
batches = list(zip(X.split(B), y.split(B)))  # 10 mini-batches; the test cycles through them

torch.manual_seed(0)
model = torch.nn.Linear(n, 1).double().to(device)
loss_fn = lambda pred, target: ((pred.squeeze(-1) - target) ** 2).mean()
optimizer = SGD(model.parameters(), lr=0.1)
result = lr_range_test(model, loss_fn, batches, optimizer, start_lr=1e-4, end_lr=10.0, num_steps=100, smooth=0.9)

i_min = min(range(len(result.lrs)), key=lambda i: result.smoothed_losses[i])
X1 = torch.cat([X, torch.ones(m, 1, dtype=torch.float64, device=device)], dim=1)  # the bias as a column of ones
limit = round(2 / torch.linalg.eigvalsh(2 / m * X1.T @ X1).max().item(), 10)  # rounded: LAPACK's last digit varies
print(f"steps taken: {len(result.lrs)} of 100, diverged: {result.diverged}")
print(f"smoothed loss is lowest at α = {result.lrs[i_min]:.3f}; suggested α = {result.suggested_lr:.4f} (a tenth of it)")
print(f"for comparison, full-batch descent on this loss is stable for α < 2/λ_max = {limit:.3f}")

fig, ax = plt.subplots()
ax.semilogx(result.lrs, result.losses, color="0.75", lw=1, label="loss of each batch")
ax.semilogx(result.lrs, result.smoothed_losses, color="C0", label="smoothed")
ax.axvline(result.lrs[i_min], color="C1", ls=":", lw=1.3, label=f"lowest, α = {result.lrs[i_min]:.2f}")
ax.axvline(result.suggested_lr, color="C2", ls="--", lw=1.3, label=f"suggested, α = {result.suggested_lr:.3f}")
ax.axvline(limit, color="0.4", ls="-.", lw=1, label=f"2/λ_max = {limit:.2f}")
ax.set(xlabel="learning rate α (log scale)", ylabel="training loss", ylim=(0, 1.2 * result.losses[0]),
       title="Learning-rate range test")
ax.legend(fontsize=9, loc="lower left")
savefig(fig, "range_test")
publish(steps_taken=len(result.lrs), diverged=result.diverged, lowest_lr=result.lrs[i_min],
        suggested_lr=result.suggested_lr, stability_limit=limit)
