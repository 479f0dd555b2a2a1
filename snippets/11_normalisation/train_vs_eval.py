"""Batch norm in training and evaluation mode: batch statistics, running statistics, and what each is for."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.nn import BatchNorm1d

use_book_style()
device = get_device()
gen = torch.Generator().manual_seed(0)


def batch(n=16):
    """n values of one feature whose batch mean is exactly 5 and batch (biased) variance exactly 4."""
    z = torch.randn(n, 1, generator=gen, dtype=torch.float64)  # float64: the same digits on every CPU
    z = (z - z.mean()) / z.std(unbiased=False)
    return (5 + 2 * z).to(device)


bn = BatchNorm1d(1, momentum=0.1, dtype=torch.float64).to(device)  # running mean starts at 0, running variance at 1
means, variances = [], []
for _ in range(50):
    bn(batch())  # training mode: normalise with this batch's statistics, update the running ones
    means.append(bn.running_mean.item())
    variances.append(bn.running_var.item())
print("after k batches    running mean    running var")
for k in [1, 5, 20, 50]:
    print(f"{k:14d}    {means[k - 1]:12.4f}    {variances[k - 1]:11.4f}")

# Evaluation mode: every example is normalised with the running statistics, alone or in any company.
bn.eval()
f64 = dict(dtype=torch.float64, device=device)
x = torch.tensor([[7.0]], **f64)
eval_alone = bn(x).item()
eval_among_others = bn(torch.tensor([[7.0], [0.0], [100.0]], **f64))[0].item()
print(f"\neval, x = 7 alone:            {eval_alone:.4f}")
print(f"eval, x = 7 among others:     {eval_among_others:.4f}")

# Training mode: the same x gets a different output depending on its batch-mates; alone it has no statistics.
bn.train()
train_with_5_9 = bn(torch.tensor([[7.0], [5.0], [9.0]], **f64))[0].item()
train_with_0_1 = bn(torch.tensor([[7.0], [0.0], [1.0]], **f64))[0].item()
print(f"train, x = 7 with 5 and 9:    {train_with_5_9 + 0.0:.4f}")  # + 0.0 turns -0.0 into 0.0
print(f"train, x = 7 with 0 and 1:    {train_with_0_1:.4f}")
try:
    bn(x)
except ValueError as err:
    print("train, x = 7 alone:           ValueError:", str(err).split(",")[0])

k = torch.arange(1, 51, dtype=torch.float64)
fig, ax = plt.subplots(figsize=(6.4, 3.8))
ax.plot(k, means, "o", ms=3, label="running mean")
ax.plot(k, variances, "s", ms=3, label="running variance")
ax.plot(k, 5 * (1 - 0.9**k), color="0.5", lw=1, label="closed forms")
ax.plot(k, 0.9**k + 4 * 16 / 15 * (1 - 0.9**k), color="0.5", lw=1)
ax.axhline(5, color="C0", ls=":", lw=1)
ax.axhline(4 * 16 / 15, color="C1", ls=":", lw=1)
ax.set(xlabel="training batches seen", ylabel="running statistic", title="Running statistics with momentum 0.1")
ax.legend(loc="lower right")
savefig(fig, "running_statistics")

publish(
    running_mean_1=means[0],
    running_mean_50=means[-1],
    running_var_50=variances[-1],
    eval_alone=eval_alone,
    eval_among_others=eval_among_others,
    train_with_5_9=train_with_5_9,
    train_with_0_1=train_with_0_1,
)
