r"""Plain gradient descent that records where it went.

The update rule, with learning rate $\alpha$:

$$
w_{t+1} = w_t - \alpha \nabla L(w_t)
$$

The routine keeps every iterate and every loss so a chapter can draw the path
on a loss curve or a contour map.
"""

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass
class Trajectory:
    """Where gradient descent went.

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
) -> Trajectory:
    r"""Run $w_{t+1} = w_t - \alpha \nabla L(w_t)$ for ``steps`` steps.

    Args:
        f: the loss $L$; maps ``w`` to a scalar tensor.
        grad: $\nabla L$; maps ``w`` to a tensor shaped like ``w``. ``None``
            means: let autograd differentiate ``f``.
        w0: the starting point $w_0$ (any shape, floating point).
        lr: the learning rate $\alpha > 0$.
        steps: the number of steps $T \ge 0$.

    Returns:
        The `Trajectory` of iterates and losses. Once an iterate stops being
            finite (divergence), the rest of the trajectory is ``inf``/``nan``:
            the run is not cut short, so every trajectory has ``steps + 1`` rows.

    Examples:
        >>> run = gradient_descent(lambda w: (w**2).sum(), lambda w: 2 * w,
        ...                        torch.tensor(5.0), lr=0.1, steps=3)
        >>> run.w
        tensor([5.0000, 4.0000, 3.2000, 2.5600])
    """
    if not isinstance(w0, Tensor):
        raise TypeError(f"w0 must be a torch.Tensor, got {type(w0).__name__}")
    if not w0.is_floating_point():
        raise TypeError(f"w0 must be a floating-point tensor, got dtype {w0.dtype}")
    if not lr > 0:
        raise ValueError(f"Invalid learning rate: {lr}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"Invalid steps: {steps!r} (must be an integer >= 0)")
    if grad is None:
        grad = _autograd(f)

    w = w0.detach().clone()
    ws, losses = [w.clone()], [f(w).detach()]
    for _ in range(steps):
        w = w - lr * grad(w)
        ws.append(w.clone())
        losses.append(f(w).detach())
    return Trajectory(torch.stack(ws), torch.stack(losses))


def _autograd(f: Callable[[Tensor], Tensor]) -> Callable[[Tensor], Tensor]:
    def grad(w: Tensor) -> Tensor:
        with torch.enable_grad():
            w = w.detach().requires_grad_(True)
            (g,) = torch.autograd.grad(f(w), w)
        return g

    return grad
