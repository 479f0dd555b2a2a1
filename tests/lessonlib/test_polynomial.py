"""lessonlib.polynomial against NumPy's polynomial fit and evaluation and scikit-learn's Ridge."""

import re

import numpy as np
import pytest
import torch
from numpy.polynomial import polynomial as P
from sklearn.linear_model import Ridge

from lessonlib.polynomial import evaluate_polynomial, fit_polynomial


def _points(m=15, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = 2 * torch.rand(m, generator=g, dtype=torch.float64) - 1
    return x, torch.sin(torch.pi * x) + 0.3 * torch.randn(m, generator=g, dtype=torch.float64)


@pytest.mark.parametrize("degree", [0, 1, 3, 7])
def test_least_squares_is_numpys_polyfit(degree):
    x, y = _points()
    expected = P.polyfit(x.numpy(), y.numpy(), degree)  # lowest power first, as fit_polynomial returns them
    torch.testing.assert_close(fit_polynomial(x, y, degree), torch.from_numpy(expected), rtol=1e-9, atol=1e-10)


def test_more_weights_than_points_interpolates():
    x, y = _points(m=6)
    w = fit_polynomial(x, y, 9)
    torch.testing.assert_close(evaluate_polynomial(w, x), y, rtol=0, atol=1e-9)


@pytest.mark.parametrize("lam", [1e-6, 1e-3, 0.1, 10.0])
@pytest.mark.parametrize("degree", [1, 5, 11])
def test_ridge_is_sklearns_with_an_unpenalised_intercept_and_m_times_lambda(degree, lam):
    x, y = _points(m=12)
    powers = np.stack([x.numpy() ** k for k in range(1, degree + 1)], axis=1)
    # ½·mean((Pw − y)²) + (λ/2)·|w₁..w_d|² has the minimiser of |Pw − y|² + mλ·|w₁..w_d|², scikit-learn's form
    model = Ridge(alpha=len(x) * lam, fit_intercept=True, solver="cholesky", tol=1e-12).fit(powers, y.numpy())
    expected = torch.from_numpy(np.concatenate([[model.intercept_], model.coef_]))
    torch.testing.assert_close(fit_polynomial(x, y, degree, lam=lam), expected, rtol=1e-6, atol=1e-8)


def test_a_stronger_penalty_gives_smaller_weights_but_leaves_the_constant_free():
    x, y = _points(m=12)
    y = y + 5.0  # a shift is the constant's job: the penalty must not fight it
    norms = [fit_polynomial(x, y, 11, lam=lam)[1:].norm().item() for lam in (1e-6, 1e-3, 1e-1, 10.0)]
    assert norms == sorted(norms, reverse=True)
    assert fit_polynomial(x, y, 11, lam=1e6)[0].item() == pytest.approx(y.mean().item(), rel=1e-4)


def test_evaluate_polynomial_is_numpys_polyval():
    w, x = torch.tensor([0.5, -1.0, 2.0, 0.25], dtype=torch.float64), torch.linspace(-2, 2, 9, dtype=torch.float64)
    torch.testing.assert_close(evaluate_polynomial(w, x), torch.from_numpy(P.polyval(x.numpy(), w.numpy())))


BAD_FIT = [
    ({"x": [0.0, 1.0]}, TypeError, "Invalid x: [0.0, 1.0] (must be a torch.Tensor)"),
    ({"x": torch.tensor([0, 1, 2])}, TypeError, "Invalid x dtype: torch.int64 (must be floating point)"),
    ({"x": torch.zeros(3, 1)}, ValueError, "Invalid x shape: (3, 1) (must be 1-D, (m,))"),
    ({"y": torch.zeros(4)}, ValueError, "Invalid y shape: (4,) (must be x's, (3,))"),
    ({"degree": 2.0}, TypeError, "Invalid degree: 2.0 (must be an integer)"),
    ({"degree": -1}, ValueError, "Invalid degree value: -1 (must be >= 0)"),
    ({"lam": -0.5}, ValueError, "Invalid lam value: -0.5 (must be >= 0)"),
    ({"lam": "0"}, TypeError, "Invalid lam: '0' (must be a real number)"),
]


@pytest.mark.parametrize(("change", "error", "message"), BAD_FIT, ids=[m for _, _, m in BAD_FIT])
def test_fit_polynomial_refuses_bad_arguments(change, error, message):
    arguments = {"x": torch.tensor([0.0, 0.5, 1.0]), "y": torch.tensor([1.0, 0.0, 1.0]), "degree": 2} | change
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        fit_polynomial(**arguments)


@pytest.mark.parametrize(
    ("w", "x", "error", "message"),
    [
        (torch.zeros(0), torch.zeros(3), ValueError, "Invalid w shape: (0,) (must hold at least w_0)"),
        (torch.zeros(2, 2), torch.zeros(3), ValueError, "Invalid w shape: (2, 2) (must be 1-D, (d + 1,))"),
        (torch.zeros(2), 1.0, TypeError, "Invalid x: 1.0 (must be a torch.Tensor)"),
    ],
)
def test_evaluate_polynomial_refuses_bad_arguments(w, x, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        evaluate_polynomial(w, x)
