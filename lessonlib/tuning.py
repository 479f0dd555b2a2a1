r"""Hyperparameter search: the points of a grid, and an objective to search.

A search needs an objective: a function from hyperparameters to a validation
score. `two_moons_objective` is the book's: a 2-8-1 ReLU network on the
two-moons data (100 training, 200 validation and 100 test points), trained by
$T$ steps of full-batch gradient descent with weight decay from the same
initial weights,

$$
\theta_{t+1} = \theta_t - \alpha \left( \nabla L(\theta_t) + \lambda \theta_t \right)
$$

the update of ``torch.optim.SGD(params, lr=α, weight_decay=λ)``, where $L$ is
the binary cross-entropy on the training set. The score is the binary
cross-entropy on the validation set after the $T$ steps.

It trains $M$ candidates at once: the weights of $M$ networks are stacked
along a new first axis, so ``X @ W1`` with ``W1`` of shape ``(M, 2, 8)``
computes the hidden layer of all $M$ networks in one call. The $M$ losses
share no parameters, so the gradient of their *sum* with respect to network
$j$'s weights is the gradient of network $j$'s own loss: one backward pass
gives every network its own gradient, and the arithmetic is that of $M$
separate runs.

References:
    J. Bergstra and Y. Bengio, "Random Search for Hyper-Parameter
    Optimization", Journal of Machine Learning Research 13, 2012.
    https://jmlr.org/papers/v13/bergstra12a.html
"""

import torch
import torch.nn.functional as F
from torch import Tensor

from lessonlib._checks import check_choice, check_integer, check_ndim, check_tensor
from lessonlib.data import train_val_test_split, two_moons

__all__ = ["grid_points", "two_moons_objective"]

SPLITS = ("train", "val", "test")


def grid_points(*axes: Tensor) -> tuple[Tensor, ...]:
    r"""Every combination of the given values: the Cartesian product, flattened.

    With $k_1, \dots, k_d$ values on $d$ axes there are $k_1 \cdots k_d$
    points; the last axis varies fastest, as in ``itertools.product``.

    Args:
        *axes: one 1-D tensor of values per hyperparameter.

    Returns:
        One 1-D tensor per axis, each of length $k_1 \cdots k_d$: point $i$
            is ``(out[0][i], out[1][i], ...)``.

    Raises:
        TypeError: an axis is not a tensor.
        ValueError: no axis is given, or an axis is not 1-D.

    Examples:
        >>> lrs, wds = grid_points(torch.tensor([-2.0, -1.0]), torch.tensor([-6.0, -5.0, -4.0]))
        >>> lrs
        tensor([-2., -2., -2., -1., -1., -1.])
        >>> wds
        tensor([-6., -5., -4., -6., -5., -4.])
    """
    if not axes:
        raise ValueError("Invalid axes value: () (must be at least one 1-D tensor)")
    for i, axis in enumerate(axes):
        check_tensor(f"axes[{i}]", axis)
        check_ndim(f"axes[{i}]", axis, 1, "(k,)")
    return tuple(values.flatten() for values in torch.meshgrid(*axes, indexing="ij"))


def two_moons_objective(
    lr: Tensor,
    weight_decay: Tensor,
    *,
    split: str = "val",
    steps: int = 100,
    width: int = 8,
    device: torch.device | str | None = None,
) -> tuple[Tensor, Tensor]:
    r"""Train one two-moons network per $(\alpha, \lambda)$ pair, all at once; score each on a split.

    Notation: $\alpha_j$ and $\lambda_j$ are candidate $j$'s learning rate
    and weight decay, $\theta^{(j)}_T$ its weights after $T$ steps.

    $$
    \theta^{(j)}_{t+1} = \theta^{(j)}_t
        - \alpha_j \left( \nabla L(\theta^{(j)}_t) + \lambda_j \theta^{(j)}_t \right),
    \qquad \text{score}_j = L_{\text{split}}(\theta^{(j)}_T)
    $$

    Everything is float64: the best learning rates lie near the edge of
    stability, where float32 rounding, which differs between CPUs, would
    decide runs. Every candidate starts from the same weights (He-scaled
    output layer, zero biases, drawn from a generator seeded with 0), so
    scores differ by their hyperparameters alone.

    Args:
        lr: $\alpha_1, \dots, \alpha_M$, a 1-D floating-point tensor.
        weight_decay: $\lambda_1, \dots, \lambda_M$, the same shape.
        split: the set that scores the networks: ``'val'`` during a search,
            ``'test'`` once at the end, ``'train'`` for the training loss.
        steps: $T \ge 0$, the full-batch steps.
        width: the hidden units, $\ge 1$.
        device: where to train (default: ``lr``'s device).

    Returns:
        ``(loss, accuracy)``, each of shape ``(M,)`` on ``device``: the binary
            cross-entropy on ``split`` (``inf`` for a network that diverged, so
            that a search never picks it) and the fraction of its points
            classified right.

    Raises:
        TypeError: ``lr`` or ``weight_decay`` is not a floating-point tensor,
            or ``steps`` or ``width`` is not an integer.
        ValueError: ``lr`` is not 1-D, ``weight_decay`` has another shape,
            ``split`` is unknown, ``steps`` is negative or ``width`` is less
            than 1.

    Examples:
        >>> loss, accuracy = two_moons_objective(torch.tensor([0.01, 1.0, 1e4]), torch.zeros(3))
        >>> loss  # too small a step learns little; too large a one diverges
        tensor([0.5714, 0.2203,    inf], dtype=torch.float64)
        >>> accuracy
        tensor([0.6100, 0.8900, 0.4950], dtype=torch.float64)

    References:
        The data: ``sklearn.datasets.make_moons``, drawn by
        [`two_moons`][lessonlib.data.two_moons].
    """
    check_tensor("lr", lr, floating=True)
    check_ndim("lr", lr, 1, "(M,)")
    check_tensor("weight_decay", weight_decay, floating=True)
    if weight_decay.shape != lr.shape:
        raise ValueError(f"Invalid weight_decay shape: {tuple(weight_decay.shape)} (must be lr's, {tuple(lr.shape)})")
    check_choice("split", split, SPLITS)
    check_integer("steps", steps, minimum=0)
    check_integer("width", width, minimum=1)
    device = lr.device if device is None else torch.device(device)

    # 400 points, split 100 / 200 / 100 into training, validation and test sets.
    X, y = two_moons(400, noise=0.1, seed=0)
    X_train, X_val, X_test, y_train, y_val, y_test = (
        t.to(device, torch.float64) for t in train_val_test_split(X, y.double(), proportions=(0.25, 0.5, 0.25), seed=0)
    )
    M = len(lr)
    lr, weight_decay = (h.view(M, 1, 1).to(device, torch.float64) for h in (lr, weight_decay))
    gen = torch.Generator().manual_seed(0)  # every candidate starts from the same initial weights
    init = [
        torch.randn(2, width, generator=gen),
        torch.zeros(1, width),
        torch.randn(width, 1, generator=gen) * (2 / width) ** 0.5,
        torch.zeros(1, 1),
    ]
    theta = [p.to(device, torch.float64).expand(M, *p.shape).clone().requires_grad_() for p in init]

    def forward(X: Tensor) -> Tensor:
        """The M networks at once: 2-8-1 with a ReLU; the logits, shape (M, len(X))."""
        W1, b1, W2, b2 = theta
        return ((X @ W1 + b1).relu() @ W2 + b2).squeeze(-1)

    def bce(X: Tensor, y: Tensor) -> Tensor:
        """The binary cross-entropy of each of the M networks, shape (M,)."""
        logits = forward(X)
        return F.binary_cross_entropy_with_logits(logits, y.expand_as(logits), reduction="none").mean(dim=1)

    for _ in range(steps):
        # The M losses do not share parameters, so the gradient of their sum gives each network its own gradient.
        grads = torch.autograd.grad(bce(X_train, y_train).sum(), theta)
        with torch.no_grad():
            for p, g in zip(theta, grads, strict=True):
                p -= lr * (g + weight_decay * p)  # SGD with weight decay, as torch.optim.SGD does it

    X, y = {"train": (X_train, y_train), "val": (X_val, y_val), "test": (X_test, y_test)}[split]
    with torch.no_grad():
        loss = bce(X, y).nan_to_num(nan=float("inf"))  # a run that diverged scores +inf
        accuracy = ((forward(X) > 0).double() == y).double().mean(dim=1)
    return loss, accuracy
