r"""Plain gradient descent that records where it went.

The update rule, with learning rate $\alpha$:

$$
w_{t+1} = w_t - \alpha \nabla L(w_t)
$$

Both routines keep every iterate and every loss so a chapter can draw the path
on a loss curve or a contour map: `gradient_descent` takes exactly these plain
steps, `optimizer_path` lets any ``torch.optim.Optimizer`` take its own.
"""

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor

from lessonlib._checks import check_callable, check_instance, check_integer, check_lr, check_tensor


@dataclass
class Iterates:
    """Where gradient descent went: every iterate and its loss.

    Attributes:
        w: the iterates $w_0, \\dots, w_T$, shape ``(T + 1, *w0.shape)``.
        loss: $L(w_0), \\dots, L(w_T)$, shape ``(T + 1,)``.
    """

    w: Tensor
    loss: Tensor

    @property
    def final(self) -> Tensor:
        """The last iterate $w_T$."""
        return self.w[-1]


def gradient_descent(
    f: Callable[[Tensor], Tensor],
    grad: Callable[[Tensor], Tensor] | None,
    w0: Tensor,
    lr: float,
    steps: int,
) -> Iterates:
    r"""Run $w_{t+1} = w_t - \alpha \nabla L(w_t)$ for ``steps`` steps.

    Args:
        f: the loss $L$; maps ``w`` to a scalar tensor.
        grad: $\nabla L$; maps ``w`` to a tensor shaped like ``w``. ``None``
            means: let autograd differentiate ``f``.
        w0: the starting point $w_0$ (any shape, floating point).
        lr: the learning rate $\alpha \ge 0$ (0 leaves $w$ where it is).
        steps: the number of steps $T \ge 0$.

    Returns:
        The [`Iterates`][lessonlib.descent.Iterates] and their losses. Once an
            iterate stops being finite (divergence), the rest is ``inf``/``nan``:
            the run is not cut short, so there are always ``steps + 1`` rows.

    Raises:
        TypeError: ``w0`` is not a floating-point tensor, ``lr`` is not a real
            number, or ``steps`` is not an integer.
        ValueError: ``lr`` is negative or not finite, or ``steps`` is negative.

    Examples:
        >>> run = gradient_descent(lambda w: (w**2).sum(), lambda w: 2 * w,
        ...                        torch.tensor(5.0), lr=0.1, steps=3)
        >>> run.w
        tensor([5.0000, 4.0000, 3.2000, 2.5600])
    """
    check_tensor("w0", w0, floating=True)
    check_lr(lr)
    check_integer("steps", steps, minimum=0)
    if grad is None:
        grad = _autograd(f)

    w = w0.detach().clone()
    ws, losses = [w.clone()], [f(w).detach()]
    for _ in range(steps):
        w = w - lr * grad(w)
        ws.append(w.clone())
        losses.append(f(w).detach())
    return Iterates(torch.stack(ws), torch.stack(losses))


def optimizer_path(
    f: Callable[[Tensor], Tensor],
    w: Tensor,
    optimizer: torch.optim.Optimizer,
    steps: int,
    *,
    grad: Callable[[Tensor], Tensor] | None = None,
) -> Iterates:
    r"""Run any optimizer on $L$ for ``steps`` steps and record where it went.

    Notation: $w_t$ the parameter after $t$ steps, $g_t = \nabla L(w_t)$.
    Each step hands the optimizer the gradient at the current point and lets
    it update $w$ by its own rule (plain SGD: $w_{t+1} = w_t - \alpha g_t$;
    momentum, Adam, ...: their chapter's rule):

    $$
    g_t = \nabla L(w_t), \qquad w_{t+1} = \operatorname{step}(w_t, g_t)
    $$

    Args:
        f: the loss $L$; maps ``w`` to its loss (one number, or one per
            coordinate when ``w`` holds several independent runs).
        w: the parameter: a floating-point leaf tensor that requires grad and
            that ``optimizer`` updates. It holds $w_0$ and is left at $w_T$.
        optimizer: any ``torch.optim.Optimizer`` with ``w`` among its
            parameters; its state (momentum, moments) carries on from where
            it is.
        steps: the number of steps $T \ge 0$.
        grad: $\nabla L$, written by hand; ``None`` lets autograd
            differentiate ``f`` (which must then return one number).

    Returns:
        The [`Iterates`][lessonlib.descent.Iterates] $w_0, \dots, w_T$ and
            their losses $L(w_0), \dots, L(w_T)$, on ``w``'s device. A run that
            diverges is not cut short: its later rows are ``inf``/``nan``.

    Raises:
        TypeError: ``w`` is not a floating-point tensor, ``optimizer`` is not
            a ``torch.optim.Optimizer``, ``f`` or ``grad`` is not callable, or
            ``steps`` is not an integer.
        ValueError: ``w`` does not require grad or is not among the
            optimizer's parameters, or ``steps`` is negative.

    Examples:
        >>> w = torch.tensor([1.0, 1.0], requires_grad=True)
        >>> f = lambda w: 0.5 * (w**2).sum()
        >>> path = optimizer_path(f, w, torch.optim.SGD([w], lr=0.5), steps=2)
        >>> path.w
        tensor([[1.0000, 1.0000],
                [0.5000, 0.5000],
                [0.2500, 0.2500]])
        >>> path.loss
        tensor([1.0000, 0.2500, 0.0625])

    Note:
        With ``torch.optim.SGD`` and no momentum this is
        [`gradient_descent`][lessonlib.descent.gradient_descent]; the
        optimizer is what changes from one chapter to the next.
    """
    check_callable("f", f)
    check_tensor("w", w, floating=True)
    check_instance("optimizer", optimizer, torch.optim.Optimizer, "a torch.optim.Optimizer")
    check_integer("steps", steps, minimum=0)
    if not w.requires_grad:
        raise ValueError("Invalid w value: requires_grad=False (must be a parameter the optimizer updates)")
    if not any(p is w for group in optimizer.param_groups for p in group["params"]):
        raise ValueError("Invalid w value: not a parameter of the optimizer (must be one it updates: build it on [w])")
    if grad is None:
        grad = _autograd(f)
    check_callable("grad", grad)

    ws = [w.detach().clone()]
    for _ in range(steps):
        w.grad = grad(w.detach())
        optimizer.step()
        ws.append(w.detach().clone())
    with torch.no_grad():
        losses = [f(w_t) for w_t in ws]
    return Iterates(torch.stack(ws), torch.stack(losses))


def _autograd(f: Callable[[Tensor], Tensor]) -> Callable[[Tensor], Tensor]:
    def grad(w: Tensor) -> Tensor:
        with torch.enable_grad():
            w = w.detach().requires_grad_(True)
            (g,) = torch.autograd.grad(f(w), w)
        return g

    return grad
