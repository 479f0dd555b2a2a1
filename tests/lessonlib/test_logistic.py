"""lessonlib.logistic.fit_logistic against scikit-learn's unpenalised LogisticRegression."""

import re

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression

from lessonlib.data import imbalanced_binary
from lessonlib.logistic import fit_logistic


def _sklearn(X, y, q):
    """The oracle: the same model (no penalty, each positive weighted q), fitted by scikit-learn."""
    model = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000, class_weight={0: 1.0, 1: q})
    model.fit(X.numpy(), y.numpy())
    return torch.from_numpy(model.coef_[0]), torch.tensor(model.intercept_[0], dtype=torch.float64)


@pytest.mark.parametrize("q", [1.0, 4.0, 19.0])
@pytest.mark.parametrize("n_features", [1, 2, 5])
def test_matches_sklearn(q, n_features):
    X, y = imbalanced_binary(500, ratio=0.1, n_features=n_features, separation=1.5, seed=n_features)
    X = X.double()
    w, b = fit_logistic(X, y, pos_weight=q)
    w_sk, b_sk = _sklearn(X, y, q)
    assert w.shape == (n_features,) and b.shape == ()
    torch.testing.assert_close(w, w_sk, rtol=0, atol=1e-5)
    torch.testing.assert_close(b, b_sk, rtol=0, atol=1e-5)


def test_weighted_minimum_has_zero_gradient_in_closed_form():
    """At the minimum the weighted residuals are orthogonal to the columns of [X 1] (a hand-derived gradient)."""
    X, y = imbalanced_binary(300, ratio=0.2, seed=3)
    X, yf = X.double(), y.double()
    q = 3.0
    w, b = fit_logistic(X, y, pos_weight=q)
    p = torch.sigmoid(X @ w + b)
    # d/ds of -[q y log σ(s) + (1 - y) log(1 - σ(s))] = (q y + 1 - y) σ(s) - q y
    r = (q * yf + 1 - yf) * p - q * yf
    grad = torch.cat([X.T @ r, r.sum().reshape(1)]) / (q * yf.sum() + (1 - yf).sum())  # of the weighted mean
    torch.testing.assert_close(grad, torch.zeros(3, dtype=torch.float64), rtol=0, atol=1e-6)


def test_float32_and_label_dtypes():
    X, y = imbalanced_binary(400, ratio=0.3, seed=1)
    w32, b32 = fit_logistic(X.float(), y)
    w64, b64 = fit_logistic(X.double(), y.double())
    assert w32.dtype == b32.dtype == torch.float32
    torch.testing.assert_close(w32.double(), w64, rtol=0, atol=1e-3)
    torch.testing.assert_close(b32.double(), b64, rtol=0, atol=1e-3)


def test_does_not_change_inputs():
    X, y = imbalanced_binary(100, ratio=0.3, seed=2)
    X0, y0 = X.clone(), y.clone()
    fit_logistic(X, y)
    assert torch.equal(X, X0) and torch.equal(y, y0) and not X.requires_grad


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (
            {"X": torch.zeros(4, 2, dtype=torch.int64)},
            TypeError,
            "Invalid X dtype: torch.int64 (must be floating point)",
        ),
        ({"X": [[0.0, 1.0]]}, TypeError, "Invalid X: [[0.0, 1.0]] (must be a torch.Tensor)"),
        ({"X": torch.zeros(4)}, ValueError, "Invalid X shape: (4,) (must be 2-D, (m, n))"),
        ({"y": torch.zeros(3)}, ValueError, "Invalid y shape: (3,) (must be (4,), one label per row of X)"),
        ({"y": [0, 1, 0, 1]}, TypeError, "Invalid y: [0, 1, 0, 1] (must be a torch.Tensor)"),
        ({"y": torch.tensor([0, 1, 2, 1])}, ValueError, "Invalid y value: labels [0, 1, 2] (must be 0 or 1)"),
        ({"pos_weight": 0.0}, ValueError, "Invalid pos_weight value: 0.0 (must be > 0)"),
        ({"pos_weight": float("nan")}, ValueError, "Invalid pos_weight value: nan (must be finite)"),
        ({"max_iter": 0}, ValueError, "Invalid max_iter value: 0 (must be >= 1)"),
        ({"max_iter": 2.5}, TypeError, "Invalid max_iter: 2.5 (must be an integer)"),
    ],
)
def test_bad_input(kwargs, error, message):
    args = {"X": torch.zeros(4, 2), "y": torch.tensor([0, 1, 0, 1])} | kwargs
    X, y = args.pop("X"), args.pop("y")
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        fit_logistic(X, y, **args)


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_matches_cpu():
    X, y = imbalanced_binary(500, ratio=0.1, seed=0)
    X = X.double()
    w, b = fit_logistic(X, y, pos_weight=4.0)
    w_gpu, b_gpu = fit_logistic(X.cuda(), y.cuda(), pos_weight=4.0)
    assert w_gpu.device.type == b_gpu.device.type == "cuda"
    torch.testing.assert_close(w_gpu.cpu(), w, rtol=0, atol=1e-8)
    torch.testing.assert_close(b_gpu.cpu(), b, rtol=0, atol=1e-8)
