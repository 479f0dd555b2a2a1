"""lessonlib.linear against numpy.linalg.lstsq, a NumPy ridge formula, sklearn's Ridge and PolynomialFeatures."""

import re

import numpy as np
import pytest
import torch
from sklearn.linear_model import Ridge
from sklearn.preprocessing import PolynomialFeatures

from lessonlib import linear


def _problem(m, n, t, seed=0):
    """Random X (m×n) and Y, 1-D when t is None, in float64."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n))
    shape = (m,) if t is None else (m, t)
    Y = X @ rng.normal(size=(n,) + shape[1:]) + 0.7 + 0.1 * rng.normal(size=shape)
    return X, Y


def _oracle_lstsq(X, Y, bias):
    X_tilde = np.hstack([X, np.ones((X.shape[0], 1))]) if bias else X
    return np.linalg.lstsq(X_tilde, Y, rcond=None)[0]


SHAPES = [(20, 1, None), (50, 3, None), (50, 3, 1), (100, 5, 4), (8, 7, 2)]


@pytest.mark.parametrize("m,n,t", SHAPES)
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("fit", [linear.fit_normal_equation, linear.fit_lstsq])
def test_least_squares_matches_numpy_lstsq(fit, m, n, t, bias):
    X, Y = _problem(m, n, t)
    W = fit(torch.from_numpy(X), torch.from_numpy(Y), bias=bias)
    expected = _oracle_lstsq(X, Y, bias)
    assert W.shape == expected.shape
    torch.testing.assert_close(W, torch.from_numpy(expected))


def test_normal_equation_uses_solve_not_inverse(monkeypatch):
    def no_inverse(*args, **kwargs):
        raise AssertionError("formed an inverse")

    monkeypatch.setattr(torch.linalg, "inv", no_inverse)
    monkeypatch.setattr(torch, "inverse", no_inverse)
    X, Y = _problem(30, 3, None)
    linear.fit_normal_equation(torch.from_numpy(X), torch.from_numpy(Y))
    linear.fit_ridge(torch.from_numpy(X), torch.from_numpy(Y), lam=1.0)


def test_lstsq_handles_rank_deficient_X_like_numpy():
    X, Y = _problem(30, 3, 2)
    X = np.hstack([X, X[:, :1] * 2.0])  # a collinear column
    W = linear.fit_lstsq(torch.from_numpy(X), torch.from_numpy(Y))
    # the minimiser is not unique; both return the one of least norm
    torch.testing.assert_close(W, torch.from_numpy(_oracle_lstsq(X, Y, bias=True)))


@pytest.mark.parametrize("m,n,t", [(60, 3, None), (80, 4, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_gradient_descent_converges_to_lstsq(m, n, t, bias):
    X, Y = _problem(m, n, t, seed=1)
    W, losses = linear.fit_gradient_descent(torch.from_numpy(X), torch.from_numpy(Y), lr=0.5, n_steps=1000, bias=bias)
    torch.testing.assert_close(W, torch.from_numpy(_oracle_lstsq(X, Y, bias)), atol=1e-6, rtol=1e-6)
    assert losses.shape == (1001,)
    assert (losses.diff() <= 1e-12).all()  # a small enough step never goes uphill
    torch.testing.assert_close(
        losses[-1], linear.least_squares_loss(torch.from_numpy(X), torch.from_numpy(Y), W, bias=bias)
    )


def test_gradient_descent_first_loss_is_at_zero_weights():
    X, Y = _problem(40, 2, None)
    _, losses = linear.fit_gradient_descent(torch.from_numpy(X), torch.from_numpy(Y), n_steps=3)
    assert losses[0].item() == pytest.approx((Y**2).sum() / (2 * 40))


@pytest.mark.parametrize("m,n,t", SHAPES)
@pytest.mark.parametrize("lam", [0.0, 0.1, 10.0])
def test_ridge_matches_numpy_closed_form_with_unpenalised_bias(m, n, t, lam):
    X, Y = _problem(m, n, t, seed=2)
    # centring X and Y removes the bias from the problem; it is then ȳ - x̄ᵀW
    x_bar, y_bar = X.mean(axis=0), Y.mean(axis=0)
    Xc, Yc = X - x_bar, Y - y_bar
    W = np.linalg.solve(Xc.T @ Xc + lam * np.eye(n), Xc.T @ Yc)
    b = y_bar - x_bar @ W
    expected = np.concatenate([W, b[None]], axis=0)
    got = linear.fit_ridge(torch.from_numpy(X), torch.from_numpy(Y), lam)
    torch.testing.assert_close(got, torch.from_numpy(expected))


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("t", [None, 3])
def test_ridge_matches_sklearn_ridge(bias, t):
    X, Y = _problem(70, 4, t, seed=3)
    model = Ridge(alpha=2.5, fit_intercept=bias, solver="cholesky").fit(X, Y)
    expected = model.coef_.T  # sklearn stores (t, n); the book's W is (n, t)
    if bias:  # the intercept becomes the last row
        expected = np.concatenate([expected, np.reshape(model.intercept_, (1,) + expected.shape[1:])])
    got = linear.fit_ridge(torch.from_numpy(X), torch.from_numpy(Y), 2.5, bias=bias)
    torch.testing.assert_close(got, torch.from_numpy(expected))


def test_ridge_bias_is_not_penalised():
    X, Y = _problem(50, 3, None)
    W1 = linear.fit_ridge(torch.from_numpy(X), torch.from_numpy(Y), 5.0)
    W2 = linear.fit_ridge(torch.from_numpy(X), torch.from_numpy(Y + 100.0), 5.0)
    torch.testing.assert_close(W2[:-1], W1[:-1])
    torch.testing.assert_close(W2[-1], W1[-1] + 100.0)


def test_add_bias_column_and_predict():
    X = torch.arange(6.0).reshape(3, 2)
    torch.testing.assert_close(linear.add_bias_column(X), torch.tensor([[0.0, 1, 1], [2, 3, 1], [4, 5, 1]]))
    W = torch.tensor([[1.0, 0.0], [2.0, 1.0], [0.5, -1.0]])
    torch.testing.assert_close(linear.predict(X, W), X @ W[:2] + W[2])
    torch.testing.assert_close(linear.predict(X, W[:2], bias=False), X @ W[:2])


def test_float32_inputs_stay_float32():
    X, Y = _problem(30, 2, None)
    X32, Y32 = torch.from_numpy(X).float(), torch.from_numpy(Y).float()
    for W in (
        linear.fit_normal_equation(X32, Y32),
        linear.fit_lstsq(X32, Y32),
        linear.fit_ridge(X32, Y32, 1.0),
        linear.fit_gradient_descent(X32, Y32, n_steps=2)[0],
    ):
        assert W.dtype == torch.float32 and W.shape == (3,)


# ---------------------------------------------------------------- input checks


def test_X_must_be_a_2d_tensor():
    with pytest.raises(ValueError, match=r"^Invalid X shape: \(5,\) \(must be 2-D, \(m, n\)\)$"):
        linear.fit_normal_equation(torch.zeros(5), torch.zeros(5))
    with pytest.raises(ValueError, match=r"^Invalid X shape: \(5,\) \(must be 2-D, \(m, n\)\)$"):
        linear.add_bias_column(torch.zeros(5))
    with pytest.raises(TypeError, match=r"^Invalid X: \[\[1.0\]\] \(must be a torch.Tensor\)$"):
        linear.fit_lstsq([[1.0]], torch.zeros(1))


@pytest.mark.parametrize(
    "fit",
    [
        linear.fit_normal_equation,
        linear.fit_lstsq,
        linear.fit_gradient_descent,
        lambda X, Y: linear.fit_ridge(X, Y, 1.0),
    ],
)
def test_Y_rows_must_match_X(fit):
    with pytest.raises(
        ValueError, match=r"^Invalid Y shape: \(4, 2\) \(must be \(m,\) or \(m, t\) with m = 5, the rows of X\)$"
    ):
        fit(torch.zeros(5, 2), torch.zeros(4, 2))


def test_Y_must_be_1d_or_2d():
    with pytest.raises(ValueError, match=r"^Invalid Y shape: \(5, 1, 1\) \(must be \(m,\) or \(m, t\)"):
        linear.fit_lstsq(torch.zeros(5, 2), torch.zeros(5, 1, 1))


def test_predict_checks_W_rows():
    with pytest.raises(
        ValueError, match=r"^Invalid W shape: \(2,\) \(must have 3 rows for X of shape \(4, 2\) with bias=True\)$"
    ):
        linear.predict(torch.zeros(4, 2), torch.zeros(2))


BAD_GD = [
    ({"lr": -0.1}, ValueError, "Invalid learning rate: -0.1"),
    ({"lr": float("nan")}, ValueError, "Invalid learning rate: nan"),
    ({"lr": float("inf")}, ValueError, "Invalid learning rate: inf"),
    ({"lr": True}, TypeError, "Invalid learning rate: True (must be a real number)"),
    ({"lr": None}, TypeError, "Invalid learning rate: None (must be a real number)"),
    ({"n_steps": -1}, ValueError, "Invalid n_steps value: -1 (must be >= 0)"),
    ({"n_steps": 10.0}, TypeError, "Invalid n_steps: 10.0 (must be an integer)"),
]


@pytest.mark.parametrize(("change", "error", "message"), BAD_GD, ids=[m for _, _, m in BAD_GD])
def test_bad_gradient_descent_arguments_raise(change, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        linear.fit_gradient_descent(torch.zeros(4, 2), torch.zeros(4), **change)


def test_a_learning_rate_of_zero_stays_at_the_start():
    X, Y = _problem(10, 2, None)
    W, losses = linear.fit_gradient_descent(torch.from_numpy(X), torch.from_numpy(Y), lr=0.0, n_steps=3)
    torch.testing.assert_close(W, torch.zeros(3, dtype=torch.float64), rtol=0, atol=0)
    assert torch.all(losses == losses[0])


@pytest.mark.parametrize(
    ("lam", "error", "message"),
    [
        (-1.0, ValueError, "Invalid lam value: -1.0 (must be >= 0)"),
        (float("inf"), ValueError, "Invalid lam value: inf (must be finite)"),
        ("1", TypeError, "Invalid lam: '1' (must be a real number)"),
    ],
)
def test_bad_ridge_penalty_raises(lam, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        linear.fit_ridge(torch.zeros(4, 2), torch.zeros(4), lam)


@pytest.mark.parametrize("degree,include_bias", [(0, True), (1, True), (1, False), (3, True), (3, False), (11, True)])
def test_polynomial_features_match_sklearn(degree, include_bias):
    x = np.random.default_rng(degree).uniform(-2, 2, size=15)
    P = linear.polynomial_features(torch.from_numpy(x), degree, include_bias=include_bias)
    expected = PolynomialFeatures(degree, include_bias=include_bias).fit_transform(x[:, None])
    assert P.shape == expected.shape and P.dtype == torch.float64
    torch.testing.assert_close(P, torch.from_numpy(expected))


def test_polynomial_fit_recovers_a_cubic():
    x = torch.linspace(-1, 1, 30, dtype=torch.float64)
    y = 0.5 - x + 2 * x**3
    W = linear.fit_lstsq(linear.polynomial_features(x, 3), y, bias=False)
    torch.testing.assert_close(W, torch.tensor([0.5, -1.0, 0.0, 2.0], dtype=torch.float64))


@pytest.mark.parametrize(
    "x, degree, error, message",
    [
        (torch.zeros(3, 1), 2, ValueError, "Invalid x shape: (3, 1) (must be 1-D, (m,))"),
        (torch.zeros(3), -1, ValueError, "Invalid degree value: -1 (must be >= 0)"),
        (torch.zeros(3), 2.0, TypeError, "Invalid degree: 2.0 (must be an integer)"),
        (torch.zeros(3), True, TypeError, "Invalid degree: True (must be an integer)"),
    ],
)
def test_polynomial_features_bad_input(x, degree, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        linear.polynomial_features(x, degree)
