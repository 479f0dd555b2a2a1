"""lessonlib.functions against autograd and the known minima."""

import pytest
import torch

from lessonlib import functions as F

ALL = [F.quadratic(1.0), F.quadratic(25.0), F.rosenbrock, F.beale, F.himmelblau, F.saddle, F.quartic]


def _points(fn, n=16):
    gen = torch.Generator().manual_seed(0)
    d = 1 if fn is F.quartic else 2
    return torch.rand(n, d, generator=gen, dtype=torch.float64) * 6 - 3


@pytest.mark.parametrize("fn", ALL, ids=lambda fn: fn.name)
def test_gradient_matches_autograd(fn):
    w = _points(fn).requires_grad_(True)
    (expected,) = torch.autograd.grad(fn(w).sum(), w)
    torch.testing.assert_close(fn.grad(w.detach()), expected)


@pytest.mark.parametrize("fn", [f for f in ALL if f.minima], ids=lambda fn: fn.name)
def test_minima_are_stationary_with_the_stated_value(fn):
    for point in fn.minima:
        w = torch.tensor(point, dtype=torch.float64)
        torch.testing.assert_close(fn.grad(w), torch.zeros_like(w), atol=1e-9, rtol=0)
        torch.testing.assert_close(fn(w), torch.tensor(fn.min_value, dtype=torch.float64), atol=1e-9, rtol=0)


@pytest.mark.parametrize("fn", [f for f in ALL if f.minima], ids=lambda fn: fn.name)
def test_minima_are_global_on_a_grid(fn):
    # no grid point in [-4.5, 4.5]^d is lower than the stated minimum
    axis = torch.linspace(-4.5, 4.5, 301, dtype=torch.float64)
    grid = axis[:, None] if fn is F.quartic else torch.cartesian_prod(axis, axis)
    assert fn(grid).min() >= fn.min_value - 1e-9


def test_quartic_minimum_is_nine_quarters():
    assert F.quartic.minima == ((9 / 4,),)
    assert F.quartic.grad(torch.tensor([0.0])).item() == 0.0  # flat, but not a minimum
    assert F.quartic(torch.tensor([0.1])) < F.quartic(torch.tensor([0.0]))


def test_saddle_is_not_a_minimum():
    origin = torch.zeros(2)
    assert torch.equal(F.saddle.grad(origin).abs(), torch.zeros(2))
    assert F.saddle(torch.tensor([0.0, 0.1])) < F.saddle(origin) < F.saddle(torch.tensor([0.1, 0.0]))


def test_quadratic_condition_number_is_the_hessian_ratio():
    w = torch.zeros(2, dtype=torch.float64)
    hessian = torch.autograd.functional.hessian(F.quadratic(7.0).f, w)
    eig = torch.linalg.eigvalsh(hessian)
    assert (eig.max() / eig.min()).item() == pytest.approx(7.0)


def test_bad_input():
    with pytest.raises(ValueError, match=r"^Invalid kappa value: -1\.0 \(must be > 0\)$"):
        F.quadratic(-1.0)
    with pytest.raises(ValueError, match=r"^Invalid kappa value: nan \(must be finite\)$"):
        F.quadratic(float("nan"))
    with pytest.raises(TypeError, match=r"^Invalid kappa: '10' \(must be a real number\)$"):
        F.quadratic("10")
    with pytest.raises(ValueError, match=r"^Invalid w shape: \(3,\) \(must be \(\.\.\., 2\) for rosenbrock\)$"):
        F.rosenbrock(torch.zeros(3))
    with pytest.raises(TypeError, match=r"^Invalid w: \[1\.0\] \(must be a torch\.Tensor\)$"):
        F.quartic([1.0])
