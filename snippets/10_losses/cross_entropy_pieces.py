"""Cross-entropy on raw logits is log-softmax followed by the negative log-likelihood."""

import torch
import torch.nn.functional as F

from lessonlib.activations import log_softmax, softmax
from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.losses import cross_entropy, nll_loss

device = get_device()

# Three examples, four classes: the raw scores (logits) a network's last layer produces
# (in float64, so that the printed digits do not depend on the CPU's float32 kernels).
z = torch.tensor(
    [[2.0, 0.5, -1.0, 0.0],
     [0.0, 0.0, 0.0, 0.0],
     [-1.0, 3.0, 0.5, 0.2]],
    dtype=torch.float64,
    device=device,
    requires_grad=True,
)
y = torch.tensor([0, 3, 2], device=device)  # the target classes

log_p = log_softmax(z, dim=1)  # log p_{i,c}: each row's probabilities sum to 1
per_example = nll_loss(log_p, y, reduction="none")  # -log p_{i, y_i}
print("probability of the target:", [round(p, 4) for p in log_p.exp().gather(1, y[:, None]).squeeze(1).tolist()])
print("loss per example:         ", [round(v, 4) for v in per_example.tolist()])

two_steps = nll_loss(log_p, y)
one_call = cross_entropy(z, y)
print(f"log_softmax + nll_loss = {two_steps.item():.4f}")
print(f"cross_entropy          = {one_call.item():.4f}")
print(f"torch F.cross_entropy  = {F.cross_entropy(z, y).item():.4f}")

# The gradient with respect to the logits is (softmax(z) - one_hot(y)) / N.
one_call.backward()
expected = (softmax(z.detach(), dim=1) - F.one_hot(y, num_classes=4)) / len(y)
print("gradient equals (softmax - one-hot) / N:", torch.allclose(z.grad, expected, atol=1e-6))
print("gradient of example 0:", [round(g, 4) for g in z.grad[0].tolist()])

publish(uniform_loss=per_example[1], mean_loss=one_call)  # example 1 has four equal logits
