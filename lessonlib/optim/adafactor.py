"""Adafactor: Adam-like scaling with a second moment stored as row and column factors."""

from collections.abc import Iterable
from typing import Any

import torch

from lessonlib._checks import check_lr, check_non_negative, check_real
from lessonlib.optim.optimizer import Optimizer


def adafactor_update(
    param: torch.Tensor,
    grad: torch.Tensor,
    row_var: torch.Tensor | None,
    col_var: torch.Tensor | None,
    v: torch.Tensor | None,
    t: float,
    *,
    lr: float,
    beta2_decay: float,
    eps1: float,
    eps2: float,
    d: float,
    weight_decay: float,
    maximize: bool,
) -> None:
    r"""Apply one step of Adafactor to `param` in place.

    The equations are those of [`Adafactor`][lessonlib.optim.Adafactor], one a line.

    Args:
        param: the parameters $\theta_{t-1}$, overwritten with $\theta_t$.
        grad: the gradient $\nabla L(\theta_{t-1})$ (left unchanged).
        row_var: the row factor $R_{t-1}$ (shape `(..., n, 1)`) of a tensor
            with 2 or more dimensions, updated in place; `None` otherwise.
        col_var: the column factor $C_{t-1}$ (shape `(..., 1, m)`), updated in
            place; `None` for a vector or a scalar.
        v: the full second moment $v_{t-1}$ of a vector or a scalar, updated in
            place; `None` otherwise.
        t: the step count, starting at 1.
        lr: $\alpha$, the cap on the relative step size and the decay's scale.
        beta2_decay: $\tau \le 0$; $1 - \hat\beta_{2,t} = t^\tau$.
        eps1: $\epsilon_1$, the floor of the second-moment estimate's root.
        eps2: $\epsilon_2$, the floor of the parameters' RMS.
        d: the clipping threshold on the update's RMS.
        weight_decay: $\lambda$, decoupled, scaled by $\alpha$.
        maximize: ascend $L$ instead of descending it.

    Examples:
        >>> theta, v = torch.tensor([1.0, -2.0]), torch.zeros(2)
        >>> adafactor_update(theta, 2 * theta, None, None, v, 1, lr=0.01, beta2_decay=-0.8,
        ...                  eps1=1e-30, eps2=1e-3, d=1.0, weight_decay=0.0, maximize=False)
        >>> theta  # RMS(θ)·ρ·sign(g) = 1.58·0.01·sign(g)
        tensor([ 0.9842, -1.9842])
    """
    g = -grad if maximize else grad
    one_minus_beta2_t = t**beta2_decay  # 1 - β̂_2t = t^τ
    rho_t = min(lr, 1 / t**0.5)  # ρ_t = min(α, 1/√t)
    rms_theta = torch.linalg.vector_norm(param).item() / param.numel() ** 0.5  # RMS(θ_{t-1})
    eta_t = max(eps2, rms_theta) * rho_t  # η_t = max(ε2, RMS(θ_{t-1}))ρ_t
    if weight_decay != 0:
        param.mul_(1 - lr * weight_decay)  # θ ← (1 - αλ)θ_{t-1}
    if g.dim() > 1:
        if row_var is None or col_var is None:
            raise ValueError(f"Invalid row_var/col_var: None (a tensor of shape {tuple(g.shape)} needs both)")
        # mean of g² along each row and each column, as ‖·‖²/count: no g² temporary
        g2_row = torch.linalg.vector_norm(g, dim=-1, keepdim=True).square_().div_(g.size(-1))
        g2_col = torch.linalg.vector_norm(g, dim=-2, keepdim=True).square_().div_(g.size(-2))
        row_var.lerp_(g2_row, one_minus_beta2_t)  # R_t = β̂_2t R_{t-1} + (1 - β̂_2t) mean_row g²
        col_var.lerp_(g2_col, one_minus_beta2_t)  # C_t = β̂_2t C_{t-1} + (1 - β̂_2t) mean_col g²
        r_mean = row_var.mean(dim=-2, keepdim=True).clamp_(min=eps1)  # max(mean R_t, ε1)
        v_hat = (row_var @ col_var).div_(r_mean)  # v̂_t = R_t C_t / max(mean R_t, ε1)
    else:
        if v is None:
            raise ValueError(f"Invalid v: None (a tensor of shape {tuple(g.shape)} keeps a full second moment)")
        v.lerp_(g * g, one_minus_beta2_t)  # v_t = β̂_2t v_{t-1} + (1 - β̂_2t) g_t²
        v_hat = v.clone()  # v̂_t = v_t, copied: the next line works in place
    u = v_hat.clamp_(min=eps1 * eps1).rsqrt_().mul_(g)  # U_t = g_t / max(√v̂_t, ε1)
    u_norm = torch.linalg.vector_norm(u).item()
    clip = max(1.0, u_norm / (u.numel() ** 0.5 * d))  # max(1, RMS(U_t)/d)
    param.add_(u, alpha=-eta_t / clip)  # θ_t = θ_{t-1} - η_t U_t / max(1, RMS(U_t)/d)


class Adafactor(Optimizer):
    r"""Adafactor, as `torch.optim.Adafactor`.

    Notation: $\theta$ the parameters, $g_t = \nabla L(\theta_{t-1})$ the gradient
    at step $t = 1, 2, \dots$, $\alpha$ the learning rate (here a cap on the
    relative step size), $\tau$ the decay exponent of $\beta_2$ (`beta2_decay`),
    $\epsilon_1, \epsilon_2$ (`eps`), $d$ the clipping threshold, $\lambda$ the
    weight decay, $\operatorname{RMS}(x) = \|x\|_2 / \sqrt{\text{numel}(x)}$.
    For a tensor of $n \times m$ matrices, $R_t$ holds one value per row and
    $C_t$ one per column ($\overline{\,\cdot\,}$ is a mean over that axis);
    vectors and scalars keep a full $v_t$. All start at 0.

    $$
    \begin{aligned}
    1 - \hat\beta_{2,t} &= t^{\tau} \\
    \rho_t &= \min(\alpha, 1/\sqrt{t}) \\
    \eta_t &= \max(\epsilon_2, \operatorname{RMS}(\theta_{t-1}))\, \rho_t \\
    \theta_{t-1} &\leftarrow (1 - \alpha\lambda)\, \theta_{t-1} \\
    R_t &= \hat\beta_{2,t} R_{t-1} + (1 - \hat\beta_{2,t})\, \overline{g_t^2}^{\,\text{row}} \\
    C_t &= \hat\beta_{2,t} C_{t-1} + (1 - \hat\beta_{2,t})\, \overline{g_t^2}^{\,\text{col}} \\
    \hat v_t &= R_t C_t / \max(\overline{R_t}, \epsilon_1) \\
    \text{or } \hat v_t = v_t &= \hat\beta_{2,t} v_{t-1} + (1 - \hat\beta_{2,t})\, g_t^2
        \qquad \text{(vectors and scalars)} \\
    U_t &= g_t / \max(\sqrt{\hat v_t}, \epsilon_1) \\
    \theta_t &= \theta_{t-1} - \eta_t\, U_t / \max(1, \operatorname{RMS}(U_t) / d)
    \end{aligned}
    $$

    $R_t C_t$ is the outer product (an $n \times m$ matrix), and tensors with
    more than 2 dimensions are treated as a batch of matrices over their last
    two. With `maximize=True`, $g_t = -\nabla L(\theta_{t-1})$.

    Args:
        params: an iterable of tensors, or of dicts defining parameter groups.
        lr: $\alpha$, the cap on $\rho_t$ and the scale of the decay (default 1e-2).
        beta2_decay: $\tau \le 0$ (default -0.8).
        eps: $(\epsilon_1, \epsilon_2)$; `None` for $\epsilon_1$ means the
            machine epsilon of the parameter's dtype (default (None, 1e-3)).
        d: the clipping threshold, at least 1 (default 1.0).
        weight_decay: $\lambda$, decoupled (default 0.0).
        maximize: ascend the objective instead of descending it (default False).

    Examples:
        >>> theta = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = Adafactor([theta])
        >>> (theta**2).sum().backward()
        >>> opt.step()
        >>> theta.detach()  # RMS(θ)·ρ·sign(g) = 1.58·0.01·sign(g)
        tensor([ 0.9842, -1.9842])

    References:
        - N. Shazeer, M. Stern, "Adafactor: Adaptive Learning Rates with
          Sublinear Memory Cost", 2018. <https://arxiv.org/abs/1804.04235>
        - I. Loshchilov, F. Hutter, "Decoupled Weight Decay Regularization"
          (the decay), 2019. <https://arxiv.org/abs/1711.05101>

    Note:
        This follows PyTorch, which departs from the paper in three places. The
        paper has no learning rate: its relative step is $\min(0.01, 1/\sqrt{t})$;
        here $\alpha$ replaces 0.01 (so the default reproduces the paper) and
        also scales the decoupled weight decay. The paper adds $\epsilon_1$ to
        $g_t^2$ before factoring; here $\epsilon_1$ floors the mean row factor
        and $\sqrt{\hat v_t}$ instead. The factors hold means of $g_t^2$, not
        sums (the same $\hat v_t$). There is no first moment ($\beta_1 = 0$),
        which is where the memory goes: one row and one column per matrix
        instead of Adam's two full copies of $\theta$.
    """

    def __init__(
        self,
        params: Iterable[torch.Tensor] | Iterable[dict],
        lr: float | torch.Tensor = 1e-2,
        beta2_decay: float = -0.8,
        eps: tuple[float | None, float] = (None, 1e-3),
        d: float = 1.0,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        check_lr(lr)
        check_real("beta2_decay", beta2_decay, at_most=0)
        if eps[0] is not None:
            check_non_negative("epsilon1", eps[0])
        check_non_negative("epsilon2", eps[1])
        check_real("d", d, at_least=1)
        check_non_negative("weight_decay", weight_decay)
        defaults = {
            "lr": lr,
            "beta2_decay": beta2_decay,
            "eps": eps,
            "d": d,
            "weight_decay": weight_decay,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def init_state(self, group: dict[str, Any], param: torch.Tensor, state: dict[str, Any]) -> None:
        """Start a matrix's row and column factors, or a vector's full $v$, at 0, as `torch.optim.Adafactor`."""
        state["step"] = torch.tensor(0.0)
        if param.dim() > 1:  # factored: one value per row, one per column
            state["row_var"] = param.new_zeros(*param.shape[:-1], 1)
            state["col_var"] = param.new_zeros(*param.shape[:-2], 1, param.shape[-1])
        else:
            state["variance"] = torch.zeros_like(param)

    def update(self, group: dict[str, Any], param: torch.Tensor, grad: torch.Tensor, state: dict[str, Any]) -> None:
        """One step of [`adafactor_update`][lessonlib.optim.adafactor.adafactor_update], counting $t$."""
        eps1, eps2 = group["eps"]
        state["step"] += 1
        adafactor_update(
            param,
            grad,
            state.get("row_var"),
            state.get("col_var"),
            state.get("variance"),
            state["step"].item(),
            lr=float(group["lr"]),
            beta2_decay=group["beta2_decay"],
            eps1=torch.finfo(param.dtype).eps if eps1 is None else eps1,
            eps2=eps2,
            d=group["d"],
            weight_decay=group["weight_decay"],
            maximize=group["maximize"],
        )
