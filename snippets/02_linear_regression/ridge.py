"""Ridge regression: the L2 penalty tames the weights when two features are nearly the same."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.linear import fit_ridge, least_squares_loss

use_book_style()
device = get_device()
torch.set_num_threads(1)  # hundreds of 3 × 3 problems: one thread is faster than waking a second one each time
g = torch.Generator().manual_seed(0)


def make_data(m):
    """Two features that agree to about 1%, and y = x₁ + x₂ + noise: the true weights are (1, 1)."""
    x1 = torch.randn(m, generator=g, dtype=torch.float64)
    x2 = x1 + 0.01 * torch.randn(m, generator=g, dtype=torch.float64)
    y = x1 + x2 + 0.1 * torch.randn(m, generator=g, dtype=torch.float64)
    return torch.stack([x1, x2], dim=1).to(device), y.to(device)


train_sets = [make_data(30) for _ in range(100)]  # 100 training sets of 30 examples, all from the same source
X_test, Y_test = make_data(1000)  # fresh data, to measure how well each fit predicts
X, Y = train_sets[0]

results = {}  # λ -> (w₁ and w₂ on set 1, spread of w₁, mean test loss)
print("     λ   w₁ (set 1)  w₂ (set 1)   spread of w₁ over 100 sets   mean test loss")
for lam in [0.0, 0.01, 0.1, 1.0, 10.0, 100.0]:
    Ws = torch.stack([fit_ridge(X_s, Y_s, lam) for X_s, Y_s in train_sets])
    test_loss = torch.stack([least_squares_loss(X_test, Y_test, W) for W in Ws]).mean()
    results[lam] = (Ws[0, 0].item(), Ws[0, 1].item(), Ws[:, 0].std().item(), test_loss.item())
    print(f"{lam:6g}   {Ws[0, 0].item():9.3f}   {Ws[0, 1].item():9.3f}   {Ws[:, 0].std().item():26.3f}"
          f"   {test_loss.item():14.5f}")

publish(
    spread_least_squares=results[0.0][2],
    spread_small_penalty=results[0.1][2],
    test_loss_least_squares=results[0.0][3],
    test_loss_small_penalty=results[0.1][3],
    test_loss_large_penalty=results[100.0][3],
)

lams = torch.logspace(-4, 3, 50, dtype=torch.float64).tolist()
path = torch.stack([fit_ridge(X, Y, lam)[:2].cpu() for lam in lams])
fig, ax = plt.subplots()
ax.semilogx(lams, path[:, 0], label="$w_1$")
ax.semilogx(lams, path[:, 1], label="$w_2$")
ax.axhline(1.0, color="0.5", ls=":", lw=1.2, label="true weights (1, 1)")
ax.set(xlabel=r"penalty $\lambda$", ylabel="weight (training set 1)", title="The ridge path: from least squares to zero")
ax.legend()
savefig(fig, "ridge_path")
