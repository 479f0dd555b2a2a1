"""Vanishing gradients, measured: the gradient norm of each layer of a 20-layer network after one backward pass."""

import math

import matplotlib.pyplot as plt
import torch

from lessonlib.activations import relu, sigmoid
from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.nn.normalization import layer_norm

use_book_style()
device = get_device()

depth, width, batch = 20, 64, 128
# float64 throughout: gradients as small as 1e-12 come out of twenty float32 matrix products with digits
# (and figure coordinates) that depend on the CPU's kernels; in float64 they do not.
f64 = dict(dtype=torch.float64)
gen = torch.Generator().manual_seed(0)
x = torch.randn(batch, width, generator=gen, **f64).to(device)  # a batch of inputs
r = torch.randn(batch, width, generator=gen, **f64).to(device)  # a fixed direction for the loss


def layer_gradient_norms(f, std, residual=False, norm=False):
    """Build the network h_l = f(h_{l-1} W_l) (+ h_{l-1}), run it forward and backward once; return ‖∂L/∂W_l‖."""
    g = torch.Generator().manual_seed(1)  # the same weights, up to scale, for every variant
    Ws = [(std * torch.randn(width, width, generator=g, **f64)).to(device).requires_grad_() for _ in range(depth)]
    h = x
    for W in Ws:
        z = h @ W
        if norm:
            z = layer_norm(z, (width,))  # rescale each example's pre-activations to mean 0, variance 1
        h = h + f(z) if residual else f(z)
    loss = (h * r).sum() / batch  # a loss whose gradient at the output is r / batch, whatever h is
    loss.backward()
    return [W.grad.norm().item() for W in Ws]


xavier, he = math.sqrt(1 / width), math.sqrt(2 / width)  # Glorot and Bengio's, and He et al.'s, standard deviations
panels = {
    "the activation decides": {
        "sigmoid": dict(f=sigmoid, std=xavier),
        "sigmoid + LayerNorm": dict(f=sigmoid, std=xavier, norm=True),
        "sigmoid + residual": dict(f=sigmoid, std=xavier, residual=True),
        "ReLU": dict(f=relu, std=he),
    },
    "normalisation repairs a bad scale (ReLU)": {
        "ReLU, He init": dict(f=relu, std=he),
        "ReLU, init ½ He": dict(f=relu, std=he / 2),
        "ReLU, init ½ He + LayerNorm": dict(f=relu, std=he / 2, norm=True),
    },
}
fig, axes = plt.subplots(1, 2, figsize=(12, 4), sharey=True)
print(f"{'network':<30}{'layer 1':>10}{'layer 20':>10}{'ratio':>10}")
layers = range(1, depth + 1)
measured = {}
for ax, (title, variants) in zip(axes, panels.items()):
    for (name, kwargs), marker in zip(variants.items(), "osD^"):
        norms = measured[name] = layer_gradient_norms(**kwargs)
        ax.semilogy(layers, norms, marker=marker, ms=4, label=name)
        if name != "ReLU, He init":  # the same network as "ReLU" on the left
            print(f"{name:<30}{norms[0]:>10.1e}{norms[-1]:>10.1e}{norms[0] / norms[-1]:>10.1e}")
    ax.set(title=title, xlabel="layer $l$ (1 = nearest the input)", xticks=[1, 5, 10, 15, 20])
    ax.legend(fontsize=9)
axes[0].set_ylabel(r"$\|\partial L / \partial W_l\|$")
savefig(fig, "vanishing_gradients")

print(f"sigmoid's largest slope, to the 20th power: 0.25**20 = {0.25**20:.1e}")

ratio = {name: norms[0] / norms[-1] for name, norms in measured.items()}  # layer 1's gradient over layer 20's
half_he = [small / right for small, right in zip(measured["ReLU, init ½ He"], measured["ReLU, He init"])]
publish(
    sigmoid_ratio=ratio["sigmoid"],
    sigmoid_layernorm_ratio=ratio["sigmoid + LayerNorm"],
    sigmoid_residual_ratio=ratio["sigmoid + residual"],
    relu_ratio=ratio["ReLU"],
    half_he_layernorm_ratio=ratio["ReLU, init ½ He + LayerNorm"],
    half_he_smallest_shrink=min(half_he),  # the half-He network's gradients over the He network's, layer by layer
    half_he_largest_shrink=max(half_he),
)
