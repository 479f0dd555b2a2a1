"""RMSprop: steps scaled by a running RMS of the gradient, optionally centered and with momentum."""

from collections.abc import Iterable
from typing import Any

import torch

from lessonlib._checks import check_lr, check_non_negative
from lessonlib.optim.optimizer import Optimizer


def rmsprop_update(
    param: torch.Tensor,
    grad: torch.Tensor,
    v: torch.Tensor,
    b: torch.Tensor | None,
    g_avg: torch.Tensor | None,
    *,
    lr: float,
    beta: float,
    eps: float,
    weight_decay: float,
    momentum: float,
    maximize: bool,
) -> None:
    r"""Apply one step of RMSprop to `param` in place.

    The equations are those of [`RMSprop`][lessonlib.optim.RMSprop], one a line.

    Args:
        param: the parameters $\theta_{t-1}$, overwritten with $\theta_t$.
        grad: the gradient $\nabla L(\theta_{t-1})$ (left unchanged).
        v: the mean square $v_{t-1}$, updated in place to $v_t$.
        b: the momentum buffer $b_{t-1}$, updated in place; `None` without momentum.
        g_avg: the mean gradient $\bar g_{t-1}$, updated in place; `None`
            unless centered.
        lr: the learning rate $\alpha$.
        beta: $\beta$, the smoothing constant (`alpha` in `torch.optim.RMSprop`).
        eps: $\epsilon$, added to the root mean square.
        weight_decay: $\lambda$, the L2 penalty added to the gradient.
        momentum: $\mu$ (used only when `b` is given).
        maximize: ascend $L$ instead of descending it.

    Examples:
        >>> theta, v = torch.tensor([1.0, -2.0]), torch.zeros(2)
        >>> rmsprop_update(theta, 2 * theta, v, None, None, lr=0.01, beta=0.99,
        ...                eps=1e-8, weight_decay=0.0, momentum=0.0, maximize=False)
        >>> theta  # the first step is α·sign(g)/√(1 - β)
        tensor([ 0.9000, -1.9000])
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g.add(param, alpha=weight_decay)  # g_t ← g_t + λθ_{t-1}
    v.mul_(beta).addcmul_(g, g, value=1 - beta)  # v_t = βv_{t-1} + (1 - β)g_t²
    if g_avg is not None:
        g_avg.lerp_(g, 1 - beta)  # ḡ_t = βḡ_{t-1} + (1 - β)g_t
        r = v.addcmul(g_avg, g_avg, value=-1).sqrt_().add_(eps)  # r_t = √(v_t - ḡ_t²) + ε
    else:
        r = v.sqrt().add_(eps)  # r_t = √v_t + ε
    if b is not None:
        b.mul_(momentum).addcdiv_(g, r)  # b_t = μb_{t-1} + g_t / r_t
        param.add_(b, alpha=-lr)  # θ_t = θ_{t-1} - αb_t
    else:
        param.addcdiv_(g, r, value=-lr)  # θ_t = θ_{t-1} - αg_t / r_t


class RMSprop(Optimizer):
    r"""RMSprop, optionally centered and with momentum, as `torch.optim.RMSprop`.

    Notation: $\theta$ the parameters, $g_t = \nabla L(\theta_{t-1})$ the gradient
    at step $t = 1, 2, \dots$, $\alpha$ the learning rate, $\beta$ the smoothing
    constant (the argument `alpha`, named as in PyTorch), $v_t$ the running mean
    of $g_t^2$, $\bar g_t$ the running mean of $g_t$ (centered only), $\mu$ the
    momentum and $b_t$ its buffer, $\lambda$ the weight decay, $\epsilon$ the
    term that keeps the denominator away from 0. All buffers start at 0.

    $$
    \begin{aligned}
    g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
    v_t &= \beta v_{t-1} + (1 - \beta)\, g_t^2 \\
    \bar g_t &= \beta \bar g_{t-1} + (1 - \beta)\, g_t \\
    r_t &= \sqrt{v_t} + \epsilon
        \qquad \text{or, centered,} \qquad
        r_t = \sqrt{v_t - \bar g_t^2} + \epsilon \\
    b_t &= \mu b_{t-1} + g_t / r_t \\
    \theta_t &= \theta_{t-1} - \alpha\, b_t
    \end{aligned}
    $$

    Without momentum ($\mu = 0$) the step is $\theta_t = \theta_{t-1} - \alpha g_t / r_t$.
    With `maximize=True`, $g_t = -\nabla L(\theta_{t-1})$.

    Args:
        params: an iterable of tensors, or of dicts defining parameter groups.
        lr: the learning rate $\alpha$ (default 1e-2).
        alpha: the smoothing constant $\beta$ (default 0.99).
        eps: $\epsilon$ (default 1e-8).
        weight_decay: $\lambda$, L2 penalty folded into the gradient (default 0).
        momentum: $\mu$ (default 0).
        centered: divide by an estimate of the gradient's standard deviation
            instead of its RMS (default False).
        maximize: ascend the objective instead of descending it (default False).

    Examples:
        >>> theta = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = RMSprop([theta], lr=0.01)
        >>> (theta**2).sum().backward()
        >>> opt.step()
        >>> theta.detach()  # the first step is α·sign(g)/√(1 - β) = 0.1·sign(g)
        tensor([ 0.9000, -1.9000])

    References:
        - T. Tieleman, G. Hinton, "Lecture 6.5, rmsprop: Divide the gradient by a
          running average of its recent magnitude", Neural Networks for Machine
          Learning (Coursera), 2012.
          <https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf>
        - A. Graves, "Generating Sequences With Recurrent Neural Networks"
          (centered form, with momentum), 2013. <https://arxiv.org/abs/1308.0850>

    Note:
        PyTorch calls the smoothing constant `alpha`; in the book $\alpha$ is
        the learning rate, so the math writes it $\beta$. $\epsilon$ is added
        outside the square root, as in PyTorch (TensorFlow adds it inside).
        The buffers start at 0 with no bias correction, so the first steps are
        larger than $\alpha$: by $1/\sqrt{1 - \beta}$ on the first.
    """

    def __init__(
        self,
        params: Iterable[torch.Tensor] | Iterable[dict],
        lr: float | torch.Tensor = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        check_lr(lr)
        check_non_negative("epsilon", eps)
        check_non_negative("momentum", momentum)
        check_non_negative("weight_decay", weight_decay)
        check_non_negative("alpha", alpha)
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def init_state(self, group: dict[str, Any], param: torch.Tensor, state: dict[str, Any]) -> None:
        """Start $v$, and the buffers of momentum and centering where asked for, at 0, as `torch.optim.RMSprop`."""
        state["step"] = torch.tensor(0.0)
        state["square_avg"] = torch.zeros_like(param)  # v_0 = 0
        if group["momentum"] > 0:
            state["momentum_buffer"] = torch.zeros_like(param)  # b_0 = 0
        if group["centered"]:
            state["grad_avg"] = torch.zeros_like(param)  # ḡ_0 = 0

    def update(self, group: dict[str, Any], param: torch.Tensor, grad: torch.Tensor, state: dict[str, Any]) -> None:
        """One step of [`rmsprop_update`][lessonlib.optim.rmsprop.rmsprop_update]."""
        state["step"] += 1  # counted, as in PyTorch, though the update does not use it
        rmsprop_update(
            param,
            grad,
            state["square_avg"],
            state["momentum_buffer"] if group["momentum"] > 0 else None,
            state["grad_avg"] if group["centered"] else None,
            lr=float(group["lr"]),
            beta=group["alpha"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            momentum=group["momentum"],
            maximize=group["maximize"],
        )
