"""Five activation functions and their derivatives: values, ranges, and a plot of both."""

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

from lessonlib.activations import gelu, relu, sigmoid, softmax, tanh
from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish

use_book_style()
device = get_device()

# float64 throughout: the printed digits then do not depend on the CPU's float32 kernels.
z = torch.tensor([-3.0, -1.0, 0.0, 1.0, 3.0], dtype=torch.float64, device=device)
print("z         " + "".join(f"{v:>8.1f}" for v in z.tolist()))
for name, f in {"relu": relu, "sigmoid": sigmoid, "tanh": tanh, "gelu": gelu}.items():
    print(f"{name:<10}" + "".join(f"{v:>8.4f}" for v in f(z).tolist()))
print("softmax   " + "".join(f"{v:>8.4f}" for v in softmax(z, dim=0).tolist()), f"  (sums to {softmax(z, dim=0).sum().item():.4f})")

# lessonlib's versions agree with torch.nn.functional's.
grid = torch.linspace(-6, 6, 1201, dtype=torch.float64, device=device, requires_grad=True)
pairs = {"relu": (relu, F.relu), "sigmoid": (sigmoid, torch.sigmoid), "tanh": (tanh, torch.tanh), "gelu": (gelu, F.gelu)}
worst = max((ours(grid) - theirs(grid)).abs().max().item() for ours, theirs in pairs.values())
print(f"agrees with torch.nn.functional to within 1e-6 on [-6, 6]: {worst < 1e-6}")

# GELU dips below zero: its minimum, found on a fine grid.
g = gelu(grid).detach()
print(f"GELU's minimum: {g.min().item():.4f} at z = {grid[g.argmin()].item():.2f}")

# Derivatives by autograd: each output depends on its own input only, so the gradient
# of the sum is the element-wise derivative.
largest_slope = {}
fig, axes = plt.subplots(2, 2, figsize=(11, 6.4), sharex=True)
(top, soft_top), (bottom, soft_bottom) = axes
for name, (f, _) in pairs.items():
    a = f(grid)
    (da,) = torch.autograd.grad(a.sum(), grid)
    top.plot(grid.detach().cpu(), a.detach().cpu(), label=name)
    bottom.plot(grid.detach().cpu(), da.cpu(), label=name)
    print(f"largest slope of {name:<8}{da.max().item():.4f}")
    largest_slope[name] = da.max().item()
top.set(ylabel="$a = f(z)$", ylim=(-1.3, 3.2), title="Element-wise activations")
bottom.set(xlabel="$z$", ylabel="$f'(z)$", ylim=(-0.2, 1.25), title="Their derivatives")
top.legend(loc="upper left")

# Softmax acts on a whole vector: here the logits (z, 1, 0), as z varies.
logits = torch.stack([grid, torch.ones_like(grid), torch.zeros_like(grid)], dim=1)
p = softmax(logits, dim=1)
(dp,) = torch.autograd.grad(p[:, 0].sum(), grid)  # ∂p₁/∂z = p₁(1 − p₁)
for k, label in enumerate(["$p_1$ (logit $z$)", "$p_2$ (logit 1)", "$p_3$ (logit 0)"]):
    soft_top.plot(grid.detach().cpu(), p[:, k].detach().cpu(), color=f"C{k + 4}", label=label)
soft_bottom.plot(grid.detach().cpu(), dp.cpu(), color="C4", label="$\\partial p_1 / \\partial z$")
soft_top.set(ylabel="probability", title="Softmax of the logits $(z, 1, 0)$")
soft_bottom.set(xlabel="$z$", ylim=(-0.2, 1.25), title="Its derivative")
soft_top.legend(loc="center left")
soft_bottom.legend(loc="upper left")
savefig(fig, "activations")

publish(
    gelu_min=g.min(),
    gelu_argmin=grid[g.argmin()],
    sigmoid_largest_slope=largest_slope["sigmoid"],
    tanh_largest_slope=largest_slope["tanh"],
    gelu_largest_slope=largest_slope["gelu"],
)
