r"""Regularisation: weight penalties and early stopping.

Penalties are functions of an iterable of tensors (typically
`model.parameters()`), to be added to a loss with a strength $\lambda$:

- `l1_penalty`: $\lVert\theta\rVert_1 = \sum_j |\theta_j|$;
- `l2_penalty`: $\lVert\theta\rVert_2^2 = \sum_j \theta_j^2$, the plain sum of
  squares, **without** a $\tfrac12$. The chapter's objective is
  $L(\theta) + \tfrac{\lambda}{2}\lVert\theta\rVert_2^2$, written
  `loss + 0.5 * lam * l2_penalty(params)`; its gradient $\lambda\theta$ is
  what `weight_decay=lam` adds in `torch.optim.SGD`;
- `elastic_net_penalty`: scikit-learn's mix,
  $r\lVert\theta\rVert_1 + \tfrac{1 - r}{2}\lVert\theta\rVert_2^2$ (here the
  $\tfrac12$ *is* included, as in `sklearn.linear_model.ElasticNet`).

`EarlyStopping` watches a validation metric and keeps a copy of the best
model.

Dropout, the other regulariser of the chapter, lives in `lessonlib.nn`.
"""

import copy
from collections.abc import Iterable

import torch
from torch import nn

from lessonlib._checks import check_choice, check_integer, check_real

__all__ = ["EarlyStopping", "elastic_net_penalty", "l1_penalty", "l2_penalty"]


def _total(terms: list[torch.Tensor]) -> torch.Tensor:
    if not terms:
        return torch.tensor(0.0)
    return torch.stack(terms).sum()


def l1_penalty(params: Iterable[torch.Tensor]) -> torch.Tensor:
    r"""The L1 norm of all parameters together: the sum of absolute values.

    Notation: $\theta_j$ runs over every entry of every tensor in `params`.

    $$
    \lVert\theta\rVert_1 = \sum_j |\theta_j|
    $$

    Args:
        params: an iterable of tensors, e.g. `model.parameters()`.

    Returns:
        A scalar tensor, differentiable with respect to the parameters
        (0 for an empty iterable).

    Examples:
        >>> l1_penalty([torch.tensor([1.0, -2.0]), torch.tensor([[3.0]])])
        tensor(6.)

    Note:
        The (sub)gradient at $\theta_j = 0$ is taken to be 0.
    """
    return _total([p.abs().sum() for p in params])


def l2_penalty(params: Iterable[torch.Tensor]) -> torch.Tensor:
    r"""The squared L2 norm of all parameters together: the plain sum of squares.

    Notation: $\theta_j$ runs over every entry of every tensor in `params`.

    $$
    \lVert\theta\rVert_2^2 = \sum_j \theta_j^2
    $$

    Args:
        params: an iterable of tensors, e.g. `model.parameters()`.

    Returns:
        A scalar tensor (0 for an empty iterable).

    Examples:
        >>> l2_penalty([torch.tensor([1.0, -2.0]), torch.tensor([[3.0]])])
        tensor(14.)

    Note:
        No $\tfrac12$ here. Many texts (and this book) regularise with
        $\tfrac{\lambda}{2}\lVert\theta\rVert_2^2$, whose gradient is
        $\lambda\theta$, the `weight_decay` of `torch.optim.SGD`: write that as
        `0.5 * lam * l2_penalty(params)`.
    """
    return _total([(p**2).sum() for p in params])


def elastic_net_penalty(params: Iterable[torch.Tensor], l1_ratio: float = 0.5) -> torch.Tensor:
    r"""Elastic-net penalty: a mix of L1 and half the squared L2, as in scikit-learn.

    Notation: $r$ is `l1_ratio`; $\theta$ all parameters together.

    $$
    \Omega(\theta) = r\,\lVert\theta\rVert_1 + \frac{1 - r}{2}\,\lVert\theta\rVert_2^2
    $$

    $r = 1$ is the lasso penalty, $r = 0$ the ridge penalty
    $\tfrac12\lVert\theta\rVert_2^2$. With a strength $\alpha$,
    $\frac{1}{2n}\lVert y - X\theta\rVert^2 + \alpha\,\Omega(\theta)$ is the
    objective that `sklearn.linear_model.ElasticNet(alpha, l1_ratio=r)`
    minimises.

    Args:
        params: an iterable of tensors.
        l1_ratio: $r \in [0, 1]$.

    Returns:
        A scalar tensor.

    Raises:
        TypeError: `l1_ratio` is not a real number.
        ValueError: `l1_ratio` is outside $[0, 1]$.

    Examples:
        >>> elastic_net_penalty([torch.tensor([1.0, -2.0])], l1_ratio=0.5)
        tensor(2.7500)

    References:
        Hui Zou and Trevor Hastie, "Regularization and Variable Selection via
        the Elastic Net", 2005. https://doi.org/10.1111/j.1467-9868.2005.00503.x

    Note:
        Unlike `l2_penalty`, the squared-L2 part here carries the $\tfrac12$,
        to match scikit-learn's `ElasticNet`.
    """
    check_real("l1_ratio", l1_ratio, at_least=0, at_most=1)
    params = list(params)
    return l1_ratio * l1_penalty(params) + 0.5 * (1 - l1_ratio) * l2_penalty(params)


class EarlyStopping:
    r"""Stop training when a validation metric has stopped improving; keep the best model.

    Notation: $s_t$ the metric after epoch $t$, $s^\ast$ the best so far,
    $\delta$ `min_delta`, $P$ `patience`.

    An epoch improves (mode `'min'`) when

    $$
    s_t < s^\ast - \delta
    $$

    (mode `'max'`: $s_t > s^\ast + \delta$). Each improvement sets
    $s^\ast = s_t$, saves a deep copy of the model's `state_dict` and resets
    the count of bad epochs; `step` returns `True` once $P$ epochs in a row
    have not improved. The first epoch always improves.

    Args:
        patience: $P \ge 0$, bad epochs to tolerate before stopping.
        min_delta: $\delta \ge 0$, how much better counts as better.
        mode: `'min'` for a loss, `'max'` for an accuracy.

    Attributes:
        best_score: $s^\ast$ (`None` before the first step).
        best_epoch: the 0-based index of the `step` call that gave it.
        best_state: a deep copy of the best `state_dict`.
        num_bad_epochs: bad epochs since the last improvement.

    Raises:
        TypeError: `patience` is not an integer, or `min_delta` not a real
            number.
        ValueError: `patience < 0`, `min_delta < 0`, or an unknown `mode`.

    Examples:
        >>> model = torch.nn.Linear(1, 1)
        >>> stopper = EarlyStopping(patience=2)
        >>> [stopper.step(loss, model) for loss in [1.0, 0.5, 0.6, 0.55, 0.4]]
        [False, False, False, True, False]
        >>> stopper.best_score, stopper.best_epoch
        (0.4, 4)

    Note:
        PyTorch has no early-stopping helper; `patience`, `min_delta` and
        `mode` follow Keras's `EarlyStopping` (absolute `min_delta`).
        `torch.optim.lr_scheduler.ReduceLROnPlateau` uses the same idea with
        a relative threshold by default.
    """

    def __init__(self, patience: int = 5, min_delta: float = 0.0, mode: str = "min") -> None:
        check_integer("patience", patience, minimum=0)
        check_real("min_delta", min_delta, at_least=0)
        check_choice("mode", mode, ("min", "max"))
        self.patience = patience
        self.min_delta = min_delta
        self.mode = mode
        self.best_score: float | None = None
        self.best_epoch: int | None = None
        self.best_state: dict | None = None
        self.num_bad_epochs = 0
        self.epoch = -1  # index of the latest step

    def _improves(self, score: float) -> bool:
        if self.best_score is None:
            return True
        if self.mode == "min":
            return score < self.best_score - self.min_delta
        return score > self.best_score + self.min_delta

    def step(self, metric: float | torch.Tensor, model: nn.Module | None = None) -> bool:
        """Record one epoch's metric; return whether to stop.

        Args:
            metric: the validation metric (a number or a one-element tensor).
            model: if given, its `state_dict` is deep-copied on improvement.

        Returns:
            `True` once `patience` epochs in a row have not improved.
        """
        score = float(metric)
        self.epoch += 1
        if self._improves(score):
            self.best_score = score
            self.best_epoch = self.epoch
            self.num_bad_epochs = 0
            if model is not None:
                self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience and self.num_bad_epochs > 0

    def restore(self, model: nn.Module) -> None:
        """Load the best saved `state_dict` into `model`.

        Raises:
            RuntimeError: no state was saved (no `step` with a model yet).
        """
        if self.best_state is None:
            raise RuntimeError("EarlyStopping.restore: no best state saved (call step(metric, model) first)")
        model.load_state_dict(self.best_state)
