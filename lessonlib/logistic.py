r"""Logistic regression, fitted by minimising the class-weighted cross-entropy.

Notation: $X$ is $m \times n$ with rows $x_i$, labels $y_i \in \{0, 1\}$, and
the model's score for example $i$ is the logit $s_i = w^\top x_i + b$, its
probability $\sigma(s_i)$. Each positive counts $q$ times in the loss (the
``pos_weight`` of ``binary_cross_entropy_with_logits``); with $m_+$ positives
and $m_-$ negatives the loss is the weighted mean

$$
L(w, b) = \frac{1}{q\, m_+ + m_-} \sum_{i=1}^{m}
-\left[q\, y_i \log \sigma(s_i) + (1 - y_i) \log\bigl(1 - \sigma(s_i)\bigr)\right]
$$

$L$ is convex in $(w, b)$, so any method that reaches its minimum gives the
same model. We use ``torch.optim.LBFGS`` with a strong Wolfe line search: on a
problem this small it reaches the minimum in a few dozen gradient evaluations,
where plain gradient descent needs hundreds of steps.
"""

import torch
from torch import Tensor

from lessonlib._checks import check_integer, check_ndim, check_real, check_tensor
from lessonlib.losses import binary_cross_entropy_with_logits


def fit_logistic(X: Tensor, y: Tensor, *, pos_weight: float = 1.0, max_iter: int = 100) -> tuple[Tensor, Tensor]:
    r"""Fit unregularised logistic regression: $\min_{w, b} L(w, b)$.

    Args:
        X: Inputs, a floating-point tensor of shape ``(m, n)``.
        y: Labels, shape ``(m,)``, 0 or 1 (any dtype).
        pos_weight: $q > 0$, the weight of each positive example; 1 weighs
            every example alike, $m_-/m_+$ balances the classes.
        max_iter: The most L-BFGS iterations.

    Returns:
        ``(w, b)``: the weights, shape ``(n,)``, and the intercept, a 0-d
            tensor, both of ``X``'s dtype and device.

    Raises:
        TypeError: ``X`` is not a floating-point tensor, ``y`` not a tensor,
            ``pos_weight`` not a real number, or ``max_iter`` not an integer.
        ValueError: ``X`` is not 2-D, ``y`` has the wrong shape or a label
            other than 0 and 1, or ``pos_weight`` or ``max_iter`` is not
            positive.

    Examples:
        >>> X = torch.tensor([[0.0], [1.0], [2.0], [3.0]], dtype=torch.float64)
        >>> w, b = fit_logistic(X, torch.tensor([0, 1, 0, 1]))
        >>> print(f"w = {w.item():.4f}, b = {b.item():.4f}")
        w = 0.9082, b = -1.3623

    Note:
        With no penalty, a training set that a line separates perfectly has no
        minimum: $\lVert w \rVert$ grows without bound and ``max_iter`` is what
        stops it. scikit-learn's ``LogisticRegression`` adds an L2 penalty by
        default (``C=1.0``); ``C=numpy.inf`` gives this model.
    """
    check_tensor("X", X, floating=True)
    check_ndim("X", X, 2, "(m, n)")
    check_tensor("y", y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"Invalid y shape: {tuple(y.shape)} (must be ({X.shape[0]},), one label per row of X)")
    if not bool(((y == 0) | (y == 1)).all()):
        raise ValueError(f"Invalid y value: labels {torch.unique(y).tolist()} (must be 0 or 1)")
    check_real("pos_weight", pos_weight, above=0)
    check_integer("max_iter", max_iter, minimum=1)

    y = y.to(X.dtype)
    q = torch.tensor(pos_weight, dtype=X.dtype, device=X.device)
    w = torch.zeros(X.shape[1], dtype=X.dtype, device=X.device, requires_grad=True)
    b = torch.zeros((), dtype=X.dtype, device=X.device, requires_grad=True)
    total_weight = q * y.sum() + (1 - y).sum()  # q m_+ + m_-: each positive counts q times
    optimizer = torch.optim.LBFGS(
        [w, b], max_iter=max_iter, tolerance_grad=1e-10, tolerance_change=1e-12, line_search_fn="strong_wolfe"
    )

    def closure() -> Tensor:
        optimizer.zero_grad()
        loss = binary_cross_entropy_with_logits(X @ w + b, y, pos_weight=q, reduction="sum") / total_weight
        loss.backward()
        return loss

    optimizer.step(closure)
    return w.detach(), b.detach()
