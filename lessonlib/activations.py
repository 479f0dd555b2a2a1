r"""Activation functions, written the way the chapter derives them.

Each function has the name, signature and meaning of its namesake in
`torch.nn.functional`, so a reader can swap one for the other; the tests do
exactly that. Every one is element-wise except `softmax` and `log_softmax`,
which act along one dimension.

Two habits keep them finite for large inputs:

- exponentials are only ever taken of non-positive numbers
  ($e^{-|x|} \le 1$ never overflows), choosing between two algebraically equal
  forms by the sign of $x$;
- `softmax` and `log_softmax` subtract the row maximum first (the
  log-sum-exp trick), which changes nothing mathematically.

Where a formula has two branches, both are computed on inputs where they are
finite and `torch.where` picks one, so no `inf` or `nan` leaks into the
gradient of the branch that was not chosen.
"""

import math

import torch

from lessonlib._checks import check_choice

__all__ = ["gelu", "log_softmax", "relu", "sigmoid", "softmax", "tanh"]


def relu(input: torch.Tensor) -> torch.Tensor:
    r"""Rectified linear unit, $\max(0, x)$ element-wise.

    Notation: $x$ is one element of `input`.

    $$
    \operatorname{ReLU}(x) = \max(0, x), \qquad
    \operatorname{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}
    $$

    Args:
        input: any tensor.

    Returns:
        A tensor of the same shape: negative entries replaced by 0.

    Examples:
        >>> relu(torch.tensor([-2.0, 0.0, 3.0]))
        tensor([0., 0., 3.])

    Note:
        The derivative at $x = 0$ is taken to be 0, as in PyTorch. A NaN input
        stays NaN. Unlike `torch.nn.functional.relu` there is no `inplace`
        argument.
    """
    return torch.where(input <= 0, torch.zeros_like(input), input)


def sigmoid(input: torch.Tensor) -> torch.Tensor:
    r"""Logistic sigmoid, computed without overflow for any finite input.

    Notation: $x$ is one element of `input`.

    $$
    \sigma(x) = \frac{1}{1 + e^{-x}} = \frac{e^{x}}{1 + e^{x}}
    $$

    The first form is used for $x \ge 0$ and the second for $x < 0$, so the
    only exponential taken is $e^{-|x|} \le 1$. The derivative is
    $\sigma'(x) = \sigma(x)\,(1 - \sigma(x))$.

    Args:
        input: a floating-point tensor.

    Returns:
        A tensor of the same shape with values in $[0, 1]$.

    Examples:
        >>> sigmoid(torch.tensor([-1000.0, 0.0, 1000.0]))
        tensor([0.0000, 0.5000, 1.0000])
    """
    positive = input >= 0
    abs_x = torch.where(positive, input, -input)  # |x|, differentiable on each side
    e = torch.exp(-abs_x)  # e^{-|x|}, in (0, 1]
    return torch.where(positive, 1 / (1 + e), e / (1 + e))


def tanh(input: torch.Tensor) -> torch.Tensor:
    r"""Hyperbolic tangent, computed without overflow for any finite input.

    Notation: $x$ is one element of `input`.

    $$
    \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}
             = \operatorname{sign}(x)\,\frac{1 - e^{-2|x|}}{1 + e^{-2|x|}}
    $$

    The second form takes only $e^{-2|x|} \le 1$; its numerator is computed as
    $-\operatorname{expm1}(-2|x|)$ so that small $x$ keep full relative
    precision. The derivative is $1 - \tanh^2(x)$. Note also
    $\tanh(x) = 2\sigma(2x) - 1$.

    Args:
        input: a floating-point tensor.

    Returns:
        A tensor of the same shape with values in $[-1, 1]$.

    Examples:
        >>> tanh(torch.tensor([-1000.0, 0.0, 0.5]))
        tensor([-1.0000,  0.0000,  0.4621])
    """
    positive = input >= 0
    abs_x = torch.where(positive, input, -input)
    t = -torch.expm1(-2 * abs_x) / (1 + torch.exp(-2 * abs_x))  # tanh(|x|)
    return torch.where(positive, t, -t)


def softmax(input: torch.Tensor, dim: int, dtype: torch.dtype | None = None) -> torch.Tensor:
    r"""Softmax along `dim`: exponentiate, then normalise to sum to 1.

    Notation: $x_i$ are the entries of one slice of `input` along `dim`,
    $m = \max_j x_j$.

    $$
    \operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}
                                = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}}
    $$

    Subtracting $m$ changes nothing mathematically; it makes the largest
    exponent $e^0 = 1$, so nothing overflows.

    Args:
        input: a floating-point tensor.
        dim: the dimension whose slices sum to 1 (required, unlike PyTorch's
            deprecated implicit choice).
        dtype: if given, `input` is cast to it first (as in PyTorch).

    Returns:
        A tensor of the same shape; every slice along `dim` sums to 1.

    Examples:
        >>> softmax(torch.tensor([1000.0, 0.0]), dim=0)
        tensor([1., 0.])
        >>> softmax(torch.tensor([[1.0, 2.0, 3.0]]), dim=1)
        tensor([[0.0900, 0.2447, 0.6652]])
    """
    if dtype is not None:
        input = input.to(dtype)
    m = input.amax(dim=dim, keepdim=True).detach()  # a constant shift: no gradient needed
    e = torch.exp(input - m)
    return e / e.sum(dim=dim, keepdim=True)


def log_softmax(input: torch.Tensor, dim: int, dtype: torch.dtype | None = None) -> torch.Tensor:
    r"""Logarithm of the softmax along `dim`, via the log-sum-exp trick.

    Notation: $x_i$ are the entries of one slice of `input` along `dim`,
    $m = \max_j x_j$.

    $$
    \log \operatorname{softmax}(x)_i = x_i - \log \sum_j e^{x_j}
                                     = (x_i - m) - \log \sum_j e^{x_j - m}
    $$

    The sum contains the term $e^0 = 1$, so its logarithm is finite and
    non-negative: the result is never $-\infty$ for finite inputs whose
    differences are representable (taking the log of `softmax` instead would
    give $\log 0 = -\infty$ as soon as a probability underflows).

    Args:
        input: a floating-point tensor.
        dim: the dimension along which to normalise.
        dtype: if given, `input` is cast to it first (as in PyTorch).

    Returns:
        A tensor of the same shape of log-probabilities ($\le 0$).

    Examples:
        >>> log_softmax(torch.tensor([10000.0, 0.0]), dim=0)
        tensor([     0., -10000.])
    """
    if dtype is not None:
        input = input.to(dtype)
    m = input.amax(dim=dim, keepdim=True).detach()
    shifted = input - m
    return shifted - torch.log(torch.exp(shifted).sum(dim=dim, keepdim=True))


_GELU_APPROXIMATIONS = ("none", "tanh")


def gelu(input: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    r"""Gaussian error linear unit: $x$ weighted by the standard normal CDF.

    Notation: $x$ is one element of `input`; $\Phi$ is the standard normal
    cumulative distribution function.

    $$
    \operatorname{GELU}(x) = x\,\Phi(x)
        = \frac{x}{2}\left(1 + \operatorname{erf}\!\left(\frac{x}{\sqrt{2}}\right)\right)
    $$

    With `approximate='tanh'`, the approximation of Hendrycks and Gimpel:

    $$
    \operatorname{GELU}(x) \approx \frac{x}{2}\left(1 + \tanh\!\left(
        \sqrt{2/\pi}\,\left(x + 0.044715\,x^3\right)\right)\right)
    $$

    Args:
        input: a floating-point tensor.
        approximate: `'none'` for the exact erf form, `'tanh'` for the
            approximation.

    Returns:
        A tensor of the same shape.

    Raises:
        ValueError: `approximate` is neither `'none'` nor `'tanh'`.

    Examples:
        >>> gelu(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.1587,  0.0000,  0.8413])
        >>> gelu(torch.tensor([-1.0, 0.0, 1.0]), approximate="tanh")
        tensor([-0.1588,  0.0000,  0.8412])

    References:
        Dan Hendrycks and Kevin Gimpel, "Gaussian Error Linear Units (GELUs)",
        2016. https://arxiv.org/abs/1606.08415
    """
    check_choice("approximate", approximate, _GELU_APPROXIMATIONS)
    if approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (input + 0.044715 * input**3)
        return 0.5 * input * (1 + tanh(inner))
    return 0.5 * input * (1 + torch.erf(input / math.sqrt(2)))
