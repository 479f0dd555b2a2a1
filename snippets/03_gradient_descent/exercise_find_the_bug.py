"""Exercise: a gradient with a bug in it, caught by a central-difference check."""

import torch

from lessonlib.functions import himmelblau
from lessonlib.gradcheck import check_gradient


def buggy_grad(w):
    """∇ of (x² + y − 11)² + (x + y² − 7)², with one factor of 2 forgotten."""
    x, y = w.unbind(-1)
    a, b = x**2 + y - 11, x + y**2 - 7
    return torch.stack([4 * x * a + 2 * b, 2 * a + 2 * y * b], dim=-1)  # the bug: 2 * y * b


w = torch.tensor([1.0, 2.0], dtype=torch.float64)
try:
    check_gradient(himmelblau, buggy_grad, w)
except ValueError as err:
    print("buggy gradient:", str(err).splitlines()[0])

print(f"fixed gradient: relative error {check_gradient(himmelblau, himmelblau.grad, w):.1e}")
