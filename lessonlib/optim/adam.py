"""Adam: momentum on the gradient, scaled by a running RMS of the gradient."""

from collections.abc import Iterable
from typing import Any

import torch

from lessonlib._checks import check_beta_types, check_betas, check_lr, check_non_negative
from lessonlib.optim.optimizer import Optimizer


def adam_update(
    param: torch.Tensor,
    grad: torch.Tensor,
    m: torch.Tensor,
    v: torch.Tensor,
    v_max: torch.Tensor | None,
    t: float,
    *,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    decoupled_weight_decay: bool,
    maximize: bool,
) -> None:
    r"""Apply one step of Adam to `param` in place.

    The equations are those of [`Adam`][lessonlib.optim.Adam], one a line.

    $\hat m_t$ and $\hat v_t$ are never built as tensors: the bias corrections
    are scalars, folded into the step size and the denominator.

    Args:
        param: the parameters $\theta_{t-1}$, overwritten with $\theta_t$.
        grad: the gradient $\nabla L(\theta_{t-1})$ (left unchanged).
        m: the first moment $m_{t-1}$, updated in place to $m_t$.
        v: the second moment $v_{t-1}$, updated in place to $v_t$.
        v_max: AMSGrad's running maximum of $v_t$, updated in place; `None`
            for plain Adam.
        t: the step count, starting at 1.
        lr: the learning rate $\alpha$.
        beta1: $\beta_1$, decay of the first moment.
        beta2: $\beta_2$, decay of the second moment.
        eps: $\epsilon$, added to $\sqrt{\hat v_t}$.
        weight_decay: $\lambda$.
        decoupled_weight_decay: shrink $\theta$ by $(1 - \alpha\lambda)$ (AdamW)
            instead of adding $\lambda\theta$ to the gradient (L2).
        maximize: ascend $L$ instead of descending it.

    Examples:
        >>> theta, m, v = torch.tensor([1.0, -2.0]), torch.zeros(2), torch.zeros(2)
        >>> adam_update(theta, 2 * theta, m, v, None, 1, lr=0.1, beta1=0.9, beta2=0.999,
        ...             eps=1e-8, weight_decay=0.0, decoupled_weight_decay=False, maximize=False)
        >>> theta  # the first step moves every coordinate by about α
        tensor([ 0.9000, -1.9000])
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        if decoupled_weight_decay:
            param.mul_(1 - lr * weight_decay)  # θ ← (1 - αλ)θ_{t-1}
        else:
            g = g.add(param, alpha=weight_decay)  # g_t ← g_t + λθ_{t-1}
    m.lerp_(g, 1 - beta1)  # m_t = β1 m_{t-1} + (1 - β1) g_t
    v.mul_(beta2).addcmul_(g, g, value=1 - beta2)  # v_t = β2 v_{t-1} + (1 - β2) g_t²
    if v_max is not None:
        v = torch.maximum(v_max, v, out=v_max)  # AMSGrad: v_t ← max(v_max, v_t)
    step_size = lr / (1 - beta1**t)  # α m̂_t = step_size · m_t
    v_hat_sqrt = v.sqrt().div_((1 - beta2**t) ** 0.5)  # √v̂_t = √v_t / √(1 - β2^t)
    param.addcdiv_(m, v_hat_sqrt.add_(eps), value=-step_size)  # θ_t = θ - α m̂_t / (√v̂_t + ε)


class Adam(Optimizer):
    r"""Adam, with optional AMSGrad and L2 or decoupled weight decay, as `torch.optim.Adam`.

    Notation: $\theta$ the parameters, $g_t = \nabla L(\theta_{t-1})$ the gradient
    at step $t = 1, 2, \dots$, $\alpha$ the learning rate, $\beta_1, \beta_2$ the
    decay rates of the moments $m_t$ and $v_t$ ($m_0 = v_0 = 0$), $\hat m_t$ and
    $\hat v_t$ their bias-corrected values, $\epsilon$ the term that keeps the
    denominator away from 0, $\lambda$ the weight decay.

    $$
    \begin{aligned}
    g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
    m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
    v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
    \hat m_t &= m_t / (1 - \beta_1^t) \\
    \hat v_t &= v_t / (1 - \beta_2^t) \\
    \theta_t &= \theta_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)
    \end{aligned}
    $$

    With `amsgrad=True`, $\hat v_t$ uses $v^{\max}_t = \max(v^{\max}_{t-1}, v_t)$
    in place of $v_t$. With `decoupled_weight_decay=True` the first line is
    replaced by $\theta_{t-1} \leftarrow (1 - \alpha\lambda)\,\theta_{t-1}$: that
    is [`AdamW`][lessonlib.optim.AdamW]. With `maximize=True`,
    $g_t = -\nabla L(\theta_{t-1})$.

    Args:
        params: an iterable of tensors, or of dicts defining parameter groups.
        lr: the learning rate $\alpha$ (default 1e-3).
        betas: $(\beta_1, \beta_2)$ (default (0.9, 0.999)).
        eps: $\epsilon$ (default 1e-8).
        weight_decay: $\lambda$ (default 0).
        amsgrad: use AMSGrad's running maximum of $v_t$ (default False).
        maximize: ascend the objective instead of descending it (default False).
        decoupled_weight_decay: decay $\theta$ directly, as AdamW (default False).

    Examples:
        >>> theta = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = Adam([theta], lr=0.1)
        >>> (theta**2).sum().backward()
        >>> opt.step()
        >>> theta.detach()  # the first step moves every coordinate by about α
        tensor([ 0.9000, -1.9000])

    References:
        - D. P. Kingma, J. Ba, "Adam: A Method for Stochastic Optimization", 2015.
          <https://arxiv.org/abs/1412.6980>
        - S. J. Reddi, S. Kale, S. Kumar, "On the Convergence of Adam and Beyond",
          2018. <https://openreview.net/forum?id=ryQu7f-RZ>

    Note:
        $\epsilon$ is added outside the square root, after the bias correction,
        as in PyTorch and the paper; some libraries add it inside
        ($\sqrt{\hat v_t + \epsilon}$) or before correcting $v_t$. Weight decay
        here is an L2 term in the gradient, so it is rescaled by
        $1/(\sqrt{\hat v_t} + \epsilon)$ like the rest of the gradient; AdamW's
        decoupled decay is not.
    """

    def __init__(
        self,
        params: Iterable[torch.Tensor] | Iterable[dict],
        lr: float | torch.Tensor = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        check_lr(lr)
        check_non_negative("epsilon", eps)
        check_betas(betas)
        check_non_negative("weight_decay", weight_decay)
        check_beta_types(betas)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def init_state(self, group: dict[str, Any], param: torch.Tensor, state: dict[str, Any]) -> None:
        """Start $m$ and $v$ (and AMSGrad's maximum) at 0, under `torch.optim.Adam`'s names."""
        state["step"] = torch.tensor(0.0)
        state["exp_avg"] = torch.zeros_like(param)  # m_0 = 0
        state["exp_avg_sq"] = torch.zeros_like(param)  # v_0 = 0
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = torch.zeros_like(param)

    def update(self, group: dict[str, Any], param: torch.Tensor, grad: torch.Tensor, state: dict[str, Any]) -> None:
        """One step of [`adam_update`][lessonlib.optim.adam.adam_update], counting $t$."""
        beta1, beta2 = group["betas"]
        state["step"] += 1
        adam_update(
            param,
            grad,
            state["exp_avg"],
            state["exp_avg_sq"],
            state.get("max_exp_avg_sq") if group["amsgrad"] else None,
            state["step"].item(),
            lr=float(group["lr"]),
            beta1=float(beta1),
            beta2=float(beta2),
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            decoupled_weight_decay=group["decoupled_weight_decay"],
            maximize=group["maximize"],
        )
