"""Initialisation, measured: the signal's scale and the gradient's norm, layer by layer, in a 30-layer MLP."""

import math

import matplotlib.pyplot as plt
import torch
from torch import nn

from lessonlib.activations import relu, tanh
from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish

use_book_style()
device = get_device()

depth, width, batch = 30, 128, 32
# float64 throughout: thirty float32 matrix products would print last digits that depend on the CPU's kernels.
f64 = dict(dtype=torch.float64)
gen = torch.Generator().manual_seed(0)
x = torch.randn(batch, width, generator=gen, **f64).to(device)  # a batch of standardised inputs: Var(x) = 1
r = torch.randn(batch, width, generator=gen, **f64).to(device)  # a fixed direction for the loss
# One draw of standard normal weights, rescaled for every run, so the runs differ only in the scale.
V = torch.randn(depth, width, width, generator=gen, **f64).to(device)

right_std = {"tanh": math.sqrt(2 / (width + width)), "ReLU": math.sqrt(2 / width)}  # Glorot; He
activations = {"tanh": tanh, "ReLU": relu}
factors = {"too small (× 0.5)": 0.5, "right": 1.0, "too large (× 2)": 2.0}


def measure(f, std):
    """Forward through h_l = f(h_{l-1} W_l), then backward; return each layer's std(h_l) and ‖∂L/∂W_l‖."""
    Ws = (std * V).requires_grad_()
    h, stds = x, []
    for W in Ws:
        h = f(h @ W)
        stds.append(h.std().item())
    loss = (h * r).sum() / batch  # its gradient at the output is r / batch, the same for every run
    loss.backward()
    return stds, Ws.grad.flatten(1).norm(dim=1).tolist()


fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
results, shown = {}, [1, 10, 20, 30]
print(f"{depth} layers of width {width}; std of the activations h_l and norm of the gradient ∂L/∂W_l at layer l")
print(f"{'':8}{'weights':<19}" + "".join(f"std(h_{k})".ljust(10) for k in shown) + "‖∂L/∂W_1‖ ‖∂L/∂W_30‖")
for (name, f), style in zip(activations.items(), ["-", "--"]):
    for (label, factor), color in zip(factors.items(), ["C0", "C2", "C1"]):
        stds, grads = measure(f, factor * right_std[name])
        results[name, factor] = stds, grads
        row = "".join(f"{stds[k - 1]:<10.1e}" for k in shown) + f"{grads[0]:<10.1e}{grads[-1]:.1e}"  # two digits
        print(f"{name:<8}{label:<19}{row}")
        layers = range(1, depth + 1)
        axes[0].semilogy(layers, stds, style, color=color, label=f"{name}, {label}")
        axes[1].semilogy(layers, grads, style, color=color, label=f"{name}, {label}")
axes[0].set(title="forward: std of the activations", xlabel="layer $l$", ylabel=r"std$(h_l)$")
axes[1].set(title="backward: norm of the gradient", xlabel="layer $l$", ylabel=r"$\|\partial L / \partial W_l\|$")
axes[1].legend(fontsize=8, ncol=2, loc="center", bbox_to_anchor=(0.5, 0.35))  # in the empty middle band
savefig(fig, "initialisation_depth")

# PyTorch's default for nn.Linear: kaiming_uniform_ with a = √5 gives U(−1/√n_in, 1/√n_in), the bias the same.
n_in, n_out = 256, 64
torch.manual_seed(0)
layer = nn.Linear(n_in, n_out, dtype=torch.float64)
bound = 1 / math.sqrt(n_in)
torch.manual_seed(0)  # the same random numbers again, drawn by hand in the same order: weight, then bias
W = torch.empty(n_out, n_in, **f64).uniform_(-bound, bound)
b = torch.empty(n_out, **f64).uniform_(-bound, bound)
same = torch.allclose(layer.weight, W) and torch.allclose(layer.bias, b)
print(f"nn.Linear({n_in}, {n_out}) is U(-1/√n_in, 1/√n_in) for weight and bias: {same}")
ratio = layer.weight.var().item() / (1 / (3 * n_in))
print(f"variance of its weights / (1 / (3 n_in)) = {ratio:.2f}")

last = {key: stds[-1] for key, (stds, grads) in results.items()}  # std(h_30) of each run
publish(
    tanh_small_last_std=last["tanh", 0.5],
    tanh_glorot_last_std=last["tanh", 1.0],
    tanh_large_last_std=last["tanh", 2.0],
    relu_small_last_std=last["ReLU", 0.5],
    relu_he_last_std=last["ReLU", 1.0],
    relu_large_last_std=last["ReLU", 2.0],
    relu_he_first_std=results["ReLU", 1.0][0][0],
    tanh_large_grad_ratio=results["tanh", 2.0][1][0] / results["tanh", 2.0][1][-1],  # ‖∂L/∂W_1‖ / ‖∂L/∂W_30‖
    relu_large_over_he_grad=results["ReLU", 2.0][1][0] / results["ReLU", 1.0][1][0],
)
