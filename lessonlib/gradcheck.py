r"""Check a gradient numerically, with central differences.

For each coordinate $i$ the derivative is estimated from two evaluations,

$$
\frac{\partial L}{\partial w_i} \approx \frac{L(w + h e_i) - L(w - h e_i)}{2h},
$$

whose error shrinks like $h^2$ (a one-sided difference's shrinks only like $h$).
It costs two evaluations of $L$ per coordinate, far too slow to train with, and
just right for catching a wrong hand-written or hand-coded gradient.

References:
    CS231n, "Gradient checks".
    https://cs231n.github.io/neural-networks-3/#gradcheck
"""

from collections.abc import Callable

import torch
from torch import Tensor

from lessonlib._checks import check_real, check_tensor


def numerical_gradient(f: Callable[[Tensor], Tensor], w: Tensor, h: float = 1e-5) -> Tensor:
    r"""Estimate $\nabla L(w)$ by central differences.

    Args:
        f: the function; maps a tensor shaped like ``w`` to a scalar tensor.
        w: the point, a floating-point tensor of any shape (use float64: in
            float32 the rounding error of $L$ swamps the estimate).
        h: the step; must be positive.

    Returns:
        A tensor shaped like ``w``.

    Raises:
        TypeError: ``w`` is not a floating-point tensor, or ``h`` not a real number.
        ValueError: ``h`` is not finite, or not $> 0$.

    Examples:
        >>> w = torch.tensor([-1.5], dtype=torch.float64)
        >>> numerical_gradient(lambda w: (w**4 - 3 * w**3 + 2).sum(), w)
        tensor([-33.7500], dtype=torch.float64)
    """
    check_tensor("w", w, floating=True)
    check_real("h", h, above=0)
    w = w.detach().clone()
    grad = torch.zeros_like(w)
    flat_w, flat_grad = w.view(-1), grad.view(-1)
    for i in range(flat_w.numel()):
        original = flat_w[i].item()
        flat_w[i] = original + h
        f_plus = float(f(w))
        flat_w[i] = original - h
        f_minus = float(f(w))
        flat_w[i] = original
        flat_grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a: Tensor, b: Tensor) -> float:
    r"""The largest elementwise relative error $|a - b| / \max(|a|, |b|, 10^{-12})$.

    A rule of thumb for float64: below $10^{-7}$ the two gradients agree; above
    $10^{-3}$ one of them is almost surely wrong.

    Examples:
        >>> relative_error(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.002]))
        0.000999...
    """
    if a.shape != b.shape:
        raise ValueError(f"Invalid b shape: {tuple(b.shape)} (must be a's shape, {tuple(a.shape)})")
    scale = torch.maximum(a.abs(), b.abs()).clamp_min(1e-12)
    return float(((a - b).abs() / scale).max())


def check_gradient(
    f: Callable[[Tensor], Tensor],
    grad: Callable[[Tensor], Tensor],
    w: Tensor,
    h: float = 1e-5,
    tol: float = 1e-6,
) -> float:
    """Compare a gradient function with central differences at ``w``.

    Args:
        f: the function (tensor to scalar).
        grad: the gradient to check (tensor to tensor shaped like ``w``).
        w: the point.
        h: the finite-difference step.
        tol: the largest relative error accepted.

    Returns:
        The relative error, when it is within ``tol``.

    Raises:
        ValueError: the gradient disagrees with the numerical estimate, or
            ``tol`` is negative.

    Examples:
        >>> w = torch.tensor([0.5, -1.0], dtype=torch.float64)
        >>> check_gradient(lambda w: (w**2).sum(), lambda w: 2 * w, w) < 1e-8
        True
    """
    check_real("tol", tol, at_least=0)
    numeric = numerical_gradient(f, w, h)
    analytic = grad(w.detach()).to(numeric.dtype)
    error = relative_error(analytic, numeric)
    if error > tol:
        raise ValueError(
            f"gradient check failed: relative error {error:.3g} > tol {tol:g}\n"
            f"analytic: {analytic}\nnumeric:  {numeric}"
        )
    return error
