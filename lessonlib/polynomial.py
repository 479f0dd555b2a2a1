r"""Fitting a polynomial to points of one input, with or without a ridge penalty.

Notation: $m$ points $(x_i, y_i)$, a polynomial of degree $d$ with weights
$w = (w_0, w_1, \dots, w_d)$, $\hat y = \sum_{k=0}^{d} w_k x^k = P w$, where
$P$ is the $m \times (d + 1)$ matrix of powers
([`polynomial_features`][lessonlib.linear.polynomial_features]). The fit
minimises the mean squared error plus, with $\lambda > 0$, an L2 penalty on
every weight but the constant $w_0$:

$$
\min_w \; \frac{1}{2m} \lVert P w - y \rVert^2 + \frac{\lambda}{2} \sum_{k=1}^{d} w_k^2
\quad\Longrightarrow\quad
\Bigl(\frac{1}{m} P^\top P + \lambda D\Bigr) w = \frac{1}{m} P^\top y,
\qquad D = \operatorname{diag}(0, 1, \dots, 1)
$$

This is chapter 12's objective: a mean, as the losses of a network are, so
$\lambda$ is the `weight_decay` that gradient descent on it would use.
[`lessonlib.linear.fit_ridge`][lessonlib.linear.fit_ridge] sums instead, as
scikit-learn's ``Ridge`` does: its $\lambda$ is $m$ times this one.
"""

import torch
from torch import Tensor

from lessonlib._checks import check_integer, check_ndim, check_real, check_tensor
from lessonlib.linear import polynomial_features

__all__ = ["evaluate_polynomial", "fit_polynomial"]


def fit_polynomial(x: Tensor, y: Tensor, degree: int, *, lam: float = 0.0) -> Tensor:
    r"""The least-squares polynomial of a degree, ridge-penalised when $\lambda > 0$.

    With $\lambda = 0$ the weights minimise $\lVert P w - y \rVert^2$, solved
    by ``torch.linalg.lstsq`` (on the CPU its SVD driver ``gelsd``, which also
    answers when $d + 1 > m$: the interpolating polynomial of smallest norm).
    With $\lambda > 0$ they solve the linear system above (never inverted).

    Args:
        x: the inputs, shape ``(m,)``, floating point.
        y: the targets, the same shape.
        degree: $d \ge 0$.
        lam: $\lambda \ge 0$, the strength of the penalty on $w_1, \dots, w_d$.

    Returns:
        $w_0, \dots, w_d$, shape ``(d + 1,)``, lowest power first.

    Raises:
        TypeError: ``x`` or ``y`` is not a floating-point tensor, ``degree``
            is not an integer, or ``lam`` is not a real number.
        ValueError: ``x`` is not 1-D, ``y`` has another shape, ``degree`` is
            negative, or ``lam`` is negative.

    Examples:
        >>> x = torch.tensor([-1.0, 0.0, 1.0, 2.0], dtype=torch.float64)
        >>> fit_polynomial(x, 1 + 2 * x - x**2, degree=2)
        tensor([ 1.,  2., -1.], dtype=torch.float64)
        >>> fit_polynomial(x, 1 + 2 * x - x**2, degree=2, lam=1.0)  # shrunk towards a constant
        tensor([ 0.4348,  0.6522, -0.1739], dtype=torch.float64)

    References:
        A. E. Hoerl and R. W. Kennard, "Ridge regression: biased estimation for
        nonorthogonal problems", Technometrics 12(1), 1970,
        https://doi.org/10.1080/00401706.1970.10488634
    """
    check_tensor("x", x, floating=True)
    check_ndim("x", x, 1, "(m,)")
    check_tensor("y", y, floating=True)
    if y.shape != x.shape:
        raise ValueError(f"Invalid y shape: {tuple(y.shape)} (must be x's, {tuple(x.shape)})")
    check_integer("degree", degree, minimum=0)
    check_real("lam", lam, at_least=0)
    P = polynomial_features(x, degree)
    if lam == 0:
        driver = "gelsd" if x.device.type == "cpu" else None  # CUDA has only QR (gels)
        return torch.linalg.lstsq(P, y[:, None], driver=driver).solution[:, 0]
    m = len(x)
    D = torch.eye(degree + 1, dtype=x.dtype, device=x.device)
    D[0, 0] = 0.0  # the constant term is not penalised
    return torch.linalg.solve(P.T @ P / m + lam * D, P.T @ y / m)


def evaluate_polynomial(w: Tensor, x: Tensor) -> Tensor:
    r"""The polynomial's values $\hat y_i = \sum_{k=0}^{d} w_k x_i^k$.

    Args:
        w: $w_0, \dots, w_d$, shape ``(d + 1,)``, lowest power first (as
            `fit_polynomial` returns them).
        x: the inputs, shape ``(m,)``.

    Returns:
        $\hat y$, shape ``(m,)``.

    Raises:
        TypeError: ``w`` or ``x`` is not a tensor.
        ValueError: ``w`` or ``x`` is not 1-D, or ``w`` is empty.

    Examples:
        >>> evaluate_polynomial(torch.tensor([1.0, 2.0, -1.0]), torch.tensor([0.0, 1.0, 3.0]))
        tensor([ 1.,  2., -2.])
    """
    check_tensor("w", w)
    check_ndim("w", w, 1, "(d + 1,)")
    if len(w) == 0:
        raise ValueError("Invalid w shape: (0,) (must hold at least w_0)")
    check_tensor("x", x)
    check_ndim("x", x, 1, "(m,)")
    return polynomial_features(x, len(w) - 1) @ w
