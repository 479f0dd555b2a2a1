"""The numbers chapter 2 states, checked against NumPy, scikit-learn and closed forms (not against lessonlib).

The snippets print these values; the build puts them on the page; here the
printed values are compared with computations done independently in this file.
"""

import math
import re

import numpy as np
import pytest
import torch


CHAPTER = "snippets/02_linear_regression"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


def _fitted_line_data():
    """linear_data(30, 1, noise=0.5, bias=1.0, seed=1), redrawn by hand: X, then W, then the noise."""
    g = torch.Generator().manual_seed(1)
    X = torch.randn(30, 1, generator=g)
    W = torch.randn(1, generator=g)
    y = X @ W + 1.0 + 0.5 * torch.randn(30, generator=g)
    return X[:, 0].numpy(), y.numpy(), W.item()


def test_fitted_line_is_numpy_polyfit(built_site):
    out = _output(built_site, "fitted_line.py")
    x, y, w_true = _fitted_line_data()
    slope, intercept = np.polyfit(x.astype(np.float64), y.astype(np.float64), 1)
    assert f"true:   w = {w_true:.3f}, b = 1.000" in out
    w, b = map(float, re.search(r"fitted: w = ([-\d.]+), b = ([-\d.]+)", out).groups())
    assert (w, b) == pytest.approx((slope, intercept), abs=1e-3)
    residuals = slope * x + intercept - y
    loss = float(re.search(r"residual² = ([\d.]+)", out)[1])
    assert loss == pytest.approx((residuals**2).sum() / (2 * 30), abs=1e-4)
    assert "X̃ᵀ R = [0.0, 0.0]" in out  # the normal equation: residuals orthogonal to the columns


def test_slope_formula_exercise(built_site):
    out = _output(built_site, "exercise_slope_formula.py")
    x, y, _ = _fitted_line_data()
    slope, intercept = np.polyfit(x.astype(np.float64), y.astype(np.float64), 1)
    for line in out.splitlines():
        w, b = map(float, re.search(r"w = ([-\d.]+), b = ([-\d.]+)", line).groups())
        assert (w, b) == pytest.approx((slope, intercept), abs=2e-4)


def test_solve_inverse_lstsq_errors(built_site):
    out = _output(built_site, "solve_inverse_lstsq.py")
    rows = re.findall(r"^\s*(\d+)\s+([\d.e+-]+)\s+([\d.e+-]+)\s+([\d.e+-]+)\s+([\d.e+-]+)\s+([\d.e+-]+)$", out, re.M)
    assert [int(r[0]) for r in rows] == [2, 4, 6, 8, 10, 12]
    x = np.linspace(0, 1, 50)
    eps = np.finfo(np.float64).eps
    assert eps == pytest.approx(2.2e-16, rel=0.01)  # the value the prose quotes
    for d, cond, cond_gram, inverse, solve, lstsq in rows:
        d = int(d)
        X_tilde = np.column_stack([x**k for k in range(1, d + 1)] + [np.ones_like(x)])
        kappa = np.linalg.cond(X_tilde)
        assert float(cond) == pytest.approx(kappa, rel=0.06)
        if d <= 8:  # beyond that, float64 cannot even measure the Gram matrix's condition number well
            assert float(cond_gram) == pytest.approx(kappa**2, rel=0.1)
        inverse, solve, lstsq = float(inverse), float(solve), float(lstsq)
        assert lstsq < 10 * kappa * eps  # QR/SVD: error of order κ ε
        assert solve < 10 * kappa**2 * eps  # normal equation: error of order κ² ε
        if d >= 6:
            assert solve > 100 * lstsq and inverse > 100 * lstsq
    last = rows[-1]
    assert float(last[4]) > 1 and float(last[3]) > 1 and float(last[5]) < 1e-6  # "wrong by more than their own size"
    assert float(last[3]) > float(last[4])  # "the explicit inverse is worse still"
    residuals = dict(re.findall(r"(explicit inverse|solve \(normal eq\.\)|lstsq) ([\d.e+-]+)", out.splitlines()[-1]))
    assert float(residuals["lstsq"]) < 1e-12 and float(residuals["solve (normal eq.)"]) < 1e-6
    assert float(residuals["explicit inverse"]) > 1e-3


def test_singular_design(built_site):
    out = _output(built_site, "singular.py")
    assert "X̃ is 20 × 3 but has rank 2" in out
    assert "normal equation: The solver failed because the input matrix is singular." in out
    # linear_data(20, 1, noise=0.1, bias=1.0, seed=0), redrawn by hand
    g = torch.Generator().manual_seed(0)
    X = torch.randn(20, 1, generator=g)
    W = torch.randn(1, generator=g)
    y = (X @ W + 1.0 + 0.1 * torch.randn(20, generator=g)).double().numpy()
    x = X[:, 0].double().numpy()
    X2 = np.column_stack([x, 2 * x, np.ones_like(x)])
    minimum_norm = np.linalg.pinv(X2) @ y  # the minimum-norm least-squares solution
    w1, w2, b = map(float, re.search(r"lstsq:\s+w₁ = ([-\d.]+), w₂ = ([-\d.]+), b = ([-\d.]+)", out).groups())
    assert (w1, w2, b) == pytest.approx(tuple(minimum_norm), abs=1e-4)
    slope, intercept = np.polyfit(x, y, 1)
    assert f"lstsq's w₁ + 2·w₂ = {slope:.4f}" in out
    assert f"w  = {slope:.4f},              b = {intercept:.4f}" in out


def test_ridge_matches_sklearn_and_shrinks(built_site):
    from sklearn.linear_model import Ridge

    out = _output(built_site, "ridge.py")
    rows = re.findall(r"^\s*([\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert [float(r[0]) for r in rows] == [0.0, 0.01, 0.1, 1.0, 10.0, 100.0]
    g = torch.Generator().manual_seed(0)  # the first training set of ridge.py, redrawn
    x1 = torch.randn(30, generator=g, dtype=torch.float64)
    x2 = x1 + 0.01 * torch.randn(30, generator=g, dtype=torch.float64)
    y = (x1 + x2 + 0.1 * torch.randn(30, generator=g, dtype=torch.float64)).numpy()
    X = np.column_stack([x1.numpy(), x2.numpy()])
    for lam, w1, w2, spread, test_loss in rows:
        model = Ridge(alpha=float(lam), fit_intercept=True, solver="cholesky").fit(X, y) if float(lam) > 0 else None
        coef = model.coef_ if model is not None else np.linalg.lstsq(np.column_stack([X, np.ones(30)]), y, rcond=None)[0][:2]
        assert (float(w1), float(w2)) == pytest.approx(tuple(coef), abs=1e-3)
    spreads = [float(r[3]) for r in rows]
    losses = [float(r[4]) for r in rows]
    assert spreads[0] > 50 * spreads[2]  # a small penalty shrinks the spread many times over
    assert losses[2] <= losses[0]  # and predicts as well or slightly better
    assert losses[-1] > 100 * losses[2]  # too large a penalty: the test loss climbs
    w_small = [float(rows[2][1]), float(rows[2][2])]  # lambda = 0.1: "nearly (1, 1)"
    assert w_small == pytest.approx([1.0, 1.0], abs=0.05)
    w_ls = [float(rows[0][1]), float(rows[0][2])]  # lambda = 0: "far from (1, 1)"
    assert max(abs(w - 1) for w in w_ls) > 1


def test_gradient_descent_limit_exercise(built_site):
    out = _output(built_site, "exercise_gd_limit.py")
    g = torch.Generator().manual_seed(0)  # linear_data(200, 5, noise=0.1, bias=2.0, seed=0), redrawn
    X = torch.randn(200, 5, generator=g).double().numpy()
    X_tilde = np.column_stack([X, np.ones(200)])
    lam_max = np.linalg.eigvalsh(X_tilde.T @ X_tilde / 200).max()
    assert f"λ_max(X̃ᵀX̃/m) = {lam_max:.4f}, so the step must be below 2/λ_max = {2 / lam_max:.4f}" in out
    lines = [line for line in out.splitlines() if line.startswith("η")]
    assert "below 1e-12" in lines[0] and "below 1e-12" in lines[1]
    assert float(lines[2].split()[-1]) > 1e6  # just above the limit it diverges


def test_parabola_exercise(built_site):
    out = _output(built_site, "exercise_parabola.py")
    g = torch.Generator().manual_seed(0)
    x = torch.linspace(-3, 3, 40, dtype=torch.float64)
    y = (1.0 - 2.0 * x + 0.5 * x**2 + 0.3 * torch.randn(40, generator=g, dtype=torch.float64)).numpy()
    c2, c1, c0 = np.polyfit(x.numpy(), y, 2)
    assert f"parabola  W̃ = [{c1:.3f}, {c2:.3f}, {c0:.3f}]" in out


def test_timing_snippet_reports_machine_and_convergence(built_site):
    out = _output(built_site, "closed_form_vs_gd_time.py")
    assert out.startswith("machine: ") and "CPU cores" in out
    ratios = [float(r) for r in re.findall(r"^\s*\d+\s+\d+\s+\S+\s+\S+\s+([\d.]+)$", out, re.M)]
    assert len(ratios) == 7 and all(r == pytest.approx(1.0, abs=1e-3) for r in ratios)  # GD reached the optimum
    assert re.search(r"closed form like n\^[\d.]+, gradient descent like n\^[\d.]+$", out, re.M)


def test_the_timing_problems_stay_equally_well_conditioned():
    """Why 100 steps suffice at every size: the Hessian's condition number does not grow with n when m = 4n."""
    ratio = 1 / 4  # n / m
    low, high = (1 - math.sqrt(ratio)) ** 2, (1 + math.sqrt(ratio)) ** 2  # the Marchenko-Pastur edges
    assert (low, high, high / low) == pytest.approx((0.25, 2.25, 9.0))
    for n in [16, 32, 64, 128, 256, 512, 1024]:
        g = torch.Generator().manual_seed(0)  # linear_data(4n, n, noise=0.1, seed=0) draws X first
        X = torch.randn(4 * n, n, generator=g).double().numpy()
        X_tilde = np.column_stack([X, np.ones(4 * n)])
        eigenvalues = np.linalg.eigvalsh(X_tilde.T @ X_tilde / (4 * n))
        kappa = eigenvalues.max() / eigenvalues.min()
        assert 6.5 < kappa < 10.5, (n, kappa)  # "between about 7 and 10 at every size"
        assert 0.4 < 2 / eigenvalues.max()  # the snippet's step, 0.4, is below the stability limit


def test_a_million_features():
    n = 10**6  # "with a million features, X̃ᵀX̃ alone would have a trillion entries"
    assert (n + 1) ** 2 == pytest.approx(1e12, rel=1e-5)
    assert math.log10((n + 1) ** 2) == pytest.approx(12, abs=1e-5)
