"""Binary cross-entropy on extreme logits: sigmoid-then-log, clamped probabilities, and the logits form."""

import torch

from lessonlib.activations import sigmoid
from lessonlib.book.device import get_device
from lessonlib.losses import binary_cross_entropy, binary_cross_entropy_with_logits

device = get_device()


def naive_bce(x, y):
    """-[y log σ(x) + (1 - y) log(1 - σ(x))], done literally."""
    p = sigmoid(x)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p))


forms = {
    "naive": naive_bce,
    "clamped (probabilities)": lambda x, y: binary_cross_entropy(sigmoid(x), y, reduction="none"),
    "with logits": lambda x, y: binary_cross_entropy_with_logits(x, y, reduction="none"),
}
cases = [(2.0, 1.0), (20.0, 0.0), (-20.0, 1.0), (1000.0, 0.0)]  # (logit x, target y), float32

print("    x    y  |  " + "  |  ".join(f"{name:>23}" for name in forms))
print("            |  " + "  |  ".join(f"{'loss':>11}{'dloss/dx':>12}" for _ in forms))
for x0, y0 in cases:
    cells = []
    for fn in forms.values():
        x = torch.tensor([x0], device=device, requires_grad=True)
        loss = fn(x, torch.tensor([y0], device=device))
        loss.sum().backward()
        cells.append(f"{loss.item() + 0.0:11.4f}{x.grad.item() + 0.0:12.4f}")  # + 0.0 turns -0.0 into 0.0
    print(f"{x0:6g}  {y0:g}  |  " + "  |  ".join(cells))
print("float32 sigmoid(20) == 1:", sigmoid(torch.tensor(20.0)).item() == 1.0)
