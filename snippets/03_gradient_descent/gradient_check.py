"""Check hand-written gradients against central differences, and see how the step h matters."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.functions import beale, quartic, rosenbrock
from lessonlib.gradcheck import numerical_gradient, relative_error

use_book_style()

# Gradient checks run in float64 and on the CPU: they are about correctness, not speed.
points = {quartic: [-1.5], rosenbrock: [-1.0, 1.5], beale: [1.0, 1.0]}
print(f"{'function':<12}{'analytic':>26}{'numerical':>26}{'rel. error':>12}")
for fn, point in points.items():
    w = torch.tensor(point, dtype=torch.float64)
    analytic, numeric = fn.grad(w), numerical_gradient(fn, w, h=1e-5)
    fmt = lambda g: "[" + ", ".join(f"{x:.6f}" for x in g.tolist()) + "]"
    print(f"{fn.name:<12}{fmt(analytic):>26}{fmt(numeric):>26}{relative_error(analytic, numeric):>12.1e}")

# The error of one-sided and central differences as h shrinks, for L'(w) at w = -1.5.
w0, exact = -1.5, 4 * (-1.5) ** 3 - 9 * (-1.5) ** 2
hs = torch.logspace(-12, -1, 45, dtype=torch.float64)
L = lambda w: w**4 - 3 * w**3 + 2
one_sided = [abs((L(w0 + h) - L(w0)) / h - exact) for h in hs.tolist()]
central = [abs((L(w0 + h) - L(w0 - h)) / (2 * h) - exact) for h in hs.tolist()]
best = min(range(len(hs)), key=lambda i: central[i])
print(f"central differences are most accurate near h = {hs[best].item():.0e} (error {central[best]:.1e})")

fig, ax = plt.subplots()
ax.loglog(hs, one_sided, "o-", ms=3, label="one-sided $(L(w+h) - L(w))/h$")
ax.loglog(hs, central, "s-", ms=3, label="central $(L(w+h) - L(w-h))/2h$")
ax.set(xlabel="step $h$", ylabel="absolute error in $L'(-1.5)$", title="Truncation error falls with h, rounding error grows")
ax.legend()
savefig(fig, "gradient_check_error")
