"""lessonlib.gradcheck against autograd, on every test function."""

import pytest
import torch

from lessonlib import functions as F
from lessonlib.gradcheck import check_gradient, numerical_gradient, relative_error

ALL = [F.quadratic(10.0), F.rosenbrock, F.beale, F.himmelblau, F.saddle, F.quartic]


@pytest.mark.parametrize("fn", ALL, ids=lambda fn: fn.name)
def test_numerical_gradient_matches_autograd(fn):
    d = 1 if fn is F.quartic else 2
    w = torch.tensor([0.7, -1.3][:d], dtype=torch.float64, requires_grad=True)
    (expected,) = torch.autograd.grad(fn(w), w)
    torch.testing.assert_close(numerical_gradient(fn, w.detach()), expected, rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("fn", ALL, ids=lambda fn: fn.name)
def test_check_gradient_accepts_the_right_gradient(fn):
    d = 1 if fn is F.quartic else 2
    w = torch.tensor([1.2, 0.4][:d], dtype=torch.float64)
    assert check_gradient(fn, fn.grad, w) < 1e-6


def test_check_gradient_catches_a_wrong_gradient():
    w = torch.tensor([-1.5], dtype=torch.float64)
    sign_dropped = lambda w: 4 * w.abs() ** 3 - 9 * w**2  # the note's slip: 4(1.5)^3
    with pytest.raises(ValueError, match="gradient check failed: relative error"):
        check_gradient(F.quartic, sign_dropped, w)


def test_central_difference_error_shrinks_like_h_squared():
    w = torch.tensor([0.3], dtype=torch.float64)
    exact = 4 * 0.3**3 - 9 * 0.3**2
    err = [abs(numerical_gradient(F.quartic, w, h).item() - exact) for h in (1e-2, 1e-3)]
    assert 50 < err[0] / err[1] < 200  # ~100 = (1e-2 / 1e-3)^2


def test_works_on_matrices():
    gen = torch.Generator().manual_seed(1)
    a = torch.randn(3, 4, generator=gen, dtype=torch.float64)
    w = torch.randn(4, 2, generator=gen, dtype=torch.float64, requires_grad=True)
    f = lambda w: torch.tanh(a @ w).pow(2).sum()
    (expected,) = torch.autograd.grad(f(w), w)
    torch.testing.assert_close(numerical_gradient(f, w.detach()), expected, rtol=1e-6, atol=1e-8)


def test_bad_input():
    with pytest.raises(ValueError, match=r"^Invalid h value: 0 \(must be > 0\)$"):
        numerical_gradient(F.quartic, torch.tensor([1.0]), h=0)
    with pytest.raises(ValueError, match=r"^Invalid h value: inf \(must be finite\)$"):
        numerical_gradient(F.quartic, torch.tensor([1.0]), h=float("inf"))
    with pytest.raises(TypeError, match=r"^Invalid h: True \(must be a real number\)$"):
        numerical_gradient(F.quartic, torch.tensor([1.0]), h=True)
    with pytest.raises(TypeError, match=r"^Invalid w dtype: torch.int64 \(must be floating point\)$"):
        numerical_gradient(F.quartic, torch.tensor([1]))
    with pytest.raises(TypeError, match=r"^Invalid w: \[1.0\] \(must be a torch.Tensor\)$"):
        numerical_gradient(F.quartic, [1.0])
    with pytest.raises(ValueError, match=r"^Invalid b shape: \(3,\) \(must be a's shape, \(2,\)\)$"):
        relative_error(torch.zeros(2), torch.zeros(3))
    with pytest.raises(ValueError, match=r"^Invalid tol value: -1.0 \(must be >= 0\)$"):
        check_gradient(F.quartic, F.quartic.grad, torch.tensor([1.0]), tol=-1.0)
