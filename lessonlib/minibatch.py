r"""Batch, stochastic and mini-batch gradient descent over a data set, with the path it took.

One function covers the three: with $m$ examples and batch size $B$, $B = m$
is batch gradient descent, $B = 1$ stochastic gradient descent, anything
between mini-batch descent. Each epoch visits the examples once, in a fresh
random order when ``shuffle`` is on, in $\lceil m / B \rceil$ steps (the last
batch holds the $m \bmod B$ left over, unless ``drop_last``). The update itself
is the optimizer's, so any ``torch.optim.Optimizer`` works.

Notation: $m$ examples $(x_j, y_j)$, batch size $B$, step $s$, batch
$\mathcal{B}_s$, parameters $\theta_s$, learning rate $\alpha$.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from lessonlib._checks import check_callable, check_instance, check_integer, check_tensor


@dataclass
class TrainingHistory:
    r"""The path of one run of `minibatch_descent`, ready to plot.

    Attributes:
        loss: the batch loss at each step $s$: $f_{\mathcal{B}_s}(\theta_s)$,
            measured before the update it drives.
        examples_seen: after each step, how many examples the run has used so far.
        params: the parameters as one flat tensor, $\theta_0$ first and then
            after each step (one more entry than ``loss``); empty unless
            ``record_params``.
        epoch_loss: the loss on the whole data set, before training and after
            each epoch (``epochs + 1`` entries).
    """

    loss: list[float] = field(default_factory=list)
    examples_seen: list[int] = field(default_factory=list)
    params: list[torch.Tensor] = field(default_factory=list)
    epoch_loss: list[float] = field(default_factory=list)


def _flat(optimizer: torch.optim.Optimizer) -> torch.Tensor:
    """A copy of every parameter the optimizer updates, flattened into one tensor."""
    return torch.cat([p.detach().reshape(-1) for group in optimizer.param_groups for p in group["params"]]).clone()


def minibatch_descent(
    model: Callable[[torch.Tensor], torch.Tensor],
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    X: torch.Tensor,
    y: torch.Tensor,
    optimizer: torch.optim.Optimizer,
    batch_size: int,
    epochs: int,
    *,
    shuffle: bool = True,
    drop_last: bool = False,
    generator: torch.Generator | None = None,
    record_params: bool = True,
) -> TrainingHistory:
    r"""Run gradient descent over $(X, y)$ in batches of $B$ examples and record its history.

    At step $s$ the optimizer sees the gradient of the mean loss over the batch;
    with plain SGD the update is

    $$
    \theta_{s+1} = \theta_s - \alpha \, \nabla_\theta \frac{1}{|\mathcal{B}_s|}
        \sum_{j \in \mathcal{B}_s} \ell(\theta_s; x_j, y_j)
    $$

    ($\frac{1}{|\mathcal{B}_s|} \sum$ is what ``loss_fn`` computes when it
    averages, as the ``torch.nn`` losses do by default).

    Args:
        model: maps a batch of inputs ``X[idx]`` to predictions: an
            ``nn.Module``, or a function of tensors that ``optimizer`` updates.
        loss_fn: ``loss_fn(model(X[idx]), y[idx])`` returns a scalar tensor.
        X: the inputs, one example per row (first dimension $m$).
        y: the targets, with the same first dimension as ``X``.
        optimizer: any ``torch.optim.Optimizer`` over the model's parameters.
        batch_size: $B$, between 1 (SGD) and $m$ (batch gradient descent).
        epochs: the number of passes over the data, $\ge 1$.
        shuffle: draw a fresh random order each epoch; otherwise go in order.
        drop_last: skip the last batch of an epoch when it holds fewer than
            $B$ examples (as ``DataLoader(drop_last=True)`` does).
        generator: the ``torch.Generator`` for the shuffling, which makes a run
            repeatable; ``None`` uses torch's global one.
        record_params: keep a flat copy of the parameters after every step
            (memory: one vector per step).

    Returns:
        A [`TrainingHistory`][lessonlib.minibatch.TrainingHistory]. There are $\lceil m / B \rceil$ steps per epoch,
        or $\lfloor m / B \rfloor$ with ``drop_last``.

    Raises:
        TypeError: ``model`` or ``loss_fn`` is not callable, ``optimizer`` is
            not a ``torch.optim.Optimizer``, ``X`` or ``y`` is not a tensor,
            ``batch_size`` or ``epochs`` is not an integer, or ``generator`` is
            not a ``torch.Generator``.
        ValueError: ``X`` or ``y`` holds no example, they differ in length or
            device, ``batch_size`` is not between 1 and $m$, ``epochs`` is
            less than 1, or ``loss_fn`` does not return a scalar.

    Examples:
        >>> X = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
        >>> y = 2 * X[:, 0]
        >>> w = torch.zeros(1, requires_grad=True)
        >>> loss_fn = lambda pred, target: ((pred - target) ** 2).mean()
        >>> optimizer = torch.optim.SGD([w], lr=0.05)
        >>> path = minibatch_descent(lambda X: X @ w, loss_fn, X, y, optimizer, batch_size=3, epochs=2, shuffle=False)
        >>> path.examples_seen
        [3, 4, 7, 8]
        >>> len(path.loss), len(path.params), len(path.epoch_loss)
        (4, 5, 3)
        >>> path.epoch_loss[0] > path.epoch_loss[-1]
        True

    Note:
        ``loss`` holds the loss of a different batch at each step, so it is
        noisy even when the full loss ``epoch_loss`` falls steadily; plot the
        two against ``examples_seen`` to compare batch sizes fairly.
    """
    check_callable("model", model)
    check_callable("loss_fn", loss_fn)
    check_instance("optimizer", optimizer, torch.optim.Optimizer, "a torch.optim.Optimizer")
    for name, tensor in (("X", X), ("y", y)):
        check_tensor(name, tensor)
        if tensor.dim() == 0 or len(tensor) == 0:
            raise ValueError(f"Invalid {name} shape: {tuple(tensor.shape)} (must hold at least one example)")
    m = len(X)
    if len(y) != m:
        raise ValueError(f"Invalid y shape: {tuple(y.shape)} (must have X's first dimension, {m})")
    if y.device != X.device:
        raise ValueError(f"Invalid y device: {y.device} (must be X's device, {X.device})")
    B = check_integer("batch_size", batch_size, minimum=1)
    if B > m:
        raise ValueError(f"Invalid batch_size value: {batch_size} (must be <= len(X) = {m})")
    epochs = check_integer("epochs", epochs, minimum=1)
    if generator is not None:
        check_instance("generator", generator, torch.Generator, "a torch.Generator or None")

    def batch_loss(idx: torch.Tensor | slice) -> torch.Tensor:
        loss = loss_fn(model(X[idx]), y[idx])
        if loss.dim() != 0:
            raise ValueError(f"Invalid loss_fn: returned shape {tuple(loss.shape)} (must return a scalar)")
        return loss

    def full_loss() -> float:
        with torch.no_grad():
            return batch_loss(slice(None)).item()

    history = TrainingHistory(epoch_loss=[full_loss()])
    if record_params:
        history.params.append(_flat(optimizer))
    steps_per_epoch = m // B if drop_last else math.ceil(m / B)
    seen = 0
    for _ in range(epochs):
        if shuffle:
            device = None if generator is None else generator.device
            order = torch.randperm(m, generator=generator, device=device).to(X.device)
        else:
            order = torch.arange(m, device=X.device)
        for s in range(steps_per_epoch):
            idx = order[s * B : (s + 1) * B]
            optimizer.zero_grad()
            loss = batch_loss(idx)
            loss.backward()
            optimizer.step()

            seen += len(idx)
            history.loss.append(loss.item())
            history.examples_seen.append(seen)
            if record_params:
                history.params.append(_flat(optimizer))
        history.epoch_loss.append(full_loss())
    return history
