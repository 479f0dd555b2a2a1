"""Grid search against random search on the same budget of 16 trainings, repeated over 20 seeds."""

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

from lessonlib.data import train_val_test_split, two_moons
from lessonlib.device import get_device
from lessonlib.plotting import savefig, use_book_style
from lessonlib.publish import publish

use_book_style()
device = get_device()
torch.set_num_threads(1)  # tensors this small train faster on one thread than on two

# 400 points, split 100 / 200 / 100 into training, validation and test sets. Everything is float64: the best
# learning rates lie near the edge of stability, where float32 rounding, which differs between CPUs, decides runs.
X, y = two_moons(400, noise=0.1, seed=0)
X_train, X_val, X_test, y_train, y_val, y_test = (
    t.to(device, torch.float64) for t in train_val_test_split(X, y.double(), proportions=(0.25, 0.5, 0.25), seed=0)
)


def forward(theta, X):
    """A 2-8-1 ReLU network; theta holds the weights of M networks stacked along a first axis."""
    W1, b1, W2, b2 = theta
    return ((X @ W1 + b1).relu() @ W2 + b2).squeeze(-1)  # logits, shape (M, len(X))


def bce(theta, X, y):
    """The binary cross-entropy of each of the M networks, shape (M,)."""
    logits = forward(theta, X)
    return F.binary_cross_entropy_with_logits(logits, y.expand_as(logits), reduction="none").mean(dim=1)


def train(lr, weight_decay, steps=100, width=8):
    """Train one network per (lr, weight_decay) pair, all at once: 100 steps of full-batch gradient descent."""
    M = len(lr)
    lr, weight_decay = (h.view(M, 1, 1).to(device, torch.float64) for h in (lr, weight_decay))
    gen = torch.Generator().manual_seed(0)  # every candidate starts from the same initial weights
    init = [torch.randn(2, width, generator=gen), torch.zeros(1, width),
            torch.randn(width, 1, generator=gen) * (2 / width) ** 0.5, torch.zeros(1, 1)]
    theta = [p.to(device, torch.float64).expand(M, *p.shape).clone().requires_grad_() for p in init]
    for _ in range(steps):
        # The M losses do not share parameters, so the gradient of their sum gives each network its own gradient.
        grads = torch.autograd.grad(bce(theta, X_train, y_train).sum(), theta)
        with torch.no_grad():
            for p, g in zip(theta, grads):
                p -= lr * (g + weight_decay * p)  # SGD with weight decay, as torch.optim.SGD does it
    return theta


def validation_loss(log_lr, log_wd):
    """The score of the search: validation loss after training; a run that diverged scores +inf."""
    theta = train(10.0 ** log_lr.double(), 10.0 ** log_wd.double())
    with torch.no_grad():
        loss = bce(theta, X_val, y_val).cpu()
    return loss.nan_to_num(nan=float("inf"))


# --8<-- [start:search]
# The search space, in log10 units, and the budget: 16 trainings per search.
LR_RANGE, WD_RANGE, BUDGET, SEEDS = (-3.0, 1.0), (-6.0, -2.0), 16, 20


def grid_points(log_lrs, log_wds):
    """Every combination of the given values: the Cartesian product, flattened."""
    A, B = torch.meshgrid(log_lrs, log_wds, indexing="ij")
    return A.flatten(), B.flatten()


def usual_grid():
    """4 x 4 values from edge to edge, as torch.linspace (or numpy.logspace) makes them."""
    return grid_points(torch.linspace(*LR_RANGE, 4), torch.linspace(*WD_RANGE, 4))


def shifted_grid(gen):
    """4 x 4 values, one in each quarter of each range, at a random place in the quarter: a fair grid."""
    offset = torch.rand(2, generator=gen)
    axis = lambda r, o: r[0] + (torch.arange(4.0) + o) * (r[1] - r[0]) / 4
    return grid_points(axis(LR_RANGE, offset[0]), axis(WD_RANGE, offset[1]))


def random_points(gen):
    """16 points drawn uniformly in log10 space: log-uniform learning rates and weight decays."""
    u = torch.rand(BUDGET, 2, generator=gen)
    return LR_RANGE[0] + u[:, 0] * (LR_RANGE[1] - LR_RANGE[0]), WD_RANGE[0] + u[:, 1] * (WD_RANGE[1] - WD_RANGE[0])


searches = {
    "grid": [usual_grid()],
    "shifted grid": [shifted_grid(torch.Generator().manual_seed(100 + s)) for s in range(SEEDS)],
    "random": [random_points(torch.Generator().manual_seed(s)) for s in range(SEEDS)],
}
lattice_lr, lattice_wd = torch.linspace(*LR_RANGE, 41), torch.linspace(*WD_RANGE, 9)  # for the picture

# Train every candidate of every search at once, then split the scores back up.
runs = [run for name in searches for run in searches[name]] + [grid_points(lattice_lr, lattice_wd)]
flat = validation_loss(torch.cat([a for a, _ in runs]), torch.cat([w for _, w in runs]))
pieces = iter(flat.split([len(a) for a, _ in runs]))
scores = {name: [next(pieces) for _ in searches[name]] for name in searches}
landscape = next(pieces).view(41, 9)


def best(name, seed):
    """The best point a search found, and its validation loss."""
    a, w = searches[name][seed]
    i = scores[name][seed].argmin()
    return a[i].item(), w[i].item(), scores[name][seed][i].item()


print(f"{len(flat)} networks trained; the best validation loss on the 41 x 9 lattice is {landscape.min().item():.3f}")
print(f"distinct learning rates tried: grid {len(searches['grid'][0][0].unique())}, "
      f"random {len(searches['random'][0][0].unique())}")
grid_lr, grid_wd, grid_loss = best("grid", 0)
print(f"the usual 4 x 4 grid: best lr = {10**grid_lr:.3g}, weight decay = {10**grid_wd:.1e}, "
      f"validation loss {grid_loss:.3f}")
table = {name: [best(name, s) for s in range(SEEDS)] for name in ("shifted grid", "random")}
print("seed        shifted grid                random search")
print("       loss     lr    weight decay     loss     lr    weight decay")
for s in range(SEEDS):
    print(f"{s:4d}" + "".join(f"   {v:.3f}  {10**a:6.3f}  {10**w:.2e}" for a, w, v in (table["shifted grid"][s], table["random"][s])))
summary = {}
for name in ("shifted grid", "random"):
    losses = torch.tensor([b[2] for b in table[name]], dtype=torch.float64)
    # torch's median of an even count is the lower of the two middle values
    summary[name] = losses.mean().item(), losses.median().item(), (losses < 0.1).sum().item()
    print(f"{name:>12}: mean {summary[name][0]:.3f}, median {summary[name][1]:.3f}, "
          f"below 0.1 in {summary[name][2]} of {SEEDS} seeds")
wins = sum(r[2] < g[2] for r, g in zip(table["random"], table["shifted grid"]))
wins_usual = sum(r[2] < grid_loss for r in table["random"])
print(f"random search beats the shifted grid in {wins} of {SEEDS} seeds, the usual grid in {wins_usual} of {SEEDS}")
shifted, rand = summary["shifted grid"], summary["random"]
publish(networks_trained=len(flat), lattice_best_loss=landscape.min(),
        lattice_best_lr=10 ** lattice_lr[landscape.argmin() // 9].item(), lattice_loss_at_lr_one=landscape[30].min(),
        grid_best_lr=10**grid_lr, grid_best_loss=grid_loss,
        shifted_mean=shifted[0], shifted_median=shifted[1], shifted_hits=shifted[2],
        random_mean=rand[0], random_median=rand[1], random_hits=rand[2],
        random_wins_over_shifted=wins, random_wins_over_usual=wins_usual)

# The picture: the landscape with the points of the usual grid and of random search (seed 0); above each, the
# validation loss against the learning rate alone (the best over weight decay), with the learning rates tried.
fig, axes = plt.subplots(2, 2, figsize=(11, 6.2), sharex=True, gridspec_kw={"height_ratios": [1, 2.4]})
shown = landscape.clamp(max=0.7).round(decimals=4)
profile = shown.min(dim=1).values
for col, (name, title) in enumerate([("grid", "grid search, 4 x 4"), ("random", "random search, 16 points (seed 0)")]):
    top, ax = axes[0, col], axes[1, col]
    cs = ax.contourf(lattice_lr, lattice_wd, shown.T, levels=torch.linspace(0, 0.7, 15).tolist(), cmap="viridis")
    a, w = searches[name][0]
    ax.plot(a, w, "o", ms=7, mfc="white", mec="black", clip_on=False)
    ba, bw, _ = best(name, 0)
    ax.plot([ba], [bw], "*", ms=16, mfc="C1", mec="black", clip_on=False)
    ax.set(xlabel="$\\log_{10}$ learning rate", ylabel="$\\log_{10}$ weight decay" if col == 0 else None)
    top.plot(lattice_lr, profile, color="0.3", lw=1.5)
    for x in a.unique():
        top.axvline(x, color="C1", lw=1, alpha=0.8)
    top.set(title=title, ylim=(0, 0.72), ylabel="validation loss" if col == 0 else None)
fig.colorbar(cs, ax=axes[1, :].tolist(), label="validation loss (capped at 0.7)")
savefig(fig, "grid_vs_random")
# --8<-- [end:search]
