r"""Linear least squares, three ways, and ridge regression.

Notation: $X$ is $m \times n$ ($m$ examples, $n$ features), $Y$ is
$m \times t$ ($t$ targets; a 1-D ``y`` of shape ``(m,)`` is the case $t = 1$
and gives 1-D weights back). The model is $\hat Y = X W + \mathbf{1} b^\top$.

The bias-absorption trick appends a column of ones to $X$, so that the bias
becomes the last row of the weights and the model one matrix product:

$$
\tilde X = \begin{bmatrix} X & \mathbf{1} \end{bmatrix} \in \mathbb{R}^{m \times (n+1)},
\qquad
\tilde W = \begin{bmatrix} W \\ b^\top \end{bmatrix} \in \mathbb{R}^{(n+1) \times t},
\qquad
\hat Y = \tilde X \tilde W
$$

Every ``fit_*`` function takes ``bias=True`` to do this (``bias=False`` fits
$\hat Y = X W$, a line through the origin) and returns $\tilde W$.
"""

import torch
from torch import Tensor

from lessonlib._checks import check_integer, check_lr, check_ndim, check_real, check_tensor


def _check_X(X: Tensor) -> None:
    check_tensor("X", X)
    check_ndim("X", X, 2, "(m, n)")


def _check_XY(X: Tensor, Y: Tensor) -> None:
    _check_X(X)
    check_tensor("Y", Y)
    if Y.ndim not in (1, 2) or Y.shape[0] != X.shape[0]:
        raise ValueError(
            f"Invalid Y shape: {tuple(Y.shape)} (must be (m,) or (m, t) with m = {X.shape[0]}, the rows of X)"
        )


def _X_tilde(X: Tensor, bias: bool) -> Tensor:
    """X with a column of ones appended when ``bias``, else X itself."""
    return add_bias_column(X) if bias else X


def add_bias_column(X: Tensor) -> Tensor:
    r"""Append a column of ones to $X$: $\tilde X = [X \;\; \mathbf{1}]$.

    Args:
        X: Inputs, shape ``(m, n)``.

    Returns:
        $\tilde X$, shape ``(m, n + 1)``, same dtype and device as ``X``.

    Raises:
        TypeError: ``X`` is not a tensor.
        ValueError: ``X`` is not 2-D.

    Examples:
        >>> add_bias_column(torch.tensor([[2.0, 3.0], [4.0, 5.0]]))
        tensor([[2., 3., 1.],
                [4., 5., 1.]])
    """
    _check_X(X)
    ones = torch.ones(X.shape[0], 1, dtype=X.dtype, device=X.device)
    return torch.cat([X, ones], dim=1)


def polynomial_features(x: Tensor, degree: int, *, include_bias: bool = True) -> Tensor:
    r"""The powers of a 1-D input as columns: $[\,1 \;\; x \;\; x^2 \;\; \cdots \;\; x^d\,]$.

    A polynomial of degree $d$ in $x$ is a linear model in these features,
    $\hat y = \sum_{k=0}^{d} w_k x^k$, so every ``fit_*`` function fits it.

    Args:
        x: Inputs, shape ``(m,)``.
        degree: $d \ge 0$, the highest power.
        include_bias: Whether to keep the column of ones ($x^0$) first, as
            scikit-learn's ``PolynomialFeatures`` does; leave it out when
            the fit adds its own bias.

    Returns:
        Shape ``(m, d + 1)``, or ``(m, d)`` without the column of ones; same
            dtype and device as ``x``.

    Raises:
        TypeError: ``x`` is not a tensor, or ``degree`` is not an integer.
        ValueError: ``x`` is not 1-D, or ``degree`` is negative.

    Examples:
        >>> polynomial_features(torch.tensor([2.0, 3.0]), 3)
        tensor([[ 1.,  2.,  4.,  8.],
                [ 1.,  3.,  9., 27.]])
    """
    check_tensor("x", x)
    check_ndim("x", x, 1, "(m,)")
    check_integer("degree", degree, minimum=0)
    columns = [x**k for k in range(0 if include_bias else 1, degree + 1)]  # x**k with an int k, as a reader writes it
    return torch.stack(columns, dim=1) if columns else x.new_empty((x.shape[0], 0))


def predict(X: Tensor, W: Tensor, *, bias: bool = True) -> Tensor:
    r"""The linear model's predictions $\hat Y = \tilde X \tilde W$ (or $X W$).

    Args:
        X: Inputs, shape ``(m, n)``.
        W: Weights, shape ``(n + 1,)`` or ``(n + 1, t)`` with the bias as the
            last row (``bias=True``), or ``(n,)`` or ``(n, t)``.
        bias: Whether the last row of ``W`` is the bias.

    Returns:
        $\hat Y$, shape ``(m,)`` or ``(m, t)``, following ``W``.

    Raises:
        ValueError: ``X`` is not 2-D, or ``W`` has the wrong number of rows.

    Examples:
        >>> predict(torch.tensor([[1.0], [2.0]]), torch.tensor([3.0, 0.5]))
        tensor([3.5000, 6.5000])
    """
    X_tilde = _X_tilde(X, bias)
    if W.ndim not in (1, 2) or W.shape[0] != X_tilde.shape[1]:
        raise ValueError(
            f"Invalid W shape: {tuple(W.shape)} (must have {X_tilde.shape[1]} rows "
            f"for X of shape {tuple(X.shape)} with bias={bias})"
        )
    return X_tilde @ W


def fit_normal_equation(X: Tensor, Y: Tensor, *, bias: bool = True) -> Tensor:
    r"""Least squares by the normal equation, solved (never inverted).

    Setting the gradient of $\lVert \tilde X \tilde W - Y \rVert_F^2$ to zero
    gives the normal equation, a square $(n+1) \times (n+1)$ linear system:

    $$
    \tilde X^\top \tilde X \, \tilde W = \tilde X^\top Y
    $$

    Args:
        X: Inputs, shape ``(m, n)``.
        Y: Targets, shape ``(m,)`` or ``(m, t)``.
        bias: Append a column of ones (fit a bias as the last row of $\tilde W$).

    Returns:
        $\tilde W$, shape ``(n + 1,)`` or ``(n + 1, t)`` (``(n, ...)`` without bias).

    Raises:
        ValueError: ``X`` is not 2-D, or ``Y`` does not have ``m`` rows.
        torch.linalg.LinAlgError: $\tilde X^\top \tilde X$ is singular
            (collinear features, or $m < n + 1$); use
            [`fit_lstsq`][lessonlib.linear.fit_lstsq] or
            [`fit_ridge`][lessonlib.linear.fit_ridge] then.

    Examples:
        >>> X = torch.tensor([[0.0], [1.0], [2.0]])
        >>> y = 2 * X[:, 0] + 1
        >>> fit_normal_equation(X, y)
        tensor([2.0000, 1.0000])

    References:
        C. F. Gauss, *Theoria motus corporum coelestium*, 1809 (least squares).

    Note:
        ``torch.linalg.solve`` factorises the matrix (LU) and back-substitutes;
        forming $(\tilde X^\top \tilde X)^{-1}$ would cost more and lose
        accuracy. Squaring $\tilde X$ squares its condition number; for
        ill-conditioned data prefer [`fit_lstsq`][lessonlib.linear.fit_lstsq]
        (QR/SVD based).
    """
    _check_XY(X, Y)
    X_tilde = _X_tilde(X, bias)
    return torch.linalg.solve(X_tilde.T @ X_tilde, X_tilde.T @ Y)


def fit_lstsq(X: Tensor, Y: Tensor, *, bias: bool = True) -> Tensor:
    r"""Least squares by ``torch.linalg.lstsq`` (SVD on the CPU, no normal equation).

    $$
    \tilde W = \operatorname*{arg\,min}_{\tilde W} \lVert \tilde X \tilde W - Y \rVert_F^2
    $$

    Args:
        X: Inputs, shape ``(m, n)``; its columns may be collinear, and $m$ may
            be less than $n + 1$.
        Y: Targets, shape ``(m,)`` or ``(m, t)``.
        bias: Append a column of ones (fit a bias as the last row of $\tilde W$).

    Returns:
        $\tilde W$, shaped as by [`fit_normal_equation`][lessonlib.linear.fit_normal_equation];
            on the CPU, the one of least norm when several minimise the loss.

    Raises:
        ValueError: ``X`` is not 2-D, or ``Y`` does not have ``m`` rows.

    Examples:
        >>> X = torch.tensor([[0.0], [1.0], [2.0]])
        >>> fit_lstsq(X, torch.tensor([1.0, 3.0, 5.0]))
        tensor([2.0000, 1.0000])

    Note:
        On the CPU this uses the SVD-based driver ``gelsd``, as
        ``numpy.linalg.lstsq`` does: with rank-deficient $\tilde X$ (collinear
        features) it returns the minimum-norm solution. torch's CPU default,
        ``gelsy``, misjudged the rank of such a matrix in our tests. On CUDA only
        ``gels`` (QR) exists, which needs full-rank, tall $\tilde X$.
    """
    _check_XY(X, Y)
    X_tilde = _X_tilde(X, bias)
    Y2 = Y if Y.ndim == 2 else Y[:, None]  # lstsq wants a matrix right-hand side
    # SVD-based "gelsd", as NumPy uses, on the CPU; CUDA offers only QR ("gels")
    driver = "gelsd" if X.device.type == "cpu" else None
    W = torch.linalg.lstsq(X_tilde, Y2, driver=driver).solution
    return W if Y.ndim == 2 else W[:, 0]


def least_squares_loss(X: Tensor, Y: Tensor, W: Tensor, *, bias: bool = True) -> Tensor:
    r"""The least-squares loss $L(\tilde W) = \frac{1}{2m} \lVert \tilde X \tilde W - Y \rVert_F^2$.

    Args:
        X: Inputs, shape ``(m, n)``.
        Y: Targets, shape ``(m,)`` or ``(m, t)``.
        W: Weights as returned by the ``fit_*`` functions.
        bias: Whether the last row of ``W`` is the bias.

    Returns:
        The loss, a 0-d tensor.

    Examples:
        >>> least_squares_loss(torch.tensor([[1.0], [2.0]]), torch.tensor([1.0, 1.0]),
        ...                    torch.tensor([0.0, 0.0]))
        tensor(0.5000)

    Note:
        This is half the mean squared error of the linear model, not
        [`losses.mse_loss`][lessonlib.losses.mse_loss]: that one compares
        any predictions with their targets and has no $\frac{1}{2}$.
    """
    m = X.shape[0]
    R = predict(X, W, bias=bias) - Y  # residuals
    return (R**2).sum() / (2 * m)


def fit_gradient_descent(
    X: Tensor, Y: Tensor, *, lr: float = 0.1, n_steps: int = 1000, bias: bool = True
) -> tuple[Tensor, Tensor]:
    r"""Least squares by plain gradient descent from $\tilde W_0 = 0$.

    $$
    L(\tilde W) = \frac{1}{2m} \lVert \tilde X \tilde W - Y \rVert_F^2,
    \qquad
    \nabla L = \frac{1}{m} \tilde X^\top (\tilde X \tilde W - Y),
    \qquad
    \tilde W_{s+1} = \tilde W_s - \alpha \, \nabla L(\tilde W_s)
    $$

    Args:
        X: Inputs, shape ``(m, n)``.
        Y: Targets, shape ``(m,)`` or ``(m, t)``.
        lr: The step size $\alpha \ge 0$. It converges when
            $0 < \alpha < 2 / \lambda_{\max}(\tilde X^\top \tilde X / m)$.
        n_steps: The number of updates, $\ge 0$.
        bias: Append a column of ones (fit a bias as the last row of $\tilde W$).

    Returns:
        ``(W, losses)``: $\tilde W_{\text{n\_steps}}$, shaped as in
            [`fit_normal_equation`][lessonlib.linear.fit_normal_equation], and the loss history
            $L(\tilde W_0), \dots, L(\tilde W_{\text{n\_steps}})$, a tensor of
            ``n_steps + 1`` values.

    Raises:
        TypeError: ``lr`` is not a real number, or ``n_steps`` not an integer.
        ValueError: ``lr`` is negative or not finite, ``n_steps`` is negative,
            or the shapes of ``X`` and ``Y`` do not fit.

    Examples:
        >>> X = torch.tensor([[0.0], [1.0], [2.0]])
        >>> W, losses = fit_gradient_descent(X, 2 * X[:, 0] + 1, lr=0.3, n_steps=200)
        >>> W
        tensor([2.0000, 1.0000])
        >>> len(losses), float(losses[0]), bool(losses[-1] < 1e-8)
        (201, 5.833, True)

    Note:
        The factor $\frac{1}{2m}$ makes the gradient an average with no stray 2;
        texts that use $\frac{1}{m}$ (the mean squared error) have twice the
        gradient, so the same $\alpha$ takes steps twice as long there.
    """
    check_lr(lr)
    check_integer("n_steps", n_steps, minimum=0)
    _check_XY(X, Y)
    X_tilde = _X_tilde(X, bias)
    m = X.shape[0]
    W = torch.zeros((X_tilde.shape[1], *Y.shape[1:]), dtype=X.dtype, device=X.device)
    losses: list[Tensor] = []
    for _ in range(n_steps):
        R = X_tilde @ W - Y  # residuals
        losses.append((R**2).sum() / (2 * m))
        grad = X_tilde.T @ R / m
        W = W - lr * grad
    losses.append(((X_tilde @ W - Y) ** 2).sum() / (2 * m))
    return W, torch.stack(losses)


def fit_ridge(X: Tensor, Y: Tensor, lam: float, *, bias: bool = True) -> Tensor:
    r"""Ridge regression in closed form; the bias is not penalised.

    Notation: $D = \operatorname{diag}(1, \dots, 1, 0)$ is the
    $(n+1) \times (n+1)$ identity with the bias entry zeroed ($D = I_n$ when
    ``bias=False``).

    $$
    \tilde W = \operatorname*{arg\,min}_{\tilde W}
        \lVert \tilde X \tilde W - Y \rVert_F^2 + \lambda \lVert W \rVert_F^2
    \quad\Longrightarrow\quad
    (\tilde X^\top \tilde X + \lambda D)\, \tilde W = \tilde X^\top Y
    $$

    Args:
        X: Inputs, shape ``(m, n)``.
        Y: Targets, shape ``(m,)`` or ``(m, t)``.
        lam: The penalty $\lambda \ge 0$ on the weights $W$ (not on the bias);
            $\lambda = 0$ is least squares.
        bias: Append a column of ones (fit an unpenalised bias as the last row).

    Returns:
        $\tilde W$, shape ``(n + 1,)`` or ``(n + 1, t)`` (``(n, ...)`` without bias).

    Raises:
        TypeError: ``lam`` is not a real number.
        ValueError: ``lam`` is negative or not finite, or the shapes of ``X``
            and ``Y`` do not fit.

    Examples:
        >>> X = torch.tensor([[0.0], [1.0], [2.0]])
        >>> fit_ridge(X, 2 * X[:, 0] + 1, lam=2.0)
        tensor([1.0000, 2.0000])

    References:
        A. E. Hoerl and R. W. Kennard, "Ridge regression: biased estimation for
        nonorthogonal problems", Technometrics 12(1), 1970,
        https://doi.org/10.1080/00401706.1970.10488634

    Note:
        The objective is a sum over examples, not a mean, as in scikit-learn's
        ``Ridge(alpha=lam)``, which it matches (with ``fit_intercept=bias``).
        Texts that average the squared error over $m$ use $\lambda / m$ where
        this uses $\lambda$. Not penalising the bias keeps the fit unchanged
        when a constant is added to $Y$.
    """
    check_real("lam", lam, at_least=0)
    _check_XY(X, Y)
    X_tilde = _X_tilde(X, bias)
    D = torch.eye(X_tilde.shape[1], dtype=X.dtype, device=X.device)
    if bias:
        D[-1, -1] = 0.0  # leave the bias unpenalised
    return torch.linalg.solve(X_tilde.T @ X_tilde + lam * D, X_tilde.T @ Y)
