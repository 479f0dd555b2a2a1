r"""Dropout: randomly zero activations while training.

Two ways to keep the expected activation the same in training and at test
time, for a unit kept with probability $1 - p$:

- **inverted dropout** (what lessonlib and PyTorch implement by default, in
  `dropout` and `Dropout`): scale the kept units by $1/(1 - p)$ while
  training, do nothing at test time;
- **classic dropout** (the original paper, in `classic_dropout`): leave the
  kept units alone while training, multiply by $1 - p$ at test time.

Both give $\mathbb{E}[\text{train output}] = \text{test output}$; inverted
dropout makes the trained network usable without any change at inference.
"""

import torch
from torch import nn

from lessonlib._checks import check_real

__all__ = ["Dropout", "classic_dropout", "dropout"]


def _check_p(p: float) -> None:
    check_real("p", p, at_least=0, below=1)


def _keep_mask(input: torch.Tensor, p: float, generator: torch.Generator | None) -> torch.Tensor:
    """A 0/1 mask, 1 with probability 1 - p, of the input's shape, dtype and device."""
    u = torch.rand(input.shape, generator=generator, device=input.device, dtype=input.dtype)
    return (u >= p).to(input.dtype)  # u is uniform on [0, 1): P(u >= p) = 1 - p


def dropout(
    input: torch.Tensor,
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
    *,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    r"""Inverted dropout: zero each entry with probability $p$, scale the rest by $1/(1-p)$.

    Notation: $x$ an entry of `input`, $r \sim \operatorname{Bernoulli}(1 - p)$
    an independent keep decision per entry.

    $$
    \text{training: } y = \frac{r\,x}{1 - p}, \qquad
    \text{evaluation: } y = x, \qquad
    \mathbb{E}[y] = x \text{ in both}
    $$

    Args:
        input: a floating-point tensor.
        p: the probability of zeroing an entry, $0 \le p < 1$.
        training: apply dropout; if `False`, return `input` unchanged.
        inplace: write the result into `input`.
        generator: the random generator to draw the mask from (for
            reproducible masks); `None` for PyTorch's global one.

    Returns:
        $r\,x / (1 - p)$, of the shape of `input`, while training; `input`
            itself otherwise (and when $p = 0$).

    Raises:
        TypeError: `p` is not a real number.
        ValueError: `p` is outside $[0, 1)$.

    Examples:
        >>> g = torch.Generator().manual_seed(0)
        >>> dropout(torch.ones(8), p=0.5, generator=g)
        tensor([0., 2., 0., 0., 0., 2., 0., 2.])
        >>> dropout(torch.ones(3), p=0.5, training=False)
        tensor([1., 1., 1.])

    References:
        Nitish Srivastava, Geoffrey Hinton, Alex Krizhevsky, Ilya Sutskever and
        Ruslan Salakhutdinov, "Dropout: A Simple Way to Prevent Neural Networks
        from Overfitting", JMLR 2014. https://jmlr.org/papers/v15/srivastava14a.html

    Note:
        PyTorch allows $p = 1$ (every entry zeroed); lessonlib rejects it,
        since a layer that always outputs zeros is almost surely a mistake.
        `torch.nn.functional.dropout` takes no `generator`; with the same
        seed the two draw different masks.
    """
    _check_p(p)
    if not training or p == 0.0:
        return input
    r = _keep_mask(input, p, generator)
    scale = 1.0 / (1.0 - p)
    if inplace:
        return input.mul_(r).mul_(scale)
    return input * r * scale


def classic_dropout(
    input: torch.Tensor,
    p: float = 0.5,
    training: bool = True,
    *,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    r"""Classic dropout, as in the paper: no scaling in training, $\times(1-p)$ at test time.

    Notation: as in `dropout`.

    $$
    \text{training: } y = r\,x, \qquad
    \text{evaluation: } y = (1 - p)\,x, \qquad
    \mathbb{E}[y] = (1 - p)\,x \text{ in both}
    $$

    Args:
        input: a floating-point tensor.
        p: the probability of zeroing an entry, $0 \le p < 1$.
        training: drop entries; if `False`, scale every entry by $1 - p$.
        generator: the random generator to draw the mask from.

    Returns:
        $r\,x$ while training, $(1 - p)\,x$ otherwise, of the shape of `input`.

    Raises:
        TypeError: `p` is not a real number.
        ValueError: `p` is outside $[0, 1)$.

    Examples:
        >>> classic_dropout(torch.ones(3), p=0.5, training=False)  # the test-time scaling
        tensor([0.5000, 0.5000, 0.5000])
        >>> g = torch.Generator().manual_seed(0)
        >>> classic_dropout(torch.ones(8), p=0.5, generator=g)
        tensor([0., 1., 0., 0., 0., 1., 0., 1.])

    References:
        Nitish Srivastava et al., "Dropout: A Simple Way to Prevent Neural
        Networks from Overfitting", JMLR 2014.
        https://jmlr.org/papers/v15/srivastava14a.html

    Note:
        Here for comparison in the chapter; lessonlib's `dropout` and
        `Dropout` are the inverted form. The paper's $p$ is the probability of
        *keeping* a unit, so its test-time factor $p$ is our $1 - p$.
    """
    _check_p(p)
    if not training:
        return input * (1.0 - p)
    if p == 0.0:
        return input
    return input * _keep_mask(input, p, generator)


class Dropout(nn.Module):
    r"""Inverted dropout as a module, as `torch.nn.Dropout`: on in `train()`, identity in `eval()`.

    See `dropout` for the formula.

    Args:
        p: the probability of zeroing an entry, $0 \le p < 1$.
        inplace: write the result into the input.

    Raises:
        TypeError: `p` is not a real number.
        ValueError: `p` is outside $[0, 1)$.

    Examples:
        >>> torch.manual_seed(0)
        <torch._C.Generator object at ...>
        >>> drop = Dropout(p=0.25)
        >>> drop(torch.ones(6))
        tensor([1.3333, 1.3333, 0.0000, 0.0000, 1.3333, 1.3333])
        >>> drop.eval()(torch.ones(3))
        tensor([1., 1., 1.])

    References:
        Nitish Srivastava et al., "Dropout: A Simple Way to Prevent Neural
        Networks from Overfitting", JMLR 2014.
        https://jmlr.org/papers/v15/srivastava14a.html
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        _check_p(p)
        super().__init__()
        self.p = p
        self.inplace = inplace

    def forward(self, input: torch.Tensor) -> torch.Tensor:
        return dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
