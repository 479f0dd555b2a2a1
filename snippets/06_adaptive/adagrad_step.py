"""AdaGrad's effective step α/(√v_t + ε) keeps shrinking; RMSProp's levels off. Noisy linear regression, two weights."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.optim import Adagrad, RMSprop

use_book_style()
device = get_device()
gen = torch.Generator(device="cpu").manual_seed(0)

# y = 2 x₁ - 3 x₂ + noise, with the second feature ten times smaller than the first.
X = torch.randn(4096, 2, generator=gen, dtype=torch.float64) * torch.tensor([1.0, 0.1], dtype=torch.float64)
y = X @ torch.tensor([2.0, -3.0], dtype=torch.float64) + 0.5 * torch.randn(4096, generator=gen, dtype=torch.float64)
X, y = X.to(device), y.to(device)
batches = torch.randint(0, 4096, (1000, 16), generator=gen)  # the same 1000 mini-batches of 16 for both

steps, lr = 1000, 0.1
effective, final = {}, {}
for name, make, key in [("AdaGrad", Adagrad, "sum"), ("RMSProp", RMSprop, "square_avg")]:
    w = torch.zeros(2, dtype=torch.float64, device=device, requires_grad=True)
    opt = make([w], lr=lr)
    eps = opt.param_groups[0]["eps"]
    history = []
    for idx in batches:
        Xb, yb = X[idx], y[idx]
        w.grad = 2 * Xb.T @ (Xb @ w.detach() - yb) / len(idx)  # ∇ of the mean squared error on the batch
        opt.step()
        history.append(lr / (opt.state[w][key].sqrt() + eps))  # the step per unit of gradient
    effective[name] = torch.stack(history).cpu()
    final[name] = w.detach().cpu()
    print(f"{name}: w after {steps} steps = [{w[0].item():.3f}, {w[1].item():.3f}]")

print("\n   t    AdaGrad α/(√v+ε):  w₁       w₂      RMSProp α/(√v+ε):  w₁       w₂")
for t in [1, 10, 100, 1000]:
    a, r = effective["AdaGrad"][t - 1], effective["RMSProp"][t - 1]
    print(f"{t:4d}    {a[0].item():21.4f}  {a[1].item():7.4f}   {r[0].item():21.4f}  {r[1].item():7.4f}")
shrinks = bool((effective["AdaGrad"][1:] <= effective["AdaGrad"][:-1]).all())
print(f"AdaGrad's effective step never grew: {shrinks}")

fig, ax = plt.subplots()
t = torch.arange(1, steps + 1)
for name, style in [("AdaGrad", "-"), ("RMSProp", "--")]:
    for i, color in [(0, "C0"), (1, "C1")]:
        ax.loglog(t, effective[name][:, i], style, color=color, lw=1.5, label=f"{name}, $w_{i + 1}$")
guide = effective["AdaGrad"][99, 0].item() * (t / 100) ** -0.5  # the 1/√t that v_t ∝ t would eventually give
ax.loglog(t, guide, ":", color="0.4", lw=1.2, label="slope −1/2 (eventual rate)")
ax.set(xlabel="step $t$", ylabel="effective step $\\alpha / (\\sqrt{v_t} + \\epsilon)$",
       title="AdaGrad's effective step only ever shrinks")
ax.legend(ncol=2, fontsize=9)
savefig(fig, "adagrad_effective_step")

# How much AdaGrad's effective step fell over the run, and how far RMSProp's ranged from step 10 on (after its start).
adagrad_fall = effective["AdaGrad"][0] / effective["AdaGrad"][-1]
later = effective["RMSProp"][9:]
rmsprop_range = later.max(dim=0).values / later.min(dim=0).values
publish(adagrad_w1_final=final["AdaGrad"][0], adagrad_w2_final=final["AdaGrad"][1],
        rmsprop_w1_final=final["RMSProp"][0], rmsprop_w2_final=final["RMSProp"][1],
        adagrad_fall_w1=adagrad_fall[0], adagrad_fall_w2=adagrad_fall[1],
        rmsprop_range_w1=rmsprop_range[0], rmsprop_range_w2=rmsprop_range[1], adagrad_never_grew=shrinks)
