"""Stochastic gradient descent, with momentum, dampening, Nesterov and L2 weight decay."""

from collections.abc import Iterable
from typing import Any

import torch

from lessonlib._checks import check_lr, check_non_negative
from lessonlib.optim.optimizer import Optimizer


def sgd_update(
    param: torch.Tensor,
    grad: torch.Tensor,
    v: torch.Tensor | None,
    *,
    lr: float,
    momentum: float,
    dampening: float,
    weight_decay: float,
    nesterov: bool,
    maximize: bool,
) -> torch.Tensor | None:
    r"""Apply one step of SGD to `param` in place.

    The equations are those of [`SGD`][lessonlib.optim.SGD], one a line.

    Args:
        param: the parameters $\theta_{t-1}$, overwritten with $\theta_t$.
        grad: the gradient $\nabla L(\theta_{t-1})$ (left unchanged).
        v: the momentum buffer $v_{t-1}$, updated in place; `None` on the
            first step, when $v_1 = g_1$ is created.
        lr: the learning rate $\alpha$.
        momentum: $\beta$; 0 turns momentum off.
        dampening: $\tau$, the share of $g_t$ held back from $v_t$.
        weight_decay: $\lambda$, the L2 penalty added to the gradient.
        nesterov: step along $g_t + \beta v_t$ instead of $v_t$.
        maximize: ascend $L$ instead of descending it.

    Returns:
        The momentum buffer $v_t$ (`None` when momentum is 0).

    Examples:
        >>> theta = torch.tensor([1.0, -2.0])
        >>> v = sgd_update(theta, 2 * theta, None, lr=0.1, momentum=0.9,
        ...                dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False)
        >>> theta, v
        (tensor([ 0.8000, -1.6000]), tensor([ 2., -4.]))
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g.add(param, alpha=weight_decay)  # g_t + λθ_{t-1}
    if momentum != 0:
        if v is None:
            v = g.clone()  # v_1 = g_1
        else:
            v.mul_(momentum).add_(g, alpha=1 - dampening)  # v_t = βv_{t-1} + (1 - τ)g_t
        g = g.add(v, alpha=momentum) if nesterov else v  # Nesterov: g_t + βv_t
    param.add_(g, alpha=-lr)  # θ_t = θ_{t-1} - α·(v_t or g_t)
    return v


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with momentum, as `torch.optim.SGD`.

    Notation: $\theta$ the parameters, $g_t = \nabla L(\theta_{t-1})$ the gradient
    at step $t = 1, 2, \dots$, $\alpha$ the learning rate, $\beta$ the momentum,
    $\tau$ the dampening, $\lambda$ the weight decay, $v_t$ the momentum buffer.

    $$
    \begin{aligned}
    g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
    v_t &= \beta v_{t-1} + (1 - \tau)\, g_t \qquad (v_1 = g_1) \\
    \theta_t &= \theta_{t-1} - \alpha\, v_t
        \qquad \text{or, with Nesterov,} \qquad
        \theta_t = \theta_{t-1} - \alpha\, (g_t + \beta v_t)
    \end{aligned}
    $$

    Without momentum ($\beta = 0$) the step is $\theta_t = \theta_{t-1} - \alpha g_t$.
    With `maximize=True`, $g_t = -\nabla L(\theta_{t-1})$.

    Args:
        params: an iterable of tensors, or of dicts defining parameter groups.
        lr: the learning rate $\alpha$ (default 1e-3).
        momentum: $\beta$ (default 0).
        dampening: $\tau$ (default 0).
        weight_decay: $\lambda$, L2 penalty folded into the gradient (default 0).
        nesterov: use Nesterov momentum (default False); needs $\beta > 0$, $\tau = 0$.
        maximize: ascend the objective instead of descending it (default False).

    Examples:
        >>> theta = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = SGD([theta], lr=0.1, momentum=0.9)
        >>> (theta**2).sum().backward()  # g = 2θ
        >>> opt.step()
        >>> theta.detach()
        tensor([ 0.8000, -1.6000])

    References:
        - B. T. Polyak, "Some methods of speeding up the convergence of iteration
          methods", 1964. <https://doi.org/10.1016/0041-5553(64)90137-5>
        - I. Sutskever, J. Martens, G. Dahl, G. Hinton, "On the importance of
          initialization and momentum in deep learning", 2013.
          <https://proceedings.mlr.press/v28/sutskever13.html>

    Note:
        This is PyTorch's form of momentum, $v \leftarrow \beta v + g$,
        $\theta \leftarrow \theta - \alpha v$. Sutskever et al. fold the
        learning rate into the buffer, $v \leftarrow \beta v - \alpha g$,
        $\theta \leftarrow \theta + v$: the same trajectory while $\alpha$ is
        constant, different once a schedule changes $\alpha$. Weight decay here
        is an L2 term added to the gradient, which for SGD without momentum
        is the same as decoupled decay up to rescaling $\lambda$ (with
        momentum the $\lambda\theta$ term builds up in the buffer too).
    """

    def __init__(
        self,
        params: Iterable[torch.Tensor] | Iterable[dict],
        lr: float | torch.Tensor = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        check_lr(lr)
        check_non_negative("momentum", momentum)
        check_non_negative("weight_decay", weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def init_state(self, group: dict[str, Any], param: torch.Tensor, state: dict[str, Any]) -> None:
        """Hold a place for the momentum buffer $v$, which the first update creates as $v_1 = g_1$."""
        if group["momentum"] != 0:
            state["momentum_buffer"] = None  # v_1 = g_1 is made by the first update

    def update(self, group: dict[str, Any], param: torch.Tensor, grad: torch.Tensor, state: dict[str, Any]) -> None:
        """One step of [`sgd_update`][lessonlib.optim.sgd.sgd_update]; the momentum buffer is kept after it."""
        v = sgd_update(
            param,
            grad,
            state.get("momentum_buffer"),
            lr=float(group["lr"]),
            momentum=group["momentum"],
            dampening=group["dampening"],
            weight_decay=group["weight_decay"],
            nesterov=group["nesterov"],
            maximize=group["maximize"],
        )
        if v is not None:
            state["momentum_buffer"] = v
