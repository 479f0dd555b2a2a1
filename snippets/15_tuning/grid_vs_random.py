"""Grid search against random search on the same budget of 16 trainings, repeated over 20 seeds."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.tuning import grid_points, two_moons_objective

use_book_style()
device = get_device()
torch.set_num_threads(1)  # tensors this small train faster on one thread than on two

# --8<-- [start:search]
# The search space, in log10 units, and the budget: 16 trainings per search.
LR_RANGE, WD_RANGE, BUDGET, SEEDS = (-3.0, 1.0), (-6.0, -2.0), 16, 20


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

# Train every candidate of every search at once (the objective of the coarse-to-fine example: the validation
# loss of a 2-8-1 network trained on two moons, +inf where it diverged), then split the scores back up.
runs = [run for name in searches for run in searches[name]] + [grid_points(lattice_lr, lattice_wd)]
log_lr, log_wd = torch.cat([a for a, _ in runs]), torch.cat([w for _, w in runs])
flat = two_moons_objective(10.0 ** log_lr.double(), 10.0 ** log_wd.double(), device=device)[0].cpu()
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
