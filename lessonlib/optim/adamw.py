"""AdamW: Adam with weight decay taken out of the gradient and applied to θ directly."""

from collections.abc import Iterable

import torch

from lessonlib.optim.adam import Adam


class AdamW(Adam):
    r"""Adam with decoupled weight decay, as `torch.optim.AdamW`.

    Notation as in [`Adam`][lessonlib.optim.Adam]: $\theta$ the parameters,
    $g_t = \nabla L(\theta_{t-1})$, $\alpha$ the learning rate, $\lambda$ the
    weight decay, $t = 1, 2, \dots$ the step count. Adam's first line, the L2
    term $g_t \leftarrow g_t + \lambda \theta_{t-1}$, is replaced by

    $$
    \theta_{t-1} \leftarrow (1 - \alpha\lambda)\, \theta_{t-1} ,
    $$

    and the rest of Adam's equations follow unchanged: the moments $m_t$ and
    $v_t$, their bias corrections, and
    $\theta_t = \theta_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)$.

    The class is `Adam(..., decoupled_weight_decay=True)` with a default
    $\lambda$ of 1e-2; the update is [`adam_update`][lessonlib.optim.adam.adam_update].

    Args:
        params: an iterable of tensors, or of dicts defining parameter groups.
        lr: the learning rate $\alpha$ (default 1e-3).
        betas: $(\beta_1, \beta_2)$ (default (0.9, 0.999)).
        eps: $\epsilon$ (default 1e-8).
        weight_decay: $\lambda$ (default 1e-2).
        amsgrad: use AMSGrad's running maximum of $v_t$ (default False).
        maximize: ascend the objective instead of descending it (default False).

    Examples:
        >>> theta = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = AdamW([theta], lr=0.1, weight_decay=0.5)
        >>> (theta**2).sum().backward()
        >>> opt.step()
        >>> theta.detach()  # (1 - 0.05)·θ, then about α against the gradient's sign
        tensor([ 0.8500, -1.8000])

    References:
        - I. Loshchilov, F. Hutter, "Decoupled Weight Decay Regularization", 2019.
          <https://arxiv.org/abs/1711.05101>

    Note:
        With Adam's L2 decay, $\lambda\theta$ joins the gradient and is divided
        by $\sqrt{\hat v_t} + \epsilon$, so weights with large gradients are
        barely decayed. Decoupled decay shrinks every weight by the same factor
        $1 - \alpha\lambda$. PyTorch multiplies $\lambda$ by the learning rate
        $\alpha$ (so a schedule on $\alpha$ also scales the decay); the paper
        writes a separate schedule multiplier $\eta_t$ and an unscaled $\lambda$.
    """

    def __init__(
        self,
        params: Iterable[torch.Tensor] | Iterable[dict],
        lr: float | torch.Tensor = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            maximize=maximize,
            decoupled_weight_decay=True,
        )
