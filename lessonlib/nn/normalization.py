r"""Batch normalisation and layer normalisation, functions and modules.

Both subtract a mean and divide by a standard deviation, then rescale with
learned parameters $\gamma$ (`weight`) and $\beta$ (`bias`). They differ in
*which* numbers share a mean:

- **batch norm** averages each feature (channel) over the batch and every
  spatial position, so a sample's output depends on the rest of its batch; at
  evaluation it uses running averages collected during training instead;
- **layer norm** averages each sample over its last few dimensions, so it
  behaves the same in training and evaluation.

The functions and modules keep the names, signatures, state-dict keys and
training/evaluation behaviour of `torch.nn.functional.batch_norm`,
`layer_norm`, `torch.nn.BatchNorm1d`, `BatchNorm2d` and `LayerNorm`.
"""

import numbers
from typing import Any

import torch
from torch import nn

from lessonlib._checks import check_integer, check_real

__all__ = ["BatchNorm1d", "BatchNorm2d", "LayerNorm", "batch_norm", "layer_norm"]


def _register_affine(
    module: nn.Module, shape: tuple[int, ...], affine: bool, bias: bool, factory: dict[str, Any]
) -> None:
    """Give ``module`` gamma (``weight``, ones) and beta (``bias``, zeros), or ``None`` for each it does not learn."""
    gamma = nn.Parameter(torch.ones(shape, **factory)) if affine else None
    beta = nn.Parameter(torch.zeros(shape, **factory)) if affine and bias else None
    module.register_parameter("weight", gamma)
    module.register_parameter("bias", beta)


def _reset_affine(weight: torch.Tensor | None, bias: torch.Tensor | None) -> None:
    """Set gamma = 1 and beta = 0, for each that is learned."""
    if weight is not None:
        nn.init.ones_(weight)
    if bias is not None:
        nn.init.zeros_(bias)


def batch_norm(
    input: torch.Tensor,
    running_mean: torch.Tensor | None,
    running_var: torch.Tensor | None,
    weight: torch.Tensor | None = None,
    bias: torch.Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> torch.Tensor:
    r"""Batch normalisation of an $(N, C, \dots)$ tensor, feature by feature.

    Notation: for one feature (channel) $c$, $x_j$ runs over its $n_B$ values in
    the batch ($n_B = N$ times the number of spatial positions); $\mu_B$ and
    $\sigma_B^2$ are their mean and biased variance; $\hat\mu$, $\hat\sigma^2$
    the running estimates; $\rho$ the momentum; $\gamma$, $\beta$ the affine
    parameters; $\epsilon$ a small constant.

    $$
    \mu_B = \frac{1}{n_B}\sum_j x_j, \qquad
    \sigma_B^2 = \frac{1}{n_B}\sum_j (x_j - \mu_B)^2, \qquad
    y_j = \gamma\,\frac{x_j - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta
    $$

    In training, $(\mu, \sigma^2) = (\mu_B, \sigma_B^2)$ and, if running
    estimates are given, they are updated in place with the *unbiased*
    variance:

    $$
    \hat\mu \leftarrow (1 - \rho)\,\hat\mu + \rho\,\mu_B, \qquad
    \hat\sigma^2 \leftarrow (1 - \rho)\,\hat\sigma^2 + \rho\,\frac{n_B}{n_B - 1}\,\sigma_B^2
    $$

    In evaluation, $(\mu, \sigma^2) = (\hat\mu, \hat\sigma^2)$.

    Args:
        input: a tensor of shape $(N, C)$ or $(N, C, d_1, \dots)$.
        running_mean: $\hat\mu$, shape $(C,)$, updated in place when
            training; may be `None` when training.
        running_var: $\hat\sigma^2$, shape $(C,)$, likewise.
        weight: $\gamma$, shape $(C,)$, or `None` for 1.
        bias: $\beta$, shape $(C,)$, or `None` for 0.
        training: use batch statistics (and update the running ones).
        momentum: $\rho$, the weight of the newest batch.
        eps: $\epsilon$, added to the variance.

    Returns:
        The normalised tensor, the shape of `input`.

    Raises:
        ValueError: a feature has only one value while training, the running
            statistics are missing in evaluation, or a shape is wrong.

    Examples:
        >>> x = torch.tensor([[1.0, 10.0], [3.0, 30.0]])
        >>> mean, var = torch.zeros(2), torch.ones(2)
        >>> batch_norm(x, mean, var, training=True)
        tensor([[-1.0000, -1.0000],
                [ 1.0000,  1.0000]])
        >>> mean, var
        (tensor([0.2000, 2.0000]), tensor([ 1.1000, 20.9000]))

    References:
        Sergey Ioffe and Christian Szegedy, "Batch Normalization: Accelerating
        Deep Network Training by Reducing Internal Covariate Shift", 2015.
        https://arxiv.org/abs/1502.03167

        Shibani Santurkar, Dimitris Tsipras, Andrew Ilyas and Aleksander Madry,
        "How Does Batch Normalization Help Optimization?", 2018.
        https://arxiv.org/abs/1805.11604

    Note:
        PyTorch's momentum $\rho$ weighs the *new* batch; Keras's `momentum`
        is the weight of the old average, $1 - \rho$. The paper's Algorithm 2
        computes the population statistics after training, by averaging the
        statistics of many mini-batches; its section 3.1 suggests moving
        averages instead, to track the model while it trains. The exponential
        moving average with momentum $\rho$ is the frameworks' form of that.
    """
    if input.dim() < 2:
        raise ValueError(f"Invalid input shape: {tuple(input.shape)} (must be (N, C, ...))")
    num_features = input.shape[1]
    named = {
        "running_mean": running_mean,
        "running_var": running_var,
        "weight": weight,
        "bias": bias,
    }
    for name, tensor in named.items():
        if tensor is not None and tensor.shape != (num_features,):
            raise ValueError(f"Invalid {name} shape: {tuple(tensor.shape)} (must be ({num_features},))")
    dims = [0] + list(range(2, input.dim()))  # every dimension but the feature one
    stat_shape = [1, num_features] + [1] * (input.dim() - 2)  # (C,) -> broadcastable
    if training:
        n = input.numel() // num_features
        if n <= 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {list(input.shape)}"
            )
        mean = input.mean(dim=dims)
        var = ((input - mean.reshape(stat_shape)) ** 2).mean(dim=dims)  # biased: divide by n_B
        if running_mean is not None and running_var is not None:
            with torch.no_grad():
                running_mean.mul_(1 - momentum).add_(momentum * mean)
                running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))
    else:
        if running_mean is None or running_var is None:
            raise ValueError("Invalid running_mean/running_var: None (must be given when training=False)")
        mean, var = running_mean, running_var
    y = (input - mean.reshape(stat_shape)) / torch.sqrt(var.reshape(stat_shape) + eps)
    if weight is not None:
        y = y * weight.reshape(stat_shape)
    if bias is not None:
        y = y + bias.reshape(stat_shape)
    return y


def layer_norm(
    input: torch.Tensor,
    normalized_shape: list[int] | tuple[int, ...],
    weight: torch.Tensor | None = None,
    bias: torch.Tensor | None = None,
    eps: float = 1e-5,
) -> torch.Tensor:
    r"""Layer normalisation: normalise each sample over its last dimensions.

    Notation: for one sample, $x_k$ runs over the $K$ entries of its last
    `len(normalized_shape)` dimensions; $\mu$ and $\sigma^2$ are their mean
    and biased variance; $\gamma$, $\beta$ the element-wise affine
    parameters (shape `normalized_shape`); $\epsilon$ a small constant.

    $$
    \mu = \frac{1}{K}\sum_k x_k, \qquad
    \sigma^2 = \frac{1}{K}\sum_k (x_k - \mu)^2, \qquad
    y_k = \gamma_k\,\frac{x_k - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta_k
    $$

    The same computation in training and evaluation: no running statistics.

    Args:
        input: a tensor whose trailing dimensions equal `normalized_shape`.
        normalized_shape: the trailing shape to normalise over.
        weight: $\gamma$, of shape `normalized_shape`, or `None` for 1.
        bias: $\beta$, of shape `normalized_shape`, or `None` for 0.
        eps: $\epsilon$, added to the variance.

    Returns:
        The normalised tensor, the shape of `input`.

    Raises:
        ValueError: the trailing dimensions of `input` are not
            `normalized_shape`.

    Examples:
        >>> layer_norm(torch.tensor([[1.0, 2.0, 3.0], [10.0, 10.0, 40.0]]), (3,))
        tensor([[-1.2247,  0.0000,  1.2247],
                [-0.7071, -0.7071,  1.4142]])

    References:
        Jimmy Lei Ba, Jamie Ryan Kiros and Geoffrey E. Hinton, "Layer
        Normalization", 2016. https://arxiv.org/abs/1607.06450
    """
    normalized_shape = tuple(normalized_shape)
    k = len(normalized_shape)
    if k == 0 or tuple(input.shape[-k:]) != normalized_shape:
        raise ValueError(
            f"Invalid normalized_shape value: {normalized_shape} (must be the input's trailing dimensions, "
            f"{tuple(input.shape[-k:]) if k else ()})"
        )
    dims = tuple(range(-k, 0))
    mean = input.mean(dim=dims, keepdim=True)
    var = ((input - mean) ** 2).mean(dim=dims, keepdim=True)  # biased: divide by K
    y = (input - mean) / torch.sqrt(var + eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


class _BatchNorm(nn.Module):
    """What BatchNorm1d and BatchNorm2d share; they differ only in the input shapes they accept."""

    weight: nn.Parameter | None
    bias: nn.Parameter | None
    running_mean: torch.Tensor | None
    running_var: torch.Tensor | None
    num_batches_tracked: torch.Tensor | None

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
        *,
        bias: bool = True,
    ) -> None:
        check_integer("num_features", num_features, minimum=1)
        check_real("eps", eps, at_least=0)
        if momentum is not None:
            check_real("momentum", momentum, at_least=0, at_most=1)
        super().__init__()
        factory: dict[str, Any] = {"device": device, "dtype": dtype}
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        _register_affine(self, (num_features,), affine, bias, factory)
        if track_running_stats:
            self.register_buffer("running_mean", torch.zeros(num_features, **factory))
            self.register_buffer("running_var", torch.ones(num_features, **factory))
            self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long, device=device))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batches seen."""
        if self.running_mean is not None and self.running_var is not None and self.num_batches_tracked is not None:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """Reset the running statistics and set gamma = 1, beta = 0."""
        self.reset_running_stats()
        _reset_affine(self.weight, self.bias)

    def _check_input_dim(self, input: torch.Tensor) -> None:
        raise NotImplementedError

    def forward(self, input: torch.Tensor) -> torch.Tensor:
        self._check_input_dim(input)
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # cumulative average: the t-th batch gets weight 1/t
                momentum = 1.0 / float(self.num_batches_tracked)
        # Batch statistics in training, and in evaluation when none were tracked.
        use_batch_stats = self.training or self.running_mean is None
        # Pass the buffers to be read (evaluation) or updated (training, if tracked).
        pass_running = not self.training or self.track_running_stats
        return batch_norm(
            input,
            self.running_mean if pass_running else None,
            self.running_var if pass_running else None,
            self.weight,
            self.bias,
            training=use_batch_stats,
            momentum=momentum,
            eps=self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    r"""Batch normalisation over a $(N, C)$ or $(N, C, L)$ input, as `torch.nn.BatchNorm1d`.

    Training mode normalises with the batch's mean and biased variance per
    feature and updates `running_mean` and `running_var` (with the unbiased
    variance) by momentum, counting `num_batches_tracked`; evaluation mode
    normalises with the running statistics. See `batch_norm` for the
    formulas.

    Args:
        num_features: $C$.
        eps: $\epsilon$, added to the variance.
        momentum: $\rho$, the weight of the newest batch in the running
            averages; `None` for a cumulative average ($\rho_t = 1/t$).
        affine: learn $\gamma$ (`weight`, initially 1) and $\beta$ (`bias`,
            initially 0).
        track_running_stats: keep running statistics; if `False`, batch
            statistics are used in evaluation as well.
        device: where to create the parameters and buffers.
        dtype: their floating-point type.
        bias: learn $\beta$ (only with `affine`).

    Examples:
        >>> bn = BatchNorm1d(2)
        >>> y = bn(torch.tensor([[1.0, 10.0], [3.0, 30.0]]))
        >>> bn.running_mean, bn.running_var, bn.num_batches_tracked
        (tensor([0.2000, 2.0000]), tensor([ 1.1000, 20.9000]), tensor(1))
        >>> bn.eval()(torch.tensor([[0.2, 2.0]]))
        tensor([[0., 0.]], grad_fn=<AddBackward0>)

    References:
        Sergey Ioffe and Christian Szegedy, "Batch Normalization: Accelerating
        Deep Network Training by Reducing Internal Covariate Shift", 2015.
        https://arxiv.org/abs/1502.03167
    """

    def _check_input_dim(self, input: torch.Tensor) -> None:
        if input.dim() not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")


class BatchNorm2d(_BatchNorm):
    r"""Batch normalisation over a $(N, C, H, W)$ input, as `torch.nn.BatchNorm2d`.

    Each channel is normalised over the batch and all $H \times W$
    positions, so $n_B = N H W$ in the formulas of `batch_norm`. Arguments and
    behaviour as `BatchNorm1d`.

    Examples:
        >>> bn = BatchNorm2d(3)
        >>> bn(torch.randn(4, 3, 5, 5)).shape
        torch.Size([4, 3, 5, 5])
        >>> bn.running_mean.shape
        torch.Size([3])

    References:
        Sergey Ioffe and Christian Szegedy, "Batch Normalization: Accelerating
        Deep Network Training by Reducing Internal Covariate Shift", 2015.
        https://arxiv.org/abs/1502.03167
    """

    def _check_input_dim(self, input: torch.Tensor) -> None:
        if input.dim() != 4:
            raise ValueError(f"expected 4D input (got {input.dim()}D input)")


class LayerNorm(nn.Module):
    r"""Layer normalisation over the trailing `normalized_shape`, as `torch.nn.LayerNorm`.

    See `layer_norm` for the formula; the same in training and evaluation.

    Args:
        normalized_shape: an int or a tuple, the trailing dimensions to
            normalise over.
        eps: $\epsilon$, added to the variance.
        elementwise_affine: learn $\gamma$ (`weight`, initially 1) and
            $\beta$ (`bias`, initially 0), each of shape `normalized_shape`.
        bias: learn $\beta$ (only with `elementwise_affine`).
        device: where to create the parameters.
        dtype: their floating-point type.

    Examples:
        >>> ln = LayerNorm(3)
        >>> ln(torch.tensor([[1.0, 2.0, 3.0]]))
        tensor([[-1.2247,  0.0000,  1.2247]], grad_fn=<AddBackward0>)

    References:
        Jimmy Lei Ba, Jamie Ryan Kiros and Geoffrey E. Hinton, "Layer
        Normalization", 2016. https://arxiv.org/abs/1607.06450
    """

    weight: nn.Parameter | None
    bias: nn.Parameter | None

    def __init__(
        self,
        normalized_shape: int | list[int] | tuple[int, ...] | torch.Size,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        shape = (normalized_shape,) if isinstance(normalized_shape, int | numbers.Integral) else tuple(normalized_shape)
        if not shape:
            raise ValueError("Invalid normalized_shape value: () (must hold at least one dimension)")
        for size in shape:
            check_integer("normalized_shape", size, minimum=1)
        check_real("eps", eps, at_least=0)
        super().__init__()
        factory: dict[str, Any] = {"device": device, "dtype": dtype}
        self.normalized_shape = tuple(int(size) for size in shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _register_affine(self, self.normalized_shape, elementwise_affine, bias, factory)

    def reset_parameters(self) -> None:
        """Set gamma = 1 and beta = 0."""
        _reset_affine(self.weight, self.bias)

    def forward(self, input: torch.Tensor) -> torch.Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )
