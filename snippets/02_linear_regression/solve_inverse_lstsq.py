"""Three ways to compute the least-squares weights on designs that grow ill-conditioned: inverse, solve, lstsq."""

import math

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.linear import add_bias_column, fit_lstsq, fit_normal_equation, polynomial_features

use_book_style()
device = get_device()
eps = torch.finfo(torch.float64).eps  # machine epsilon of float64, about 2.2e-16

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
degrees = list(range(2, 13, 2))
conds, errors, residuals = [], {name: [] for name in methods}, {}
for d in degrees:
    X = polynomial_features(x, d, include_bias=False)  # x, x², ..., x^d
    W_true = torch.ones(d + 1, dtype=torch.float64, device=device)  # the exact answer, known in advance
    X_tilde = add_bias_column(X)
    Y = X_tilde @ W_true  # no noise: the only errors are rounding errors
    conds.append(torch.linalg.cond(X_tilde).item())
    for name, fit in methods.items():
        W = fit(X, Y)
        errors[name].append(((W - W_true).norm() / W_true.norm()).item())  # relative error in W̃
        residuals[name] = ((X_tilde @ W - Y).norm() / Y.norm()).item()  # how well W̃ fits its data (kept for d = 12)

# The condition numbers are properties of the problem and print the same everywhere. The errors are rounding
# errors: their digits change with the CPU, the BLAS and the thread count, so the text reports what does not change,
# how fast they grow and where they stand against the guides κε and κ²ε; the figure draws the errors themselves.
print(" d   κ(X̃)      κ(X̃ᵀX̃) = κ(X̃)²   guide κ(X̃)ε   guide κ(X̃)²ε")
for d, k in zip(degrees, conds):
    print(f"{d:2d}   {k:7.1e}   {k**2:17.1e}   {k * eps:11.1e}   {k**2 * eps:12.1e}")


def growth(errs):
    """The exponent p in error ∝ κ^p: the slope of a least-squares line through (log κ, log error), d = 2 to 10.

    d = 12 is left out: there the inverse's and solve's errors are as large as the weights, and can grow no further.
    """
    u, v = [math.log(k) for k in conds[:-1]], [math.log(e) for e in errs[:-1]]
    u_mean, v_mean = sum(u) / len(u), sum(v) / len(v)
    return sum((a - u_mean) * (b - v_mean) for a, b in zip(u, v)) / sum((a - u_mean) ** 2 for a in u)


p = {name: growth(errs) for name, errs in errors.items()}
print("from d = 2 to 10 the error in W̃ grows like κ(X̃)^p: " + ", ".join(f"{name} p ≈ {p[name]:.0f}" for name in methods))

k = conds[-1]
above = {True: "above", False: "below"}
yes = {True: "yes", False: "no"}
print("at d = 12            error in W̃   below κ(X̃)ε   below κ(X̃)²ε   residual ‖X̃W̃ − Y‖/‖Y‖")
for name in methods:
    e = errors[name][-1]
    print(f"{name:<18}   {above[e >= 0.1]} 0.1    {yes[e < k * eps]:<3}            {yes[e < k**2 * eps]:<3}              "
          f"{above[residuals[name] >= 1e-6]} 1e-6")

# The errors and residuals are published for the tests, which check the claims about them; the page never quotes
# their digits, which vary from machine to machine.
publish(
    cond_d12=conds[-1],
    guide_squared_d12=conds[-1] ** 2 * eps,
    growth_inverse=p["explicit inverse"],
    growth_solve=p["solve (normal eq.)"],
    growth_lstsq=p["lstsq"],
    error_inverse_d12=errors["explicit inverse"][-1],
    error_solve_d12=errors["solve (normal eq.)"][-1],
    error_lstsq_d12=errors["lstsq"][-1],
    residual_inverse_d12=residuals["explicit inverse"],
    residual_solve_d12=residuals["solve (normal eq.)"],
    residual_lstsq_d12=residuals["lstsq"],
)

# Plotted to three significant digits: rounding errors are the subject here, not something to draw to the last bit.
conds = [float(f"{c:.2e}") for c in conds]
fig, ax = plt.subplots()
for (name, errs), marker in zip(errors.items(), "^os"):
    ax.loglog(conds, [float(f"{e:.2e}") for e in errs], marker + "-", label=name)
kappa = torch.tensor(conds, dtype=torch.float64)
ax.loglog(kappa, kappa * eps, ":", color="0.5", lw=1.2, label=r"$\kappa\,\epsilon$")
ax.loglog(kappa, kappa**2 * eps, "--", color="0.5", lw=1.2, label=r"$\kappa^2\epsilon$")
ax.set(xlabel=r"condition number $\kappa(\tilde X)$", ylabel=r"relative error in $\tilde W$",
       title="Squaring the matrix squares the error")
ax.legend(fontsize=9)
savefig(fig, "solve_inverse_lstsq")
