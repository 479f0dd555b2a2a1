"""XOR: one neuron cannot separate it; a network with one hidden layer of two units can."""

import matplotlib.pyplot as plt
import torch
from torch import nn

from lessonlib.activations import sigmoid
from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import xor
from lessonlib.optim import Adam

use_book_style()
device = get_device()
torch.manual_seed(0)  # the initial weights

X, y = xor(n=40, noise=0.15, seed=0)  # ten noisy points around each corner
# float64 throughout: 300 Adam steps would otherwise carry float32's CPU-dependent rounding into the digits printed.
X, y = X.to(device, torch.float64), y.to(device, torch.float64)


def train(model, steps=300, lr=0.1):
    optimizer = Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        p = sigmoid(model(X).squeeze(1))  # the probability of class 1
        loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()  # binary cross-entropy
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


hidden = nn.Sequential(nn.Linear(2, 2), nn.Tanh())  # two hidden units
network = nn.Sequential(hidden, nn.Linear(2, 1)).to(device, torch.float64)
perceptron = nn.Linear(2, 1).to(device, torch.float64)  # z = w·x + b: one neuron

results = {}
for name, model in {"one neuron": perceptron, "2-2-1 network": network}.items():
    loss = train(model)
    with torch.no_grad():
        p = sigmoid(model(X).squeeze(1))
    results[name] = loss, int(((p > 0.5).double() == y).sum())
    print(f"{name:<14} loss {loss:.4f}   correct {results[name][1]}/40")

with torch.no_grad():
    H = hidden(X)  # what the output neuron sees: the points in hidden space
print("hidden representation h = tanh(W₁x + b₁) of the first point at each corner:")
for i in [0, 10, 20, 30]:
    print(f"  x = [{X[i, 0]:+.2f}, {X[i, 1]:+.2f}] -> h = [{H[i, 0]:+.3f}, {H[i, 1]:+.3f}]   y = {y[i]:.0f}")

# Decision regions on a grid of the input square, and the points in hidden space.
u = torch.linspace(-0.5, 1.5, 201, dtype=torch.float64, device=device)
grid = torch.cartesian_prod(u, u)
fig, axes = plt.subplots(1, 3, figsize=(12, 3.9))
colors = ["C0" if v == 0 else "C1" for v in y.tolist()]
for ax, (title, model) in zip(axes, {"one neuron: no line works": perceptron, "2-2-1 network: solved": network}.items()):
    with torch.no_grad():
        p = sigmoid(model(grid)).reshape(201, 201).T.cpu()
    ax.contourf(u.cpu(), u.cpu(), p, levels=[0, 0.5, 1], colors=["#0072B233", "#D55E0033"])
    ax.contour(u.cpu(), u.cpu(), p, levels=[0.5], colors="0.2", linewidths=1.5)
    ax.scatter(X[:, 0].cpu(), X[:, 1].cpu(), c=colors, s=90, edgecolors="k", zorder=3)
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
right = axes[2]
right.scatter(H[:, 0].cpu(), H[:, 1].cpu(), c=colors, s=90, edgecolors="k", zorder=3)
w, b = network[1].weight.detach().cpu()[0], network[1].bias.detach().cpu()[0]
h1 = torch.linspace(-1.1, 1.1, 50)
right.plot(h1, -(w[0] * h1 + b) / w[1], color="0.2", lw=1.5)  # where the output neuron's z = 0
right.set(title="hidden space: now a line works", xlabel="$h_1$", ylabel="$h_2$", xlim=(-1.1, 1.1), ylim=(-1.1, 1.1), aspect="equal")
savefig(fig, "xor")

publish(
    neuron_loss=results["one neuron"][0],
    neuron_correct=results["one neuron"][1],
    network_loss=results["2-2-1 network"][0],
    network_correct=results["2-2-1 network"][1],
)
