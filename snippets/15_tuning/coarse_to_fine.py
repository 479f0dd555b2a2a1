"""Coarse-to-fine grid search for the learning rate and weight decay of a small network on two moons."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.tuning import grid_points, two_moons_objective

use_book_style()
device = get_device()
torch.set_num_threads(1)  # tensors this small train faster on one thread than on two


def validation_loss(log_lr, log_wd):
    """The score of the search: the validation loss of a 2-8-1 network trained on two moons; diverged: +inf."""
    loss, _ = two_moons_objective(10.0 ** log_lr.double(), 10.0 ** log_wd.double(), device=device)
    return loss.cpu()


def stage(name, log_lrs, log_wds, lr_format):
    """Train on every combination, print the table of validation losses and the best point."""
    a, w = grid_points(log_lrs, log_wds)
    v = validation_loss(a, w)
    print(f"{name}: validation loss, lr down, weight decay across")
    print("  lr \\ wd " + "".join(f"{10**x:>8.0e}" for x in log_wds.tolist()))
    for log_lr, row in zip(log_lrs.tolist(), v.view(len(log_lrs), len(log_wds)).tolist()):
        print(f"{10**log_lr:>9{lr_format}}" + "".join(f"{x:8.3f}" for x in row))
    best = v.argmin()
    print(f"best of {name}: lr = {10 ** a[best].item():.3g}, weight decay = {10 ** w[best].item():.0e}, "
          f"validation loss {v[best].item():.3f}")
    return a, w, v, best


# Stage 1, coarse: one value per decade, wide ranges.
a1, w1, v1, best1 = stage("stage 1", torch.arange(-3.0, 2.0), torch.arange(-6.0, -1.0), ".0e")

# Stage 2, fine: zoom in around the best point, a quarter decade apart in lr.
fine_lr = a1[best1] + torch.linspace(-1.0, 1.0, 9)
fine_wd = w1[best1] + torch.linspace(-1.0, 1.0, 3)  # the best sat on the edge of the range: look beyond it
a2, w2, v2, best2 = stage("stage 2", fine_lr, fine_wd, ".3g")

# Only now, and only once, the test set: how good is the chosen network on data the search never saw?
test = {}
for name, a, w in [("stage 1", a1[best1], w1[best1]), ("stage 2", a2[best2], w2[best2])]:
    loss, accuracy = two_moons_objective(10.0 ** a.view(1), 10.0 ** w.view(1), split="test", device=device)
    test_loss, test_acc = loss.item(), accuracy.item()
    print(f"{name} choice on the test set: loss {test_loss:.3f}, accuracy {test_acc:.2f}")
    test[name] = test_loss, test_acc

after = v2.view(9, 3)[best2 // 3 + 1]  # stage 2's row one quarter decade above its best learning rate
publish(coarse_loss_smallest_lr=v1[0], coarse_best_lr=10 ** a1[best1].item(), coarse_best_log_wd=w1[best1],
        coarse_best_loss=v1[best1], fine_best_lr=10 ** a2[best2].item(), fine_best_wd=10 ** w2[best2].item(),
        fine_best_loss=v2[best2], fine_next_lr=10 ** fine_lr[best2 // 3 + 1].item(), fine_next_lr_best_loss=after.min(),
        coarse_test_loss=test["stage 1"][0], coarse_test_accuracy=test["stage 1"][1],
        fine_test_loss=test["stage 2"][0], fine_test_accuracy=test["stage 2"][1])

fig, ax = plt.subplots(figsize=(6.4, 4.6))
style = dict(cmap="viridis", vmin=0, vmax=0.7, edgecolors="0.3", clip_on=False)
sc = ax.scatter(a1, w1, c=v1.clamp(max=0.7), s=120, marker="s", **style)  # diverged runs (inf) in the top colour
ax.scatter(a2, w2, c=v2.clamp(max=0.7), s=36, marker="o", **style)
ax.plot(a2[best2], w2[best2], marker="*", ms=20, mfc="none", mec="C1", mew=2, ls="none")
fig.colorbar(sc, ax=ax, label="validation loss (capped at 0.7)")
handles = [plt.Line2D([], [], marker=m, ls="none", mfc="white", mec=c, ms=s, mew=w) for m, c, s, w in
           [("s", "0.3", 10, 1), ("o", "0.3", 6, 1), ("*", "C1", 14, 2)]]
ax.legend(handles, ["stage 1 (coarse)", "stage 2 (fine)", "chosen"], loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3)
ax.set(xlabel="$\\log_{10}$ learning rate", ylabel="$\\log_{10}$ weight decay", title="Coarse, then fine, around the best point")
savefig(fig, "coarse_to_fine")
