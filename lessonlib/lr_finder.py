r"""The learning-rate range test: start small, raise the rate until the loss blows up.

Train for a few steps on successive batches while the learning rate grows
geometrically from $\alpha_{\text{start}}$ to $\alpha_{\text{end}}$; record the
loss at each rate; stop once the loss has clearly diverged. The curve of loss
against $\log \alpha$ falls, bottoms out and shoots up; a good rate sits on
the falling side, well before the bottom. The model and the optimizer are put
back as they were, so the test costs only time.

Notation: $i = 0, \dots, N - 1$ is the step, $N$ ``num_steps``, $\alpha_i$ the
rate at step $i$, $\ell_i$ the loss, $\beta$ ``smooth``, $\bar\ell_i$ the
smoothed loss, $\kappa$ ``diverge_factor``.

References:
    L. N. Smith, "Cyclical Learning Rates for Training Neural Networks",
    WACV 2017. https://arxiv.org/abs/1506.01186
"""

import copy
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import torch

from lessonlib._checks import check_callable, check_instance, check_integer, check_real

Batch = TypeVar("Batch")


@dataclass(frozen=True)
class RangeTestResult:
    r"""What `lr_range_test` saw.

    Attributes:
        lrs: $\alpha_i$, the rate used at each step taken.
        losses: $\ell_i$, the raw batch loss at each step.
        smoothed_losses: $\bar\ell_i$, the bias-corrected moving average of the losses.
        suggested_lr: the rate at the minimum of the smoothed loss, divided by 10.
        diverged: whether the test stopped early because the loss blew up.
    """

    lrs: list[float]
    losses: list[float]
    smoothed_losses: list[float]
    suggested_lr: float
    diverged: bool


def lr_range_test(
    model: torch.nn.Module,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    data: Iterable[tuple[torch.Tensor, torch.Tensor]],
    optimizer: torch.optim.Optimizer,
    *,
    start_lr: float = 1e-7,
    end_lr: float = 10.0,
    num_steps: int = 100,
    smooth: float = 0.98,
    diverge_factor: float = 4.0,
) -> RangeTestResult:
    r"""Run a learning-rate range test and suggest a learning rate.

    The test is Smith's (2017), in the form fastai popularised: a geometric
    sweep of the rate, judged by the smoothed loss (Smith raised the rate
    linearly and read the accuracy curve).

    At step $i$ the rate is set, in every param group, to

    $$
    \alpha_i = \alpha_{\text{start}}
        \left(\frac{\alpha_{\text{end}}}{\alpha_{\text{start}}}\right)^{i / (N - 1)}
    $$

    and one optimizer step is taken on the next batch, whose loss $\ell_i$ is
    recorded and smoothed with a bias-corrected moving average (as Adam
    corrects its moments):

    $$
    m_i = \beta m_{i-1} + (1 - \beta) \ell_i, \quad m_{-1} = 0, \qquad
    \bar\ell_i = \frac{m_i}{1 - \beta^{i+1}}
    $$

    The test stops after the step where $\bar\ell_i > \kappa \min_{j \le i} \bar\ell_j$
    or the loss is not finite. The suggestion is the rate at the minimum of
    the smoothed loss divided by 10: an order of magnitude below the point
    where the loss stops falling.

    Args:
        model: the module to train; its parameters are what ``optimizer`` updates.
        loss_fn: ``loss_fn(model(inputs), targets)`` returns a scalar tensor.
        data: an iterable of ``(inputs, targets)`` batches, e.g. a
            ``DataLoader`` or ``[(X, y)]`` for full-batch steps. It is iterated
            again from the start if it runs out before the test ends, so a
            one-shot iterator must hold enough batches. Tensors are moved to
            the device of the model's parameters.
        optimizer: any ``torch.optim.Optimizer`` over the model's parameters;
            its lr is overwritten during the test and restored afterwards.
        start_lr: $\alpha_{\text{start}}$, the first rate, $> 0$ (unlike a
            learning rate elsewhere, which may be 0: the sweep is geometric,
            so it starts from a positive rate).
        end_lr: $\alpha_{\text{end}}$, the last rate, $>$ ``start_lr``.
        num_steps: $N$, the most steps to take, $\ge 2$.
        smooth: $\beta$, the smoothing factor, in $[0, 1)$ (0: no smoothing).
        diverge_factor: $\kappa$, stop once the smoothed loss exceeds
            $\kappa$ times its best so far, $> 1$.

    Returns:
        A `RangeTestResult` with the rates, raw and smoothed losses,
        the suggested rate and whether the loss diverged. When it did not
        diverge, the minimum may just be the last rate tried and the
        suggestion only a lower bound: raise ``end_lr`` and run again.

    Raises:
        TypeError: ``model`` is not a ``torch.nn.Module``, ``optimizer`` not a
            ``torch.optim.Optimizer``, ``loss_fn`` not callable, a rate,
            ``smooth`` or ``diverge_factor`` not a real number, or
            ``num_steps`` not an integer.
        ValueError: an argument is out of its range, the model has no
            parameters, ``data`` holds no batch, or the loss was not finite
            even at the first step.

    Examples:
        >>> _ = torch.manual_seed(0)
        >>> X = torch.randn(64, 3)
        >>> y = X @ torch.tensor([1.0, -2.0, 0.5])
        >>> model = torch.nn.Linear(3, 1, bias=False)
        >>> optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        >>> loss_fn = lambda pred, target: ((pred.squeeze(-1) - target) ** 2).mean()
        >>> result = lr_range_test(model, loss_fn, [(X, y)], optimizer, start_lr=1e-4, end_lr=10.0)
        >>> result.diverged
        True
        >>> L = torch.linalg.eigvalsh(2 / 64 * X.T @ X).max().item()  # the loss's curvature
        >>> 2 / L / 100 < result.suggested_lr < 2 / L  # below the stability limit of GD
        True
        >>> optimizer.param_groups[0]["lr"]
        0.1

    Note:
        $\ell_i$ is measured in the forward pass of step $i$, before the
        update with $\alpha_i$: it shows the effect of the rates up to
        $\alpha_{i-1}$, and the smoothing adds a lag of its own. Both push
        the curve's features to the right, one more reason to take a rate well
        below the minimum. fastai's ``lr_find`` and ``torch-lr-finder`` use the
        same conventions.
    """
    check_instance("model", model, torch.nn.Module, "a torch.nn.Module")
    check_instance("optimizer", optimizer, torch.optim.Optimizer, "a torch.optim.Optimizer")
    check_callable("loss_fn", loss_fn)
    start_lr = check_real("start_lr", start_lr, above=0)
    end_lr = check_real("end_lr", end_lr, above=0)
    if end_lr <= start_lr:
        raise ValueError(f"Invalid end_lr value: {end_lr} (must be > start_lr = {start_lr})")
    check_integer("num_steps", num_steps, minimum=2)
    check_real("smooth", smooth, at_least=0, below=1)
    check_real("diverge_factor", diverge_factor, above=1)

    parameters = list(model.parameters())
    if not parameters:
        raise ValueError(f"Invalid model: {type(model).__name__} (must have parameters)")
    device = parameters[0].device
    model_state = copy.deepcopy(model.state_dict())
    optimizer_state = copy.deepcopy(optimizer.state_dict())
    lrs: list[float] = []
    losses: list[float] = []
    smoothed_losses: list[float] = []
    m, best, diverged = 0.0, math.inf, False
    batches = _cycle(data)
    try:
        for i in range(num_steps):
            inputs, targets = next(batches)
            if isinstance(inputs, torch.Tensor):
                inputs = inputs.to(device)
            if isinstance(targets, torch.Tensor):
                targets = targets.to(device)
            alpha_i = start_lr * (end_lr / start_lr) ** (i / (num_steps - 1))
            for group in optimizer.param_groups:
                group["lr"] = alpha_i
            optimizer.zero_grad()
            loss = loss_fn(model(inputs), targets)
            loss.backward()
            optimizer.step()

            loss_i = loss.item()
            m = smooth * m + (1 - smooth) * loss_i
            smoothed = m / (1 - smooth ** (i + 1))
            lrs.append(alpha_i)
            losses.append(loss_i)
            smoothed_losses.append(smoothed)
            best = min(best, smoothed)
            if not math.isfinite(smoothed) or smoothed > diverge_factor * best:
                diverged = True
                break
    finally:
        model.load_state_dict(model_state)
        optimizer.load_state_dict(optimizer_state)

    finite = [j for j, s in enumerate(smoothed_losses) if math.isfinite(s)]
    if not finite:
        raise ValueError(f"Invalid start_lr: {start_lr!r} (the loss was not finite even at the first step)")
    i_min = min(finite, key=lambda j: smoothed_losses[j])
    return RangeTestResult(lrs, losses, smoothed_losses, lrs[i_min] / 10, diverged)


def _cycle(data: Iterable[Batch]) -> Iterator[Batch]:
    """Yield the batches of ``data`` forever, starting over each time it runs out."""
    while True:
        empty = True
        for batch in data:
            empty = False
            yield batch
        if empty:
            raise ValueError(f"Invalid data: {data!r} (ran out of batches)")
