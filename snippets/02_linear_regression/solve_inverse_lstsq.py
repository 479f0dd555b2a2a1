"""Three ways to compute the least-squares weights on designs that grow ill-conditioned: inverse, solve, lstsq."""

import matplotlib.pyplot as plt
import torch

from lessonlib.device import get_device
from lessonlib.linear import add_bias_column, fit_lstsq, fit_normal_equation, polynomial_features
from lessonlib.plotting import savefig, use_book_style

use_book_style()
device = get_device()
eps = torch.finfo(torch.float64).eps  # the unit roundoff of float64, about 2.2e-16

# Features x, x², ..., x^d of 50 points in [0, 1]: the columns look more and more alike as d grows.
x = torch.linspace(0, 1, 50, dtype=torch.float64, device=device)


def explicit_inverse(X, Y):
    """The formula taken literally: invert X̃ᵀX̃, then multiply by X̃ᵀY."""
    X_tilde = add_bias_column(X)
    return torch.linalg.inv(X_tilde.T @ X_tilde) @ (X_tilde.T @ Y)


methods = {
    "explicit inverse": explicit_inverse,
    "solve (normal eq.)": fit_normal_equation,  # torch.linalg.solve on X̃ᵀX̃ W̃ = X̃ᵀY
    "lstsq": fit_lstsq,
}
conds, errors = [], {name: [] for name in methods}
print(" d   cond(X̃)   cond(X̃ᵀX̃)   " + "   ".join(f"{name:>18}" for name in methods))
for d in range(2, 13, 2):
    X = polynomial_features(x, d, include_bias=False)  # x, x², ..., x^d
    W_true = torch.ones(d + 1, dtype=torch.float64, device=device)  # the exact answer, known in advance
    Y = add_bias_column(X) @ W_true  # no noise: the only errors are rounding errors
    X_tilde = add_bias_column(X)
    conds.append(torch.linalg.cond(X_tilde).item())
    row = []
    for name, fit in methods.items():
        W = fit(X, Y)
        errors[name].append(((W - W_true).norm() / W_true.norm()).item())  # relative error in W̃
        row.append(errors[name][-1])
    print(f"{d:2d}   {conds[-1]:7.1e}   {torch.linalg.cond(X_tilde.T @ X_tilde).item():9.1e}   "
          + "   ".join(f"{e:18.1e}" for e in row))

# At d = 12: how well does each answer fit the data it came from?
print("relative residual ‖X̃W̃ − Y‖/‖Y‖ at d = 12:",
      ", ".join(f"{name} {((X_tilde @ fit(X, Y) - Y).norm() / Y.norm()).item():.0e}" for name, fit in methods.items()))

# Plotted to three significant digits: rounding errors are the subject here, not something to draw to the last bit.
conds = [float(f"{c:.2e}") for c in conds]
fig, ax = plt.subplots()
for (name, errs), marker in zip(errors.items(), "^os"):
    ax.loglog(conds, [float(f"{e:.2e}") for e in errs], marker + "-", label=name)
k = torch.tensor(conds, dtype=torch.float64)
ax.loglog(k, k * eps, ":", color="0.5", lw=1.2, label=r"$\kappa\,\epsilon$")
ax.loglog(k, k**2 * eps, "--", color="0.5", lw=1.2, label=r"$\kappa^2\epsilon$")
ax.set(xlabel=r"condition number $\kappa(\tilde X)$", ylabel=r"relative error in $\tilde W$",
       title="Squaring the matrix squares the error")
ax.legend(fontsize=9)
savefig(fig, "solve_inverse_lstsq")
