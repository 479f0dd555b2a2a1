"""Adagrad: per-coordinate steps scaled by the root of the summed squared gradients."""

from collections.abc import Iterable
from typing import Any

import torch

from lessonlib._checks import check_lr, check_non_negative
from lessonlib.optim.optimizer import Optimizer


def adagrad_update(
    param: torch.Tensor,
    grad: torch.Tensor,
    v: torch.Tensor,
    t: float,
    *,
    lr: float,
    lr_decay: float,
    weight_decay: float,
    eps: float,
    maximize: bool,
) -> None:
    r"""Apply one step of Adagrad to `param` in place.

    The equations are those of [`Adagrad`][lessonlib.optim.Adagrad], one a line.

    Args:
        param: the parameters $\theta_{t-1}$, overwritten with $\theta_t$.
        grad: the gradient $\nabla L(\theta_{t-1})$ (left unchanged).
        v: the sum of squared gradients $v_{t-1}$, updated in place to $v_t$.
        t: the step count, starting at 1.
        lr: the learning rate $\alpha$.
        lr_decay: $\eta$, the decay of the learning rate with $t$.
        weight_decay: $\lambda$, the L2 penalty added to the gradient.
        eps: $\epsilon$, added to $\sqrt{v_t}$.
        maximize: ascend $L$ instead of descending it.

    Examples:
        >>> theta, v = torch.tensor([1.0, -2.0]), torch.zeros(2)
        >>> adagrad_update(theta, 2 * theta, v, 1, lr=0.1, lr_decay=0.0,
        ...                weight_decay=0.0, eps=1e-10, maximize=False)
        >>> theta, v
        (tensor([ 0.9000, -1.9000]), tensor([ 4., 16.]))
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g.add(param, alpha=weight_decay)  # g_t ← g_t + λθ_{t-1}
    lr_t = lr / (1 + (t - 1) * lr_decay)  # α_t = α / (1 + (t - 1)η)
    v.addcmul_(g, g, value=1)  # v_t = v_{t-1} + g_t²
    param.addcdiv_(g, v.sqrt().add_(eps), value=-lr_t)  # θ_t = θ_{t-1} - α_t g_t / (√v_t + ε)


class Adagrad(Optimizer):
    r"""Adagrad, as `torch.optim.Adagrad`.

    Notation: $\theta$ the parameters, $g_t = \nabla L(\theta_{t-1})$ the gradient
    at step $t = 1, 2, \dots$, $\alpha$ the learning rate, $\eta$ its decay,
    $\lambda$ the weight decay, $v_t$ the running sum of squared gradients
    ($v_0$ the initial accumulator value), $\epsilon$ the term that keeps the
    denominator away from 0.

    $$
    \begin{aligned}
    g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
    \alpha_t &= \alpha / (1 + (t - 1)\, \eta) \\
    v_t &= v_{t-1} + g_t^2 \\
    \theta_t &= \theta_{t-1} - \alpha_t\, g_t / (\sqrt{v_t} + \epsilon)
    \end{aligned}
    $$

    With `maximize=True`, $g_t = -\nabla L(\theta_{t-1})$.

    Args:
        params: an iterable of tensors, or of dicts defining parameter groups.
        lr: the learning rate $\alpha$ (default 1e-2).
        lr_decay: $\eta$ (default 0).
        weight_decay: $\lambda$, L2 penalty folded into the gradient (default 0).
        initial_accumulator_value: $v_0$, the same for every coordinate (default 0).
        eps: $\epsilon$ (default 1e-10).
        maximize: ascend the objective instead of descending it (default False).

    Examples:
        >>> theta = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = Adagrad([theta], lr=0.1)
        >>> (theta**2).sum().backward()
        >>> opt.step()
        >>> theta.detach()  # the first step is α·sign(g)
        tensor([ 0.9000, -1.9000])

    References:
        - J. Duchi, E. Hazan, Y. Singer, "Adaptive Subgradient Methods for Online
          Learning and Stochastic Optimization", 2011.
          <https://jmlr.org/papers/v12/duchi11a.html>

    Note:
        $\epsilon$ is added outside the square root, as in PyTorch; some texts
        write $\sqrt{v_t + \epsilon}$. PyTorch creates the state of every
        parameter when the optimizer is built; here, as for the other
        optimizers, it is created on the first step that sees a gradient, with
        the same values.
    """

    def __init__(
        self,
        params: Iterable[torch.Tensor] | Iterable[dict],
        lr: float | torch.Tensor = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        check_lr(lr)
        check_non_negative("lr_decay", lr_decay)
        check_non_negative("weight_decay", weight_decay)
        check_non_negative("initial_accumulator_value", initial_accumulator_value)
        check_non_negative("epsilon", eps)
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def init_state(self, group: dict[str, Any], param: torch.Tensor, state: dict[str, Any]) -> None:
        """Start the step count at 0 and the sum $v_0$ at `initial_accumulator_value`, as `torch.optim.Adagrad`."""
        state["step"] = torch.tensor(0.0)
        state["sum"] = torch.full_like(param, group["initial_accumulator_value"])  # v_0

    def update(self, group: dict[str, Any], param: torch.Tensor, grad: torch.Tensor, state: dict[str, Any]) -> None:
        """One step of [`adagrad_update`][lessonlib.optim.adagrad.adagrad_update], counting $t$."""
        state["step"] += 1
        adagrad_update(
            param,
            grad,
            state["sum"],
            state["step"].item(),
            lr=float(group["lr"]),
            lr_decay=group["lr_decay"],
            weight_decay=group["weight_decay"],
            eps=group["eps"],
            maximize=group["maximize"],
        )
