"""One artificial neuron: a weighted sum z = Σ wᵢxᵢ + b, then an activation a = f(z)."""

import torch

from lessonlib.activations import sigmoid
from lessonlib.book.device import get_device
from lessonlib.book.publish import publish

device = get_device()

x = torch.tensor([1.0, 0.5, -2.0], device=device)  # three inputs
w = torch.tensor([0.4, -0.6, 0.1], device=device)  # one weight per input
b = torch.tensor(0.3, device=device)  # the bias

z = (w * x).sum() + b  # the pre-activation z = Σ wᵢ xᵢ + b
a = sigmoid(z)  # the activation a = f(z)
print(f"z = 0.4·1 + (-0.6)·0.5 + 0.1·(-2) + 0.3 = {z.item():.4f}")
print(f"a = sigmoid(z) = {a.item():.4f}")

# Rosenblatt's perceptron: a step activation, and a rule that nudges w towards misclassified points.
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], device=device)
step = lambda z: (z > 0).float()
epochs, correct = {}, {}
for name, y in {"AND": torch.tensor([0.0, 0.0, 0.0, 1.0]), "XOR": torch.tensor([0.0, 1.0, 1.0, 0.0])}.items():
    y = y.to(device)
    w, b = torch.zeros(2, device=device), torch.zeros((), device=device)
    for epoch in range(1, 101):
        mistakes = 0
        for x_i, y_i in zip(X, y):
            error = y_i - step(w @ x_i + b)  # +1, 0 or -1
            w, b = w + error * x_i, b + error  # the perceptron learning rule
            mistakes += int(error != 0)
        if mistakes == 0:
            break
    epochs[name], correct[name] = epoch, int((step(X @ w + b) == y).sum())
    print(f"{name}: after {epoch} epochs w = {w.tolist()}, b = {b.item():+.0f}, {correct[name]}/4 correct")

publish(and_epochs=epochs["AND"], and_correct=correct["AND"], xor_epochs=epochs["XOR"], xor_correct=correct["XOR"])
