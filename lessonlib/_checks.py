r"""Argument checks shared by lessonlib: one check, and one wording, per kind of mistake.

Every public function of lessonlib checks its arguments with these, so the
same mistake reads the same everywhere:

| mistake | exception | message |
| --- | --- | --- |
| not an integer (a bool is not one) | `TypeError` | `Invalid {name}: {value!r} (must be an integer)` |
| not a real number (nor is a bool) | `TypeError` | `Invalid {name}: {value!r} (must be a real number)` |
| not a tensor, not callable, not an instance of a class | `TypeError` | `Invalid {name}: {value!r} (must be {what})` |
| a tensor of the wrong dtype | `TypeError` | `Invalid {name} dtype: {dtype} (must be {what})` |
| NaN or an infinity | `ValueError` | `Invalid {name} value: {value} (must be finite)` |
| a number out of range | `ValueError` | `Invalid {name} value: {value} (must be {rule})` |
| not one of a few options | `ValueError` | `Invalid {name} value: {value!r} (must be 'a', 'b' or 'c')` |
| a tensor of the wrong shape | `ValueError` | `Invalid {name} shape: {shape} (must be {rule})` |

(`{value!r}` is the value's repr, or `<type>` for an object or a long repr; a
number out of range is shown as `str` shows it.) A rule about shapes belongs
to one function, so it is written there, in the same words.

Three rules decide which is which. A wrong *type* is a `TypeError`, a wrong
*value* a `ValueError`. A `bool` is not a number: `True` passed as a count or
a rate is a `TypeError`, not a 1. NaN and $\pm\infty$ are numbers, so they
are wrong values, a `ValueError`, wherever a number is expected.

**The learning rate.** A learning rate is a real number (or a one-element
tensor), not a `bool`, finite and $\ge 0$. Zero is allowed, as in
`torch.optim`: a warm-up starts at 0, and a step of 0 is a legal step that
does nothing. Every function that takes a learning rate checks it with
`check_lr`, whose messages are `torch.optim`'s
(`Invalid learning rate: -0.1`). A learning rate that is the start of a
geometric sweep (`lr_range_test`'s `start_lr` and `end_lr`) must be $> 0$,
since the sweep takes its logarithm: that is a separate, documented rule.

The optimizers' four checks (`check_lr`, `check_non_negative`, `check_betas`,
`check_beta_types`) keep `torch.optim`'s words exactly, with no rule in
brackets, because their tests compare them with torch's own messages.
"""

import math
import numbers
from collections.abc import Collection
from typing import Any

import torch

_SHORT = 40  # a repr longer than this (or on several lines) is shown as its type's name
_PLAIN = (numbers.Number, str, bytes, list, tuple, dict, set, type(None))  # types whose repr is their value


def _shown(value: object) -> str:
    """The value as a message shows it: its repr, or ``<type>`` for an object or a long repr."""
    text = repr(value)
    if not isinstance(value, _PLAIN) or len(text) > _SHORT or "\n" in text:
        return f"<{type(value).__name__}>"
    return text


def check_lr(lr: float | torch.Tensor) -> None:
    """Refuse a learning rate that is not a finite real number >= 0, or a tensor lr with more than one element.

    Examples:
        >>> check_lr(-1.0)
        Traceback (most recent call last):
        ...
        ValueError: Invalid learning rate: -1.0
        >>> check_lr(float("inf"))
        Traceback (most recent call last):
        ...
        ValueError: Invalid learning rate: inf
        >>> check_lr("0.1")
        Traceback (most recent call last):
        ...
        TypeError: Invalid learning rate: '0.1' (must be a real number)
        >>> check_lr(0.0)  # a step of 0 is allowed, as in torch.optim
    """
    if isinstance(lr, torch.Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real | torch.Tensor):
        raise TypeError(f"Invalid learning rate: {_shown(lr)} (must be a real number)")
    if not 0.0 <= lr or math.isinf(lr):
        raise ValueError(f"Invalid learning rate: {lr}")


def check_non_negative(name: str, value: float) -> None:
    """Refuse a negative (or NaN) hyperparameter called ``name``.

    Examples:
        >>> check_non_negative("momentum", -0.5)
        Traceback (most recent call last):
        ...
        ValueError: Invalid momentum value: -0.5
    """
    if not 0.0 <= value:
        raise ValueError(f"Invalid {name} value: {value}")


def check_betas(betas: tuple[float | torch.Tensor, float | torch.Tensor]) -> None:
    """Refuse a beta outside $[0, 1)$, as ``torch.optim.Adam`` does.

    Examples:
        >>> check_betas((0.9, 1.0))
        Traceback (most recent call last):
        ...
        ValueError: Invalid beta parameter at index 1: 1.0
    """
    for index, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta}")


def check_beta_types(betas: tuple[float | torch.Tensor, float | torch.Tensor]) -> None:
    """Refuse a mix of float and tensor betas, and a tensor beta with more than one element.

    Examples:
        >>> check_beta_types((0, 0.999))
        Traceback (most recent call last):
        ...
        ValueError: betas must be either both floats or both Tensors
    """
    floats = all(isinstance(beta, float) for beta in betas)
    tensors = all(isinstance(beta, torch.Tensor) for beta in betas)
    if not (floats or tensors):
        raise ValueError("betas must be either both floats or both Tensors")
    for index, beta in enumerate(betas):
        if isinstance(beta, torch.Tensor) and beta.numel() != 1:
            raise ValueError(f"Tensor betas[{index}] must be 1-element")


def check_integer(name: str, value: object, *, minimum: int | None = None) -> int:
    """Return ``value`` as an ``int`` after checking it is an integer (not a bool), ``>= minimum`` if given.

    Examples:
        >>> check_integer("steps", 2.0)
        Traceback (most recent call last):
        ...
        TypeError: Invalid steps: 2.0 (must be an integer)
        >>> check_integer("steps", -1, minimum=0)
        Traceback (most recent call last):
        ...
        ValueError: Invalid steps value: -1 (must be >= 0)
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"Invalid {name}: {_shown(value)} (must be an integer)")
    if minimum is not None and value < minimum:
        raise ValueError(f"Invalid {name} value: {value} (must be >= {minimum})")
    return int(value)


def check_number(name: str, value: object) -> float:
    """Return ``value`` as a ``float`` after checking it is a real number (not a bool); NaN and infinities pass.

    Examples:
        >>> check_number("data", 1j)
        Traceback (most recent call last):
        ...
        TypeError: Invalid data: 1j (must be a real number)
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Invalid {name}: {_shown(value)} (must be a real number)")
    return float(value)


def check_real(
    name: str,
    value: object,
    *,
    at_least: float | None = None,
    above: float | None = None,
    at_most: float | None = None,
    below: float | None = None,
) -> float:
    """Return ``value`` as a ``float`` after checking it is a finite real number (not a bool) in range.

    The range is given by at most one lower bound (``at_least`` for >=,
    ``above`` for >) and at most one upper bound (``at_most`` for <=,
    ``below`` for <).

    Examples:
        >>> check_real("noise", True)
        Traceback (most recent call last):
        ...
        TypeError: Invalid noise: True (must be a real number)
        >>> check_real("noise", float("inf"), at_least=0)
        Traceback (most recent call last):
        ...
        ValueError: Invalid noise value: inf (must be finite)
        >>> check_real("p", 1.0, at_least=0, below=1)
        Traceback (most recent call last):
        ...
        ValueError: Invalid p value: 1.0 (must be in [0, 1))
    """
    number = check_number(name, value)
    if not math.isfinite(number):
        raise ValueError(f"Invalid {name} value: {value} (must be finite)")
    low, high = (at_least if above is None else above), (at_most if below is None else below)
    too_low = low is not None and (number <= low if above is not None else number < low)
    too_high = high is not None and (number >= high if below is not None else number > high)
    if too_low or too_high:
        raise ValueError(f"Invalid {name} value: {value} (must be {_interval(at_least, above, at_most, below)})")
    return number


def _interval(at_least: float | None, above: float | None, at_most: float | None, below: float | None) -> str:
    """The rule a range states, in the words of the messages: '>= 0', '> 0', 'in [0, 1)'."""
    low, high = (at_least if above is None else above), (at_most if below is None else below)
    if low is not None and high is not None:
        return f"in {'(' if above is not None else '['}{low:g}, {high:g}{')' if below is not None else ']'}"
    if low is not None:
        return f"{'>' if above is not None else '>='} {low:g}"
    return f"{'<' if below is not None else '<='} {high:g}"


def check_choice(name: str, value: object, choices: Collection[Any]) -> None:
    """Refuse a value that is not one of ``choices`` (an option such as ``reduction``), whatever its type.

    Examples:
        >>> check_choice("reduction", "average", ("mean", "sum", "none"))
        Traceback (most recent call last):
        ...
        ValueError: Invalid reduction value: 'average' (must be 'mean', 'sum' or 'none')
    """
    if value not in choices:
        raise ValueError(f"Invalid {name} value: {_shown(value)} (must be {_either(choices)})")


def _either(choices: Collection[Any]) -> str:
    """'a', 'b' or 'c'."""
    words = [repr(choice) for choice in choices]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def check_instance(name: str, value: object, cls: type | tuple[type, ...], what: str) -> None:
    """Refuse a value that is not an instance of ``cls``; ``what`` names the type in the message.

    Examples:
        >>> check_instance("optimizer", "sgd", torch.optim.Optimizer, "a torch.optim.Optimizer")
        Traceback (most recent call last):
        ...
        TypeError: Invalid optimizer: 'sgd' (must be a torch.optim.Optimizer)
    """
    if not isinstance(value, cls):
        raise TypeError(f"Invalid {name}: {_shown(value)} (must be {what})")


def check_callable(name: str, value: object) -> None:
    """Refuse a value that cannot be called.

    Examples:
        >>> check_callable("loss_fn", 3)
        Traceback (most recent call last):
        ...
        TypeError: Invalid loss_fn: 3 (must be callable)
    """
    if not callable(value):
        raise TypeError(f"Invalid {name}: {_shown(value)} (must be callable)")


def check_tensor(name: str, value: object, *, floating: bool = False) -> torch.Tensor:
    """Return ``value`` after checking it is a tensor (of a floating-point dtype if ``floating``).

    Examples:
        >>> check_tensor("w", [1.0])
        Traceback (most recent call last):
        ...
        TypeError: Invalid w: [1.0] (must be a torch.Tensor)
        >>> check_tensor("w", torch.tensor([1]), floating=True)
        Traceback (most recent call last):
        ...
        TypeError: Invalid w dtype: torch.int64 (must be floating point)
    """
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"Invalid {name}: {_shown(value)} (must be a torch.Tensor)")
    if floating and not value.is_floating_point():
        raise TypeError(f"Invalid {name} dtype: {value.dtype} (must be floating point)")
    return value


def check_ndim(name: str, tensor: torch.Tensor, ndim: int, layout: str) -> None:
    """Refuse a tensor that does not have ``ndim`` dimensions; ``layout`` names them, e.g. ``(m, n)``.

    Examples:
        >>> check_ndim("X", torch.zeros(5), 2, "(m, n)")
        Traceback (most recent call last):
        ...
        ValueError: Invalid X shape: (5,) (must be 2-D, (m, n))
    """
    if tensor.ndim != ndim:
        raise ValueError(f"Invalid {name} shape: {tuple(tensor.shape)} (must be {ndim}-D, {layout})")


def check_queries(estimator: object, fitted: str, X: object) -> torch.Tensor:
    """Refuse an estimator that is not fitted (it has no attribute ``fitted``) and queries that are not ``(q, n)``.

    ``n`` is the number of columns of the ``fitted`` matrix: the training data's.

    Examples:
        >>> class Estimator:
        ...     pass
        >>> check_queries(Estimator(), "X_", torch.zeros(3, 2))
        Traceback (most recent call last):
        ...
        ValueError: This Estimator is not fitted yet; call fit first
    """
    if not hasattr(estimator, fitted):
        raise ValueError(f"This {type(estimator).__name__} is not fitted yet; call fit first")
    n = getattr(estimator, fitted).shape[1]
    X = check_tensor("X", X)
    if X.ndim != 2 or X.shape[1] != n:
        raise ValueError(f"Invalid X shape: {tuple(X.shape)} (must be (q, {n}), like the training data)")
    return X


def check_seed_or_generator(seed: object, generator: object) -> None:
    """Refuse a seed that is not an integer, a generator that is not a ``torch.Generator``, and both at once.

    Examples:
        >>> check_seed_or_generator(1, torch.Generator())
        Traceback (most recent call last):
        ...
        ValueError: Invalid generator: given with seed=1 (must be None when a seed is given)
    """
    if seed is not None:
        check_integer("seed", seed)
    if generator is not None:
        check_instance("generator", generator, torch.Generator, "a torch.Generator or None")
    if seed is not None and generator is not None:
        raise ValueError(f"Invalid generator: given with seed={seed!r} (must be None when a seed is given)")
