r"""Classification metrics on torch tensors, with scikit-learn's names and semantics.

Every function here has the name, the arguments (less ``sample_weight``,
``confusion_matrix``'s ``normalize`` and the ranking scores' multiclass and
``max_fpr`` options) and the result of its twin in ``sklearn.metrics``, so a
reader can swap one for the other and the tests can compare them. Each is
written the way the chapter explains it: count, then divide.

Notation: $m$ examples with true labels $y_i$ and predicted labels $\hat y_i$
(or scores $s_i$ for the curves). For a class $c$,
$\mathrm{TP}_c = \#\{i : y_i = c,\ \hat y_i = c\}$,
$\mathrm{FP}_c = \#\{i : y_i \ne c,\ \hat y_i = c\}$,
$\mathrm{FN}_c = \#\{i : y_i = c,\ \hat y_i \ne c\}$.

Conventions shared with scikit-learn:

- ``zero_division="warn"`` (the default) means "score 0 where the denominator
  is 0", as in scikit-learn, but lessonlib never emits the warning. ``0``,
  ``1`` and ``float("nan")`` are accepted too.
- Scores that are one number come back as a Python ``float``; per-class scores
  (``average=None``) and curves come back as tensors.

Where lessonlib differs: a curve or ROC AUC asked for on labels of a single
class raises ``ValueError``; scikit-learn warns and returns NaN (or, for the
precision-recall curve, sets recall to 1).
"""

import math
from typing import Any

import torch
from numpy.typing import ArrayLike
from torch import Tensor

from lessonlib._checks import check_choice, check_ndim

AVERAGES = ("binary", "micro", "macro", "weighted", None)

Labels = Tensor | ArrayLike  # a tensor, or what torch.as_tensor takes: a list, a NumPy array


# ---------------------------------------------------------------- helpers


def _as_1d(name: str, y: Labels) -> Tensor:
    y = torch.as_tensor(y)
    check_ndim(name, y, 1, "(m,)")
    return y


def _check_same_length(y_true: Tensor, other: Tensor, other_name: str) -> None:
    if y_true.shape[0] != other.shape[0]:
        raise ValueError(
            f"Invalid {other_name} shape: {tuple(other.shape)} (must have y_true's length, {y_true.shape[0]})"
        )


def _float(device: torch.device) -> torch.dtype:
    """The float dtype to divide counts in: float64, except on MPS (no float64)."""
    return torch.float32 if device.type == "mps" else torch.float64


def _zero_division_value(zero_division: Any) -> float:
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if isinstance(zero_division, (int, float)) and not isinstance(zero_division, bool):
        if zero_division in (0, 1) or math.isnan(zero_division):
            return float(zero_division)
    raise ValueError(f"Invalid zero_division value: {zero_division!r} (must be 'warn', 0, 1 or nan)")


def _divide(numerator: Tensor, denominator: Tensor, zero_division: Any) -> Tensor:
    """``numerator / denominator``, with ``zero_division`` where the denominator is 0."""
    value = _zero_division_value(zero_division)
    dtype = _float(numerator.device)
    ratio = numerator.to(dtype) / denominator.clamp(min=1).to(dtype)
    return torch.where(denominator > 0, ratio, torch.full_like(ratio, value))


def _labels_to_score(
    y_true: Tensor, y_pred: Tensor, labels: Labels | None, pos_label: Any, average: str | None
) -> Tensor:
    """The classes to score: ``[pos_label]`` for ``average='binary'``, else all."""
    check_choice("average", average, AVERAGES)
    present = torch.unique(torch.cat([y_true, y_pred]))
    if average == "binary":
        if len(present) > 2:
            raise ValueError(
                f"average='binary' needs two classes, but y_true and y_pred hold "
                f"{len(present)}: {present.tolist()}; choose average='micro', "
                "'macro', 'weighted' or None"
            )
        if len(present) == 2:
            check_choice("pos_label", pos_label, present.tolist())
        return torch.tensor([pos_label], device=y_true.device)
    if labels is None:
        return present
    return torch.as_tensor(labels, device=y_true.device)


def _counts(y_true: Tensor, y_pred: Tensor, labels: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """Per class: TP, TP + FP (predicted) and TP + FN (true), each of shape (k,)."""
    is_true = y_true[:, None] == labels  # m × k: example i is of class c
    is_pred = y_pred[:, None] == labels  # m × k: example i is predicted c
    tp = (is_true & is_pred).sum(dim=0)
    pred_sum = is_pred.sum(dim=0)  # TP + FP
    true_sum = is_true.sum(dim=0)  # TP + FN, the support
    return tp, pred_sum, true_sum


def _average(scores: Tensor, true_sum: Tensor, average: str | None) -> float | Tensor:
    """Average per-class scores as scikit-learn does (NaN scores are skipped)."""
    if average is None:
        return scores
    keep = ~torch.isnan(scores)
    if not keep.any():
        return float("nan")
    scores, weights = scores[keep], torch.ones_like(scores[keep])
    if average == "weighted" and true_sum[keep].sum() > 0:
        weights = true_sum[keep].to(scores.dtype)
    return float((scores * weights).sum() / weights.sum())


def _prf(
    y_true: Labels,
    y_pred: Labels,
    labels: Labels | None,
    pos_label: Any,
    average: str | None,
    zero_division: Any,
    which: str,
) -> float | Tensor:
    y_t, y_p = _as_1d("y_true", y_true), _as_1d("y_pred", y_pred)
    _check_same_length(y_t, y_p, "y_pred")
    _zero_division_value(zero_division)  # validate early
    classes = _labels_to_score(y_t, y_p, labels, pos_label, average)
    tp, pred_sum, true_sum = _counts(y_t, y_p, classes)
    if average == "micro":  # pool the counts of all classes, then divide once
        tp, pred_sum, true_sum = tp.sum(), pred_sum.sum(), true_sum.sum()
    if which == "precision":
        scores = _divide(tp, pred_sum, zero_division)
    elif which == "recall":
        scores = _divide(tp, true_sum, zero_division)
    else:  # F1 = 2 TP / (2 TP + FP + FN)
        scores = _divide(2 * tp, pred_sum + true_sum, zero_division)
    return _average(scores.reshape(-1), true_sum.reshape(-1), average)


# ---------------------------------------------------------------- label metrics


def confusion_matrix(y_true: Labels, y_pred: Labels, *, labels: Labels | None = None) -> Tensor:
    r"""Count the examples of each true class predicted as each class.

    Notation: $k$ classes $c_1, \dots, c_k$ (sorted, or in the order of
    ``labels``); $C$ is $k \times k$.

    $$
    C_{ij} = \#\{\, l : y_l = c_i,\ \hat y_l = c_j \,\}
    $$

    Rows are true classes, columns predicted classes: in the binary case
    $C = \begin{pmatrix}\mathrm{TN} & \mathrm{FP}\\ \mathrm{FN} & \mathrm{TP}\end{pmatrix}$.

    Args:
        y_true: True labels, shape ``(m,)``.
        y_pred: Predicted labels, shape ``(m,)``.
        labels: The classes to index the matrix by, in that order. Examples
            whose true or predicted label is not among them are left out.
            Default: the sorted labels present in ``y_true`` or ``y_pred``.

    Returns:
        An int64 tensor of shape ``(k, k)``.

    Raises:
        ValueError: ``y_true`` and ``y_pred`` differ in length or are not 1-D;
            ``labels`` is empty.

    Examples:
        >>> confusion_matrix(torch.tensor([0, 0, 1, 1, 2]), torch.tensor([0, 1, 1, 1, 0]))
        tensor([[1, 1, 0],
                [0, 2, 0],
                [1, 0, 0]])

    References:
        scikit-learn, ``sklearn.metrics.confusion_matrix``,
        https://scikit-learn.org/stable/modules/generated/sklearn.metrics.confusion_matrix.html

    Note:
        Some texts put the predicted class on the rows, or the positive class
        first. Here, as in scikit-learn, rows are the truth and labels sort
        ascending, so the true positives sit at the bottom right.
    """
    y_t, y_p = _as_1d("y_true", y_true), _as_1d("y_pred", y_pred)
    _check_same_length(y_t, y_p, "y_pred")
    classes = torch.unique(torch.cat([y_t, y_p])) if labels is None else torch.as_tensor(labels, device=y_t.device)
    if classes.numel() == 0:
        raise ValueError(f"Invalid labels value: {classes.tolist()} (must hold at least one label)")
    k = classes.numel()
    is_true = y_t[:, None] == classes  # m × k one-hot of the true class
    is_pred = y_p[:, None] == classes  # m × k one-hot of the predicted class
    keep = is_true.any(dim=1) & is_pred.any(dim=1)
    i = is_true[keep].int().argmax(dim=1)  # row: index of the true class
    j = is_pred[keep].int().argmax(dim=1)  # column: index of the predicted class
    return torch.bincount(i * k + j, minlength=k * k).reshape(k, k)


def accuracy_score(y_true: Labels, y_pred: Labels, *, normalize: bool = True) -> float:
    r"""The fraction (or the number) of examples whose label is predicted right.

    $$
    \mathrm{accuracy} = \frac{1}{m} \sum_{i=1}^{m} \mathbb{1}[\hat y_i = y_i]
    $$

    Args:
        y_true: True labels, shape ``(m,)``.
        y_pred: Predicted labels, shape ``(m,)``.
        normalize: If ``False``, return the number of correct predictions
            rather than the fraction.

    Returns:
        A float: the accuracy in $[0, 1]$, or the count if ``normalize=False``.

    Raises:
        ValueError: ``y_true`` and ``y_pred`` differ in length or are not 1-D.

    Examples:
        >>> accuracy_score(torch.tensor([0, 1, 2, 3]), torch.tensor([0, 2, 1, 3]))
        0.5
        >>> accuracy_score(torch.tensor([0, 1, 2, 3]), torch.tensor([0, 2, 1, 3]), normalize=False)
        2.0

    References:
        scikit-learn, ``sklearn.metrics.accuracy_score``,
        https://scikit-learn.org/stable/modules/generated/sklearn.metrics.accuracy_score.html
    """
    y_t, y_p = _as_1d("y_true", y_true), _as_1d("y_pred", y_pred)
    _check_same_length(y_t, y_p, "y_pred")
    correct = (y_t == y_p).to(_float(y_t.device))
    return float(correct.mean() if normalize else correct.sum())


def precision_score(
    y_true: Labels,
    y_pred: Labels,
    *,
    labels: Labels | None = None,
    pos_label: Any = 1,
    average: str | None = "binary",
    zero_division: Any = "warn",
) -> float | Tensor:
    r"""Precision: of the examples predicted to be of class $c$, the fraction that are.

    $$
    P_c = \frac{\mathrm{TP}_c}{\mathrm{TP}_c + \mathrm{FP}_c},
    \qquad
    P_{\text{macro}} = \frac{1}{k} \sum_c P_c,
    \qquad
    P_{\text{micro}} = \frac{\sum_c \mathrm{TP}_c}{\sum_c (\mathrm{TP}_c + \mathrm{FP}_c)}
    $$

    Args:
        y_true: True labels, shape ``(m,)``.
        y_pred: Predicted labels, shape ``(m,)``.
        labels: The classes to score when ``average`` is not ``'binary'``
            (default: every label in ``y_true`` or ``y_pred``).
        pos_label: The positive class when ``average='binary'``; ignored
            otherwise.
        average: ``'binary'`` (score ``pos_label`` only; the labels must hold
            at most two classes), ``'micro'`` (pool the counts of every class,
            then divide once), ``'macro'`` (the plain mean of the per-class
            scores), ``'weighted'`` (their mean weighted by the support
            $\mathrm{TP}_c + \mathrm{FN}_c$), or ``None`` (the per-class scores).
        zero_division: The score where the denominator is 0: ``'warn'`` (the
            default; acts as 0, as in scikit-learn, and warns of nothing), 0, 1
            or ``float('nan')`` (left out of the averages).

    Returns:
        A float, or with ``average=None`` a float tensor of shape ``(k,)``.

    Raises:
        ValueError: the inputs are not 1-D or differ in length; ``average``
            is not one of the five; ``average='binary'`` on more than two
            classes, or a ``pos_label`` that is not one of the two; a bad
            ``zero_division``.

    Examples:
        >>> y_true = torch.tensor([0, 1, 1, 0, 1])
        >>> y_pred = torch.tensor([1, 1, 1, 0, 0])
        >>> precision_score(y_true, y_pred)
        0.6666666666666666
        >>> precision_score(y_true, y_pred, average="macro")
        0.5833333333333333

    References:
        scikit-learn, ``sklearn.metrics.precision_score``,
        https://scikit-learn.org/stable/modules/generated/sklearn.metrics.precision_score.html

    Note:
        With ``average='micro'`` on single-label multiclass data, precision,
        recall and F1 all equal the accuracy.
    """
    return _prf(y_true, y_pred, labels, pos_label, average, zero_division, "precision")


def recall_score(
    y_true: Labels,
    y_pred: Labels,
    *,
    labels: Labels | None = None,
    pos_label: Any = 1,
    average: str | None = "binary",
    zero_division: Any = "warn",
) -> float | Tensor:
    r"""Recall: of the examples of class $c$, the fraction predicted to be $c$.

    $$
    R_c = \frac{\mathrm{TP}_c}{\mathrm{TP}_c + \mathrm{FN}_c},
    \qquad
    R_{\text{weighted}} = \sum_c \frac{\mathrm{TP}_c + \mathrm{FN}_c}{m} R_c
    $$

    The arguments, their defaults and the errors are those of
    [`precision_score`][lessonlib.metrics.precision_score], which says what
    each average means.

    Returns:
        A float, or with ``average=None`` the per-class $R_c$, a float tensor
            of shape ``(k,)``.

    Examples:
        >>> y_true = torch.tensor([0, 1, 1, 0, 1])
        >>> y_pred = torch.tensor([1, 1, 1, 0, 0])
        >>> recall_score(y_true, y_pred)
        0.6666666666666666
        >>> recall_score(y_true, y_pred, average=None)
        tensor([0.5000, 0.6667], dtype=torch.float64)

    References:
        scikit-learn, ``sklearn.metrics.recall_score``,
        https://scikit-learn.org/stable/modules/generated/sklearn.metrics.recall_score.html

    Note:
        Recall of the positive class is also called sensitivity or the true
        positive rate; the weighted-average recall equals the accuracy (when
        every class of ``y_true`` is scored).
    """
    return _prf(y_true, y_pred, labels, pos_label, average, zero_division, "recall")


def f1_score(
    y_true: Labels,
    y_pred: Labels,
    *,
    labels: Labels | None = None,
    pos_label: Any = 1,
    average: str | None = "binary",
    zero_division: Any = "warn",
) -> float | Tensor:
    r"""F1: the harmonic mean of precision and recall.

    $$
    F_{1,c} = \frac{2 P_c R_c}{P_c + R_c}
            = \frac{2\,\mathrm{TP}_c}{2\,\mathrm{TP}_c + \mathrm{FP}_c + \mathrm{FN}_c}
    $$

    The right-hand form is the one computed: it is defined whenever class $c$
    was predicted or present, even if $P_c$ or $R_c$ is not.

    The arguments, their defaults and the errors are those of
    [`precision_score`][lessonlib.metrics.precision_score], which says what
    each average means.

    Returns:
        A float, or with ``average=None`` the per-class $F_{1,c}$, a float tensor
            of shape ``(k,)``.

    Examples:
        >>> y_true = torch.tensor([0, 1, 2, 0, 1, 2])
        >>> y_pred = torch.tensor([0, 2, 1, 0, 0, 1])
        >>> f1_score(y_true, y_pred, average=None)  # F1 of each class
        tensor([0.8000, 0.0000, 0.0000], dtype=torch.float64)
        >>> f1_score(y_true, y_pred, average="macro")  # their mean
        0.26666666666666666

    References:
        scikit-learn, ``sklearn.metrics.f1_score``,
        https://scikit-learn.org/stable/modules/generated/sklearn.metrics.f1_score.html

    Note:
        Macro F1 is the mean of the per-class F1 scores, not the F1 of the
        macro precision and macro recall (some papers use the latter).
    """
    return _prf(y_true, y_pred, labels, pos_label, average, zero_division, "f1")


# ---------------------------------------------------------------- score metrics


def _binary_scores(y_true: Labels, y_score: Labels, pos_label: Any) -> tuple[Tensor, Tensor, Any]:
    """Validate; return ``y`` (1.0 where ``y_true == pos_label``), float scores and the positive label."""
    y_t, scores = _as_1d("y_true", y_true), _as_1d("y_score", y_score)
    _check_same_length(y_t, scores, "y_score")
    if pos_label is None:
        classes = set(torch.unique(y_t).tolist())
        if not (classes <= {0, 1} or classes <= {-1, 1}):
            raise ValueError(
                f"pos_label=None needs y_true in {{0, 1}} or {{-1, 1}}, got "
                f"{sorted(classes)}; pass pos_label explicitly"
            )
        pos_label = 1
    dtype = _float(scores.device)
    return (y_t == pos_label).to(dtype), scores.to(dtype), pos_label


def _counts_at_thresholds(y: Tensor, y_score: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    r"""FP and TP counts when predicting positive for every score $\ge \tau$.

    One threshold $\tau$ per distinct score, in decreasing order.
    """
    order = torch.argsort(y_score, descending=True, stable=True)
    y, y_score = y[order], y_score[order]
    # the last index of each run of equal scores: tied examples flip together
    last = torch.nonzero(torch.diff(y_score)).reshape(-1)
    last = torch.cat([last, torch.tensor([len(y) - 1], device=y.device)])
    tps = torch.cumsum(y, dim=0)[last]
    fps = (last + 1) - tps
    return fps, tps, y_score[last]


def roc_curve(
    y_true: Labels, y_score: Labels, *, pos_label: Any = None, drop_intermediate: bool = True
) -> tuple[Tensor, Tensor, Tensor]:
    r"""The ROC curve: true positive rate against false positive rate, by threshold.

    Notation: $P$ and $N$ are the numbers of positive and negative examples;
    predicting "positive" when $s_i \ge \tau$ gives the counts
    $\mathrm{TP}(\tau)$ and $\mathrm{FP}(\tau)$.

    $$
    \mathrm{TPR}(\tau) = \frac{\mathrm{TP}(\tau)}{P},
    \qquad
    \mathrm{FPR}(\tau) = \frac{\mathrm{FP}(\tau)}{N}
    $$

    The thresholds are the distinct scores in decreasing order, preceded by
    $\tau_0 = +\infty$ (nothing predicted positive), so the curve starts at
    $(0, 0)$ and ends at $(1, 1)$.

    Args:
        y_true: True binary labels, shape ``(m,)``.
        y_score: Scores, higher meaning more likely positive, shape ``(m,)``.
        pos_label: The positive class. ``None`` means 1, and then ``y_true``
            must take values in $\{0, 1\}$ or $\{-1, 1\}$.
        drop_intermediate: Drop the thresholds whose point lies on a straight
            segment between its neighbours (they change neither the plot nor
            the area).

    Returns:
        ``(fpr, tpr, thresholds)``, three 1-D tensors of equal length;
            ``fpr`` and ``tpr`` increase, ``thresholds`` decrease from ``inf``.

    Raises:
        ValueError: the inputs differ in length; ``y_true`` is not binary and
            ``pos_label`` is ``None``; ``y_true`` has no positive or no
            negative example.

    Examples:
        >>> fpr, tpr, thresholds = roc_curve(torch.tensor([0, 0, 1, 1]),
        ...                                  torch.tensor([0.1, 0.4, 0.35, 0.8]))
        >>> fpr
        tensor([0.0000, 0.0000, 0.5000, 0.5000, 1.0000], dtype=torch.float64)
        >>> tpr
        tensor([0.0000, 0.5000, 0.5000, 1.0000, 1.0000], dtype=torch.float64)
        >>> thresholds
        tensor([  inf, 0.8000, 0.4000, 0.3500, 0.1000], dtype=torch.float64)

    References:
        T. Fawcett, "An introduction to ROC analysis", Pattern Recognition
        Letters 27(8), 2006, https://doi.org/10.1016/j.patrec.2005.10.010

    Note:
        As scikit-learn (since 1.3), the first threshold is ``inf``, not
        ``max(y_score) + 1``. Unlike scikit-learn, which warns and returns NaN
        rates, one class alone raises ``ValueError``.
    """
    y, scores, pos_label = _binary_scores(y_true, y_score, pos_label)
    _require_both_classes(y, pos_label, "roc_curve")
    fps, tps, thresholds = _counts_at_thresholds(y, scores)
    if drop_intermediate and len(fps) > 2:
        # keep a point only where the curve bends (a non-zero second difference)
        bends = (torch.diff(fps, n=2) != 0) | (torch.diff(tps, n=2) != 0)
        end = torch.tensor([True], device=bends.device)
        keep = torch.cat([end, bends, end])
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    zero = torch.zeros(1, dtype=fps.dtype, device=fps.device)
    fps, tps = torch.cat([zero, fps]), torch.cat([zero, tps])
    thresholds = torch.cat([torch.full_like(zero, math.inf), thresholds])
    return fps / fps[-1], tps / tps[-1], thresholds


def _require_both_classes(y: Tensor, pos_label: Any, name: str) -> None:
    if y.sum() == 0:
        raise ValueError(f"{name} needs positive examples, but no label in y_true equals pos_label={pos_label!r}")
    if y.sum() == len(y):
        raise ValueError(f"{name} needs negative examples, but every label in y_true equals pos_label={pos_label!r}")


def roc_auc_score(y_true: Labels, y_score: Labels) -> float:
    r"""The area under the ROC curve (binary).

    $$
    \mathrm{AUC} = \int_0^1 \mathrm{TPR}\; d\,\mathrm{FPR}
    \approx \sum_j (\mathrm{FPR}_j - \mathrm{FPR}_{j-1})
            \frac{\mathrm{TPR}_j + \mathrm{TPR}_{j-1}}{2}
    $$

    It equals the probability that a random positive scores above a random
    negative, ties counting one half.

    Args:
        y_true: True labels of exactly two classes, shape ``(m,)``. The larger
            label is the positive class (as in scikit-learn).
        y_score: Scores of the positive class, shape ``(m,)``.

    Returns:
        The area, a float in $[0, 1]$.

    Raises:
        ValueError: the inputs differ in length; ``y_true`` does not hold
            exactly two classes.

    Examples:
        >>> roc_auc_score(torch.tensor([0, 0, 1, 1]), torch.tensor([0.1, 0.4, 0.35, 0.8]))
        0.75

    References:
        T. Fawcett, "An introduction to ROC analysis", Pattern Recognition
        Letters 27(8), 2006, https://doi.org/10.1016/j.patrec.2005.10.010

    Note:
        Binary only (scikit-learn also averages one-vs-rest for multiclass).
        A single class raises ``ValueError`` where scikit-learn warns and
        returns NaN.
    """
    y_t = _as_1d("y_true", y_true)
    classes = torch.unique(y_t)
    if len(classes) != 2:
        raise ValueError(f"roc_auc_score needs exactly two classes in y_true, got {classes.tolist()}")
    fpr, tpr, _ = roc_curve(y_t, y_score, pos_label=classes[1].item())
    return float(torch.trapezoid(tpr, fpr))


def precision_recall_curve(
    y_true: Labels, y_score: Labels, *, pos_label: Any = None, drop_intermediate: bool = False
) -> tuple[Tensor, Tensor, Tensor]:
    r"""Precision and recall for every threshold on the scores.

    $$
    P(\tau) = \frac{\mathrm{TP}(\tau)}{\mathrm{TP}(\tau) + \mathrm{FP}(\tau)},
    \qquad
    R(\tau) = \frac{\mathrm{TP}(\tau)}{P}
    $$

    The thresholds are the distinct scores in increasing order; a last point
    $(R, P) = (0, 1)$ with no threshold closes the curve.

    Args:
        y_true: True binary labels, shape ``(m,)``.
        y_score: Scores, higher meaning more likely positive, shape ``(m,)``.
        pos_label: The positive class. ``None`` means 1, and then ``y_true``
            must take values in $\{0, 1\}$ or $\{-1, 1\}$.
        drop_intermediate: Drop the thresholds where recall does not change
            from both neighbours (points inside a horizontal run).

    Returns:
        ``(precision, recall, thresholds)``: ``precision`` and ``recall`` have
            one more entry than ``thresholds``; ``recall`` decreases to 0.

    Raises:
        ValueError: the inputs differ in length; ``y_true`` is not binary and
            ``pos_label`` is ``None``; ``y_true`` has no positive example.

    Examples:
        >>> precision, recall, thresholds = precision_recall_curve(
        ...     torch.tensor([0, 0, 1, 1]), torch.tensor([0.1, 0.4, 0.35, 0.8]))
        >>> precision
        tensor([0.5000, 0.6667, 0.5000, 1.0000, 1.0000], dtype=torch.float64)
        >>> recall
        tensor([1.0000, 1.0000, 0.5000, 0.5000, 0.0000], dtype=torch.float64)
        >>> thresholds
        tensor([0.1000, 0.3500, 0.4000, 0.8000], dtype=torch.float64)

    References:
        J. Davis and M. Goadrich, "The relationship between precision-recall
        and ROC curves", ICML 2006, https://doi.org/10.1145/1143844.1143874

    Note:
        The order is the reverse of ``roc_curve``'s (increasing thresholds),
        as in scikit-learn. With no positive example recall is undefined: this
        raises ``ValueError`` where scikit-learn warns and sets recall to 1.
    """
    y, scores, pos_label = _binary_scores(y_true, y_score, pos_label)
    if y.sum() == 0:
        raise ValueError(
            f"precision_recall_curve needs positive examples, but no label in y_true equals pos_label={pos_label!r}"
        )
    fps, tps, thresholds = _counts_at_thresholds(y, scores)
    if drop_intermediate and len(fps) > 2:
        # keep the first and the last point of each run of equal recall
        changes = (torch.diff(tps[:-1]) != 0) | (torch.diff(tps[1:]) != 0)
        end = torch.tensor([True], device=changes.device)
        keep = torch.cat([end, changes, end])
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    precision = tps / (tps + fps)  # tps + fps >= 1: every threshold predicts one
    recall = tps / tps[-1]
    one = torch.ones(1, dtype=precision.dtype, device=precision.device)
    return (
        torch.cat([precision.flip(0), one]),
        torch.cat([recall.flip(0), 0 * one]),
        thresholds.flip(0),
    )


def average_precision_score(y_true: Labels, y_score: Labels, *, pos_label: Any = 1) -> float:
    r"""Average precision: the precisions at each threshold, weighted by the gain in recall.

    $$
    \mathrm{AP} = \sum_j (R_j - R_{j-1})\, P_j
    $$

    over the thresholds in decreasing order, with $R_0 = 0$: a step-function
    integral of the precision-recall curve, not the trapezoidal one.

    Args:
        y_true: True binary labels, shape ``(m,)``.
        y_score: Scores, higher meaning more likely positive, shape ``(m,)``.
        pos_label: The positive class.

    Returns:
        The average precision, a float in $[0, 1]$.

    Raises:
        ValueError: the inputs differ in length; ``y_true`` holds more than two
            classes, or two of which ``pos_label`` is neither; no positive
            example.

    Examples:
        >>> average_precision_score(torch.tensor([0, 0, 1, 1]),
        ...                         torch.tensor([0.1, 0.4, 0.35, 0.8]))
        0.8333333333333333

    References:
        scikit-learn, ``sklearn.metrics.average_precision_score``,
        https://scikit-learn.org/stable/modules/generated/sklearn.metrics.average_precision_score.html

    Note:
        Binary only (scikit-learn also averages over classes for multiclass
        ``y_true``). Interpolated AP (as in PASCAL VOC) is a different number.
    """
    classes = torch.unique(_as_1d("y_true", y_true)).tolist()
    if len(classes) > 2 or (len(classes) == 2 and pos_label not in classes):
        raise ValueError(
            f"average_precision_score needs binary y_true holding pos_label={pos_label!r}, got classes {classes}"
        )
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label)
    return max(0.0, float(-(torch.diff(recall) * precision[:-1]).sum()))
