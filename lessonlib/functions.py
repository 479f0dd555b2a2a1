r"""Test functions for optimisation: loss landscapes with known minima.

Each function takes a tensor whose **last dimension** holds the coordinates
(one coordinate for the quartic, two for the others), so it evaluates one
point or a whole grid of points at once. Each comes with its gradient written
out by hand, which the tests check against autograd.

| function | formula | minima |
| --- | --- | --- |
| `quadratic(kappa)` | $\tfrac12(w_1^2 + \kappa w_2^2)$ | $(0, 0)$ |
| `rosenbrock` | $(1 - x)^2 + 100(y - x^2)^2$ | $(1, 1)$ |
| `beale` | $(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2$ | $(3, 0.5)$ |
| `himmelblau` | $(x^2 + y - 11)^2 + (x + y^2 - 7)^2$ | four, e.g. $(3, 2)$ |
| `saddle` | $x^2 - y^2$ | none: a saddle at $(0, 0)$ |
| `quartic` | $w^4 - 3w^3 + 2$ | $w = 9/4$ (and a flat point at $0$) |

Examples:
    >>> rosenbrock(torch.tensor([1.0, 1.0])), rosenbrock.grad(torch.tensor([0.0, 0.0]))
    (tensor(0.), tensor([-2.,  0.]))
    >>> beale(torch.tensor([3.0, 0.5])), himmelblau(torch.tensor([3.0, 2.0]))
    (tensor(0.), tensor(0.))
    >>> saddle(torch.tensor([[1.0, 0.0], [0.0, 1.0]]))  # two points at once
    tensor([ 1., -1.])
    >>> quartic.grad(torch.tensor([-1.5]))
    tensor([-33.7500])

References:
    Rosenbrock, H. H. (1960). "An automatic method for finding the greatest or
    least value of a function." *The Computer Journal* 3(3).
    https://doi.org/10.1093/comjnl/3.3.175

    Himmelblau, D. M. (1972). *Applied Nonlinear Programming*. McGraw-Hill.
"""

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor

from lessonlib._checks import check_real, check_tensor


@dataclass(frozen=True)
class TestFunction:
    """A loss landscape: its value, its hand-written gradient and its minima.

    Attributes:
        name: a short name for plots and tables.
        f: the function; maps ``(..., d)`` to ``(...)``.
        grad: the gradient; maps ``(..., d)`` to ``(..., d)``.
        minima: the global minimisers, a tuple of coordinate tuples (empty
            when the function has no minimum, as for the saddle).
        min_value: the value at the minimisers (``None`` when unbounded).
    """

    __test__ = False  # not a pytest test class, despite its name

    name: str
    f: Callable[[Tensor], Tensor]
    grad: Callable[[Tensor], Tensor]
    minima: tuple[tuple[float, ...], ...]
    min_value: float | None

    def __call__(self, w: Tensor) -> Tensor:
        return self.f(w)


def _coords(w: Tensor, d: int, name: str) -> Tensor:
    """Check that ``w`` holds points of dimension ``d`` along its last dimension."""
    check_tensor("w", w)
    if w.shape[-1:] != (d,):
        raise ValueError(f"Invalid w shape: {tuple(w.shape)} (must be (..., {d}) for {name})")
    return w


def quadratic(kappa: float = 10.0) -> TestFunction:
    r"""The quadratic bowl $L(w) = \tfrac12(w_1^2 + \kappa w_2^2)$.

    Its Hessian is $\operatorname{diag}(1, \kappa)$, so $\kappa \ge 1$ is the
    condition number: the ratio of the steepest to the flattest curvature.
    Gradient descent is stable on it for $\alpha < 2/\kappa$.

    Args:
        kappa: the curvature along $w_2$ (and the condition number when
            $\kappa \ge 1$); must be positive.

    Returns:
        A `TestFunction` with minimum 0 at the origin.

    Raises:
        TypeError: ``kappa`` is not a real number.
        ValueError: ``kappa`` is not finite, or not $> 0$.

    Examples:
        >>> q = quadratic(kappa=10.0)
        >>> q(torch.tensor([1.0, 1.0]))
        tensor(5.5000)
        >>> q.grad(torch.tensor([1.0, 1.0]))
        tensor([ 1., 10.])
    """
    check_real("kappa", kappa, above=0)

    def f(w: Tensor) -> Tensor:
        w = _coords(w, 2, "quadratic")
        return 0.5 * (w[..., 0] ** 2 + kappa * w[..., 1] ** 2)

    def grad(w: Tensor) -> Tensor:
        w = _coords(w, 2, "quadratic")
        return torch.stack([w[..., 0], kappa * w[..., 1]], dim=-1)

    return TestFunction(f"quadratic (κ={kappa:g})", f, grad, ((0.0, 0.0),), 0.0)


def _rosenbrock(w: Tensor) -> Tensor:
    x, y = _coords(w, 2, "rosenbrock").unbind(-1)
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(w: Tensor) -> Tensor:
    x, y = _coords(w, 2, "rosenbrock").unbind(-1)
    dx = -2 * (1 - x) - 400 * x * (y - x**2)
    dy = 200 * (y - x**2)
    return torch.stack([dx, dy], dim=-1)


def _beale_terms(w: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor]:
    x, y = _coords(w, 2, "beale").unbind(-1)
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y**2
    c = 2.625 - x + x * y**3
    return x, y, a, b, c


def _beale(w: Tensor) -> Tensor:
    _, _, a, b, c = _beale_terms(w)
    return a**2 + b**2 + c**2


def _beale_grad(w: Tensor) -> Tensor:
    x, y, a, b, c = _beale_terms(w)
    dx = 2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1)
    dy = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y**2
    return torch.stack([dx, dy], dim=-1)


def _himmelblau(w: Tensor) -> Tensor:
    x, y = _coords(w, 2, "himmelblau").unbind(-1)
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmelblau_grad(w: Tensor) -> Tensor:
    x, y = _coords(w, 2, "himmelblau").unbind(-1)
    a = x**2 + y - 11
    b = x + y**2 - 7
    return torch.stack([4 * x * a + 2 * b, 2 * a + 4 * y * b], dim=-1)


def _saddle(w: Tensor) -> Tensor:
    x, y = _coords(w, 2, "saddle").unbind(-1)
    return x**2 - y**2


def _saddle_grad(w: Tensor) -> Tensor:
    x, y = _coords(w, 2, "saddle").unbind(-1)
    return torch.stack([2 * x, -2 * y], dim=-1)


def _quartic(w: Tensor) -> Tensor:
    (w,) = _coords(w, 1, "quartic").unbind(-1)
    return w**4 - 3 * w**3 + 2


def _quartic_grad(w: Tensor) -> Tensor:
    (w,) = _coords(w, 1, "quartic").unbind(-1)
    return (4 * w**3 - 9 * w**2).unsqueeze(-1)


rosenbrock = TestFunction("Rosenbrock", _rosenbrock, _rosenbrock_grad, ((1.0, 1.0),), 0.0)

beale = TestFunction("Beale", _beale, _beale_grad, ((3.0, 0.5),), 0.0)

himmelblau = TestFunction(
    "Himmelblau",
    _himmelblau,
    _himmelblau_grad,
    (
        (3.0, 2.0),
        (-2.805118086952745, 3.131312518250573),
        (-3.779310253377747, -3.283185991286170),
        (3.584428340330492, -1.848126526964404),
    ),
    0.0,
)

saddle = TestFunction("saddle", _saddle, _saddle_grad, (), None)

quartic = TestFunction("quartic", _quartic, _quartic_grad, ((2.25,),), 2.25**4 - 3 * 2.25**3 + 2)
