r"""Loss functions, written the way the chapter derives them.

Each function keeps the name, the argument names and the meaning of its
namesake in `torch.nn.functional` (minus the deprecated `size_average` and
`reduce`; arguments after `weight` are keyword-only), so a reader can swap one
for the other. `contrastive_loss` has no PyTorch counterpart. PyTorch 2.13's
`mse_loss`, `l1_loss` and `huber_loss` also accept an element-wise `weight`;
lessonlib's do not.

Every loss first computes one value per element (or per sample), $\ell_i$, and
then applies the `reduction`:

$$
\text{'none'}: (\ell_1, \dots, \ell_N), \qquad
\text{'sum'}: \sum_i \ell_i, \qquad
\text{'mean'}: \frac{1}{N} \sum_i \ell_i
$$

except where class weights $w$ are given, when `'mean'` divides by the sum of
the weights that were used, $\sum_i w_{y_i}$, as PyTorch does.

Unlike PyTorch's regression losses, which broadcast with a warning, `input`
and `target` must have the same shape everywhere here: a $(3,)$ prediction against a $(3, 1)$ target raises
instead of silently becoming a $3 \times 3$ loss.
"""

from collections.abc import Callable
from typing import Any

import torch

from lessonlib._checks import check_choice, check_real, check_tensor
from lessonlib.activations import log_softmax

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "contrastive_loss",
    "cross_entropy",
    "huber_loss",
    "l1_loss",
    "mse_loss",
    "nll_loss",
]

_REDUCTIONS = ("mean", "sum", "none")


def _check_same_shape(input: torch.Tensor, target: torch.Tensor) -> None:
    check_tensor("input", input)
    check_tensor("target", target)
    if input.shape != target.shape:
        raise ValueError(
            f"Invalid target shape: {tuple(target.shape)} (must be the input's shape "
            f"{tuple(input.shape)}; losses do not broadcast)"
        )


def _errors(input: torch.Tensor, target: torch.Tensor, reduction: str) -> torch.Tensor:
    """The errors $x_i - y_i$ of a regression loss, once its arguments are checked."""
    check_choice("reduction", reduction, _REDUCTIONS)
    _check_same_shape(input, target)
    return input - target


def _check_broadcasts_to(name: str, tensor: torch.Tensor, shape: torch.Size) -> None:
    try:
        broadcast = torch.broadcast_shapes(tensor.shape, shape)
    except RuntimeError:
        broadcast = None
    if broadcast != shape:
        raise ValueError(
            f"Invalid {name} shape: {tuple(tensor.shape)} (must broadcast to the input's shape {tuple(shape)})"
        )


def _weigh_and_reduce(loss: torch.Tensor, weight: torch.Tensor | None, reduction: str) -> torch.Tensor:
    """Multiply the losses by ``weight``, which must broadcast to their shape (the input's), then reduce."""
    if weight is not None:
        _check_broadcasts_to("weight", weight, loss.shape)
        loss = weight * loss
    return _reduce(loss, reduction)


def _reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def mse_loss(input: torch.Tensor, target: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""Mean squared error between predictions and targets.

    Notation: $x_i$ the predictions (`input`), $y_i$ the targets, $N$ the
    number of elements.

    $$
    \ell_i = (x_i - y_i)^2, \qquad \text{'mean'}: \frac{1}{N}\sum_i (x_i - y_i)^2
    $$

    Args:
        input: predictions $x$, any shape.
        target: targets $y$, the same shape.
        reduction: `'mean'`, `'sum'` or `'none'`.

    Returns:
        A scalar, or the squared errors $\ell_i$ for `reduction='none'`.

    Raises:
        TypeError: `input` or `target` is not a tensor.
        ValueError: shapes differ, or `reduction` is unknown.

    Examples:
        >>> mse_loss(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 0.0, 0.0]))
        tensor(4.3333)
    """
    return _reduce(_errors(input, target, reduction) ** 2, reduction)


def l1_loss(input: torch.Tensor, target: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""Mean absolute error between predictions and targets.

    Notation: $x_i$ the predictions (`input`), $y_i$ the targets.

    $$
    \ell_i = |x_i - y_i|
    $$

    The arguments and the errors are those of
    [`mse_loss`][lessonlib.losses.mse_loss]; only $\ell_i$ differs.

    Returns:
        A scalar, or the absolute errors $\ell_i$ for `reduction='none'`.

    Examples:
        >>> l1_loss(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 0.0, 0.0]))
        tensor(1.6667)

    Note:
        The (sub)gradient at $x_i = y_i$ is taken to be 0, as in PyTorch.
    """
    return _reduce(_errors(input, target, reduction).abs(), reduction)


def huber_loss(input: torch.Tensor, target: torch.Tensor, reduction: str = "mean", delta: float = 1.0) -> torch.Tensor:
    r"""Huber loss: quadratic for small errors, linear for large ones.

    Notation: $d_i = x_i - y_i$ the error, $\delta > 0$ the threshold.

    $$
    \ell_i = \begin{cases}
        \tfrac{1}{2} d_i^2 & |d_i| < \delta \\
        \delta \left(|d_i| - \tfrac{1}{2}\delta\right) & \text{otherwise}
    \end{cases}
    $$

    The two pieces meet with equal value and slope at $|d_i| = \delta$; the
    gradient is the error clipped to $[-\delta, \delta]$, so one outlier
    cannot dominate an update.

    Args:
        input: predictions $x$, any shape.
        target: targets $y$, the same shape.
        reduction: `'mean'`, `'sum'` or `'none'`.
        delta: the threshold $\delta$, positive.

    Returns:
        A scalar, or the element-wise losses for `reduction='none'`.

    Raises:
        TypeError: `input` or `target` is not a tensor, or `delta` not a real
            number.
        ValueError: shapes differ, `reduction` is unknown, or `delta` is not
            finite and positive.

    Examples:
        >>> huber_loss(torch.tensor([0.5, 3.0]), torch.tensor([0.0, 0.0]), reduction="none")
        tensor([0.1250, 2.5000])

    References:
        Peter J. Huber, "Robust Estimation of a Location Parameter", 1964.
        https://doi.org/10.1214/aoms/1177703732

    Note:
        This is PyTorch's `huber_loss`; its `smooth_l1_loss` is the same loss
        divided by $\delta$. Some texts put no $\tfrac12$ on the quadratic piece.
    """
    d = _errors(input, target, reduction)
    check_real("delta", delta, above=0)
    abs_d = d.abs()
    loss = torch.where(abs_d < delta, 0.5 * d**2, delta * (abs_d - 0.5 * delta))
    return _reduce(loss, reduction)


def _check_class_target(input: torch.Tensor, target: torch.Tensor, ignore_index: int, reduction: str) -> None:
    check_choice("reduction", reduction, _REDUCTIONS)
    check_tensor("input", input)
    check_tensor("target", target)
    if target.is_floating_point() or target.is_complex() or target.dtype == torch.bool:
        raise TypeError(
            f"Invalid target dtype: {target.dtype} (must be an integer type for class indices, e.g. torch.long)"
        )
    if input.dim() == 0:
        raise ValueError("Invalid input shape: () (must be (C,), (N, C) or (N, C, d1, ...))")
    expected = input.shape[:1] + input.shape[2:] if input.dim() > 1 else torch.Size([])
    if target.shape != expected:
        raise ValueError(
            f"Invalid target shape: {tuple(target.shape)} (must be {tuple(expected)} "
            f"for input of shape {tuple(input.shape)})"
        )
    num_classes = input.shape[1] if input.dim() > 1 else input.shape[0]
    out_of_range = (target != ignore_index) & ((target < 0) | (target >= num_classes))
    if out_of_range.any():
        bad = target[out_of_range].flatten()[0].item()
        raise ValueError(f"Invalid target value: class index {bad} (must be in [0, {num_classes}))")


def _as_batch_of_one(
    loss_fn: Callable[..., torch.Tensor], input: torch.Tensor, target: torch.Tensor, reduction: str, **options: Any
) -> torch.Tensor:
    """A class loss of an unbatched ``(C,)`` input: the loss of a batch of one (its one entry for 'none')."""
    loss = loss_fn(input.unsqueeze(0), target.unsqueeze(0), reduction=reduction, **options)
    return loss[0] if reduction == "none" else loss


def _check_class_weight(weight: torch.Tensor | None, num_classes: int) -> None:
    if weight is not None and weight.shape != (num_classes,):
        raise ValueError(f"Invalid weight shape: {tuple(weight.shape)} (must be ({num_classes},), one per class)")


def nll_loss(
    input: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None = None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> torch.Tensor:
    r"""Negative log-likelihood of the target classes, given log-probabilities.

    Notation: $\log p_{i,c}$ the log-probability (`input`) of class $c$ for
    sample $i$, $y_i$ the target class, $w_c$ the class weight (1 if `weight`
    is not given), $k_i = 0$ if $y_i$ is `ignore_index` and 1 otherwise.

    $$
    \ell_i = -\,k_i\, w_{y_i} \log p_{i, y_i}, \qquad
    \text{'mean'}: \frac{\sum_i \ell_i}{\sum_i k_i\, w_{y_i}}
    $$

    Args:
        input: log-probabilities of shape $(N, C)$, $(C,)$ or
            $(N, C, d_1, \dots)$; the class dimension is dimension 1 (0 for an
            unbatched $(C,)$ input).
        target: integer class indices in $[0, C)$, shape $(N,)$, $()$ or
            $(N, d_1, \dots)$.
        weight: optional class weights $w$ of shape $(C,)$.
        ignore_index: a target value whose samples contribute nothing (and
            count nothing in the mean's denominator).
        reduction: `'mean'`, `'sum'` or `'none'`.

    Returns:
        A scalar, or the per-sample losses (the shape of `target`) for
        `reduction='none'`.

    Raises:
        TypeError: `input` is not a tensor, or `target` not an integer tensor.
        ValueError: a class index is out of range, a shape is wrong, or
            `reduction` is unknown.

    Examples:
        >>> log_p = torch.log(torch.tensor([[0.5, 0.5], [0.9, 0.1]]))
        >>> nll_loss(log_p, torch.tensor([0, 1]), reduction="none")
        tensor([0.6931, 2.3026])
        >>> nll_loss(log_p, torch.tensor([0, 1]), weight=torch.tensor([1.0, 3.0]))
        tensor(1.9002)

    Note:
        With weights, the mean is a weighted average, $\sum_i \ell_i /
        \sum_i w_{y_i}$, not the plain $\frac1N \sum_i \ell_i$: PyTorch
        divides by the total weight too.
        If every target is ignored the mean is $0/0$, NaN, as in PyTorch.
    """
    _check_class_target(input, target, ignore_index, reduction)
    if input.dim() == 1:  # unbatched: one sample, classes along dimension 0
        return _as_batch_of_one(nll_loss, input, target, reduction, weight=weight, ignore_index=ignore_index)
    num_classes = input.shape[1]
    _check_class_weight(weight, num_classes)
    target = target.long()
    kept = target != ignore_index  # k_i
    safe_target = torch.where(kept, target, 0)  # any valid index; masked out below
    log_p_target = input.gather(1, safe_target.unsqueeze(1)).squeeze(1)  # log p_{i, y_i}
    w = weight[safe_target] if weight is not None else torch.ones_like(log_p_target)
    w = w * kept  # k_i w_{y_i}
    loss = -w * log_p_target
    if reduction == "mean":
        return loss.sum() / w.sum()
    return _reduce(loss, reduction)


def cross_entropy(
    input: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None = None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> torch.Tensor:
    r"""Cross-entropy of raw logits against class indices: `log_softmax` then `nll_loss`.

    Notation: $z_{i,c}$ the logits (`input`), $\log p_{i,c} =
    \log\operatorname{softmax}(z_i)_c$, $y_i$ the target class, $C$ the
    number of classes, $w_c$ the class weights (1 if not given), $k_i$ the
    not-ignored mask, $\varepsilon$ the label smoothing.

    $$
    \ell_i = -\,k_i \left[(1 - \varepsilon)\, w_{y_i} \log p_{i, y_i}
             + \frac{\varepsilon}{C} \sum_{c=1}^{C} w_c \log p_{i, c}\right]
    $$

    That is, the target distribution is $(1 - \varepsilon)$ on the true class
    plus $\varepsilon / C$ on every class (the true one included). With
    `reduction='mean'` the sum is divided by $\sum_i k_i w_{y_i}$, for both
    terms, exactly as PyTorch does.

    Args:
        input: logits of shape $(N, C)$, $(C,)$ or $(N, C, d_1, \dots)$.
        target: integer class indices (shape as for `nll_loss`).
        weight: optional class weights $w$ of shape $(C,)$.
        ignore_index: a target value whose samples are skipped.
        reduction: `'mean'`, `'sum'` or `'none'`.
        label_smoothing: $\varepsilon \in [0, 1]$.

    Returns:
        A scalar, or the per-sample losses for `reduction='none'`.

    Raises:
        TypeError: `input` is not a tensor, `target` not an integer tensor
            (probability targets are not supported, unlike PyTorch), or
            `label_smoothing` not a real number.
        ValueError: a class index is out of range, a shape is wrong,
            `reduction` is unknown, or `label_smoothing` is outside $[0, 1]$.

    Examples:
        >>> logits = torch.tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        >>> cross_entropy(logits, torch.tensor([0, 2]), reduction="none")
        tensor([0.2395, 1.0986])
        >>> cross_entropy(logits, torch.tensor([0, 2]), label_smoothing=0.1)
        tensor(0.7357)

    Note:
        Finite for logits of any representable size (the log-sum-exp trick
        in `log_softmax`); its gradient is $\operatorname{softmax}(z_i) -
        \text{target distribution}$ (times $w_{y_i}$ when weights are given
        and there is no label smoothing).
    """
    check_real("label_smoothing", label_smoothing, at_least=0, at_most=1)
    _check_class_target(input, target, ignore_index, reduction)
    if input.dim() == 1:  # unbatched: one sample, classes along dimension 0
        return _as_batch_of_one(
            cross_entropy,
            input,
            target,
            reduction,
            weight=weight,
            ignore_index=ignore_index,
            label_smoothing=label_smoothing,
        )
    log_p = log_softmax(input, dim=1)
    nll = nll_loss(log_p, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0.0:
        return nll
    # The uniform part: sum_c w_c (-log p_{i,c}) for each kept sample, reduced like nll.
    num_classes = input.shape[1]
    w = weight if weight is not None else log_p.new_ones(num_classes)
    kept = target != ignore_index  # k_i
    w_c = w.reshape([1, num_classes] + [1] * (input.dim() - 2))  # broadcast along dimension 1
    smooth = -(w_c * log_p).sum(dim=1) * kept
    if reduction == "mean":  # the same denominator as nll_loss: sum_i k_i w_{y_i}
        smooth = smooth.sum() / (w[torch.where(kept, target, 0).long()] * kept).sum()
    else:
        smooth = _reduce(smooth, reduction)
    return (1 - label_smoothing) * nll + label_smoothing / num_classes * smooth


def _clamped_log(p: torch.Tensor) -> torch.Tensor:
    """log p, clamped below at -100 as PyTorch does, with a finite gradient at p = 0."""
    positive = p > 0
    safe_p = torch.where(positive, p, torch.ones_like(p))  # log(1) = 0: no inf to backpropagate
    return torch.where(positive, torch.log(safe_p).clamp(min=-100), -100.0)


def binary_cross_entropy(
    input: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None = None,
    *,
    reduction: str = "mean",
) -> torch.Tensor:
    r"""Binary cross-entropy between predicted probabilities and targets.

    Notation: $p_i \in [0, 1]$ the predicted probability (`input`),
    $y_i \in [0, 1]$ the target, $w_i$ an optional rescaling weight.

    $$
    \ell_i = -\,w_i \left[y_i \log p_i + (1 - y_i) \log(1 - p_i)\right]
    $$

    As in PyTorch each logarithm is clamped below at $-100$, so a confident
    wrong prediction ($p_i = 0$, $y_i = 1$) costs 100 rather than $\infty$.

    Args:
        input: probabilities $p$, any shape, every entry in $[0, 1]$.
        target: targets $y$, the same shape.
        weight: optional weights that broadcast to the input's shape.
        reduction: `'mean'`, `'sum'` or `'none'`.

    Returns:
        A scalar, or the element-wise losses for `reduction='none'`.

    Raises:
        TypeError: `input` or `target` is not a tensor.
        ValueError: an input is outside $[0, 1]$, shapes differ, or
            `reduction` is unknown.

    Examples:
        >>> p, y = torch.tensor([0.9, 0.2]), torch.tensor([1.0, 0.0])
        >>> binary_cross_entropy(p, y, reduction="none")
        tensor([0.1054, 0.2231])

    Note:
        Prefer `binary_cross_entropy_with_logits` on raw scores: it is exact
        where this one saturates. Where the clamp is active (say $p_i = 0$ with
        $y_i = 1$) the gradient here is 0; PyTorch's hand-written backward
        returns a large finite value there ($-10^{12}$).
    """
    check_choice("reduction", reduction, _REDUCTIONS)
    _check_same_shape(input, target)
    if input.numel() > 0 and not ((input >= 0) & (input <= 1)).all():
        bad = input[~((input >= 0) & (input <= 1))].flatten()[0].item()
        raise ValueError(f"Invalid input value: {bad} (must be a probability, in [0, 1])")
    loss = -(target * _clamped_log(input) + (1 - target) * _clamped_log(1 - input))
    return _weigh_and_reduce(loss, weight, reduction)


def binary_cross_entropy_with_logits(
    input: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None = None,
    *,
    reduction: str = "mean",
    pos_weight: torch.Tensor | None = None,
) -> torch.Tensor:
    r"""Binary cross-entropy on raw scores (logits), in a form that never overflows.

    Notation: $x_i$ the logit (`input`), $\sigma$ the sigmoid, $y_i$ the
    target, $w_i$ an optional weight, $q$ the optional positive-class weight
    `pos_weight` (1 if not given).

    $$
    \ell_i = -\,w_i \left[q\, y_i \log \sigma(x_i) + (1 - y_i) \log(1 - \sigma(x_i))\right]
    $$

    Using $-\log\sigma(x) = \log(1 + e^{-x})$ and $-\log(1 - \sigma(x)) = x +
    \log(1 + e^{-x})$, and writing $\log(1 + e^{-x}) = \max(-x, 0) +
    \log(1 + e^{-|x|})$, this is

    $$
    \ell_i = w_i \left[(1 - y_i)\, x_i + \left(1 + (q - 1)\, y_i\right)
             \left(\max(-x_i, 0) + \log(1 + e^{-|x_i|})\right)\right]
    $$

    which for $q = 1$ is the familiar
    $\max(x_i, 0) - x_i y_i + \log(1 + e^{-|x_i|})$. Only $e^{-|x|} \le 1$ is
    ever exponentiated, so values and gradients are finite for any finite
    logit.

    Args:
        input: logits $x$, any shape.
        target: targets $y \in [0, 1]$, the same shape.
        weight: optional weights that broadcast to the input's shape.
        reduction: `'mean'`, `'sum'` or `'none'`.
        pos_weight: optional weight $q$ of the positive term; broadcasts
            along the last dimension (one per class for multi-label targets).

    Returns:
        A scalar, or the element-wise losses for `reduction='none'`.

    Raises:
        TypeError: `input` or `target` is not a tensor.
        ValueError: shapes differ or do not broadcast, or `reduction` is
            unknown.

    Examples:
        >>> x = torch.tensor([10000.0, -10000.0, 0.0])
        >>> binary_cross_entropy_with_logits(x, torch.tensor([0.0, 0.0, 1.0]), reduction="none")
        tensor([1.0000e+04, 0.0000e+00, 6.9315e-01])
    """
    check_choice("reduction", reduction, _REDUCTIONS)
    _check_same_shape(input, target)
    positive = input >= 0
    abs_x = torch.where(positive, input, -input)  # |x|, same branch as max(-x, 0) at x = 0
    softplus_neg = torch.where(positive, torch.zeros_like(input), -input) + torch.log1p(torch.exp(-abs_x))
    if pos_weight is not None:
        _check_broadcasts_to("pos_weight", pos_weight, input.shape)
        log_weight: torch.Tensor | float = 1 + (pos_weight - 1) * target
    else:
        log_weight = 1
    loss = (1 - target) * input + log_weight * softplus_neg
    return _weigh_and_reduce(loss, weight, reduction)


def contrastive_loss(
    z1: torch.Tensor,
    z2: torch.Tensor,
    similar: torch.Tensor,
    margin: float = 1.0,
    *,
    reduction: str = "mean",
) -> torch.Tensor:
    r"""Contrastive loss for pairs of embeddings (Hadsell, Chopra and LeCun 2006).

    Notation: $z^{(1)}_i, z^{(2)}_i$ the two embeddings of pair $i$,
    $d_i = \lVert z^{(1)}_i - z^{(2)}_i \rVert_2$ their Euclidean distance,
    $s_i \in \{0, 1\}$ whether the pair is similar, $m$ the margin.

    $$
    \ell_i = s_i\, d_i^2 + (1 - s_i) \max(0, m - d_i)^2, \qquad
    \text{'mean'}: \frac{1}{N} \sum_i \ell_i
    $$

    Similar pairs are pulled together; dissimilar pairs are pushed apart
    until they are at least $m$ apart, and then left alone.

    Args:
        z1: embeddings of shape $(N, D)$ (or $(\dots, D)$).
        z2: embeddings of the same shape.
        similar: $s$, shape $(N,)$ (the shape of `z1` without its last
            dimension), 1 or `True` for similar pairs.
        margin: $m > 0$.
        reduction: `'mean'` (the default), `'sum'` (the paper's total, up to
            its $\tfrac12$) or `'none'`.

    Returns:
        A scalar, or the per-pair losses for `reduction='none'`.

    Raises:
        TypeError: `z1`, `z2` or `similar` is not a tensor, or `margin` not a
            real number.
        ValueError: shapes differ, `margin` is not finite and positive, or
            `reduction` is unknown.

    Examples:
        >>> z1 = torch.tensor([[0.0, 0.0], [0.0, 0.0]])
        >>> z2 = torch.tensor([[3.0, 4.0], [0.3, 0.4]])
        >>> contrastive_loss(z1, z2, torch.tensor([1.0, 0.0]), reduction="none")
        tensor([25.0000,  0.2500])

    References:
        Raia Hadsell, Sumit Chopra and Yann LeCun, "Dimensionality Reduction
        by Learning an Invariant Mapping", CVPR 2006.
        https://doi.org/10.1109/CVPR.2006.100

    Note:
        The paper writes the loss with a factor $\tfrac12$ on both terms and
        with $Y = 0$ for similar pairs; here $s = 1$ means similar and there is
        no $\tfrac12$. PyTorch has no counterpart.
    """
    check_choice("reduction", reduction, _REDUCTIONS)
    for name, tensor in (("z1", z1), ("z2", z2), ("similar", similar)):
        check_tensor(name, tensor)
    if z1.dim() == 0:
        raise ValueError("Invalid z1 shape: () (must be (N, D))")
    if z2.shape != z1.shape:
        raise ValueError(f"Invalid z2 shape: {tuple(z2.shape)} (must be z1's shape {tuple(z1.shape)})")
    if similar.shape != z1.shape[:-1]:
        raise ValueError(
            f"Invalid similar shape: {tuple(similar.shape)} (must be {tuple(z1.shape[:-1])}, one per pair)"
        )
    check_real("margin", margin, above=0)
    s = similar.to(z1.dtype)
    diff = z1 - z2
    d_squared = (diff**2).sum(dim=-1)
    d = torch.linalg.vector_norm(diff, dim=-1)  # its gradient at d = 0 is 0, not NaN
    loss = s * d_squared + (1 - s) * torch.clamp(margin - d, min=0) ** 2
    return _reduce(loss, reduction)
