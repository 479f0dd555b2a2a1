"""The claims chapter 2 makes, checked against NumPy, scikit-learn and closed forms (not against lessonlib).

The snippets print and publish their values; the page quotes some of them;
here the build's values, and the claims the prose makes about them (errors
near κε or κ²ε, "many times over", "the test loss climbs"), are compared with
computations done independently in this file, with stated tolerances.
"""

import math
import re

import numpy as np
import pytest
import torch

CHAPTER = "snippets/02_linear_regression"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}").stdout


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
    w_printed, b_printed = map(float, re.search(r"true:\s+w = ([-\d.]+), b = ([-\d.]+)", out).groups())
    assert (w_printed, b_printed) == pytest.approx((w_true, 1.0), abs=5e-4)
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


def _polynomial_design(d):
    x = np.linspace(0, 1, 50)
    return np.column_stack([x**k for k in range(1, d + 1)] + [np.ones_like(x)])


def test_solve_inverse_lstsq_errors(built_site):
    out = _output(built_site, "solve_inverse_lstsq.py")
    values = built_site.values(f"{CHAPTER}/solve_inverse_lstsq.py")
    eps = np.finfo(np.float64).eps
    assert eps == pytest.approx(2.2e-16, rel=0.01)  # the value the prose quotes
    # The condition numbers the table prints: NumPy's SVD agrees, and κ(X̃ᵀX̃) = κ(X̃)² where float64 can still tell.
    rows = re.findall(r"^\s*(\d+)\s+([\d.e+-]+)\s+([\d.e+-]+)\s+([\d.e+-]+)\s+([\d.e+-]+)$", out, re.M)
    assert [int(r[0]) for r in rows] == [2, 4, 6, 8, 10, 12]
    for d, cond, cond_squared, guide, guide_squared in rows:
        X_tilde = _polynomial_design(int(d))
        kappa = np.linalg.cond(X_tilde)
        assert float(cond) == pytest.approx(kappa, rel=0.06)
        assert float(cond_squared) == pytest.approx(kappa**2, rel=0.12)
        assert float(guide) == pytest.approx(kappa * eps, rel=0.06)
        assert float(guide_squared) == pytest.approx(kappa**2 * eps, rel=0.12)
        if int(d) <= 6:
            assert np.linalg.cond(X_tilde.T @ X_tilde) == pytest.approx(kappa**2, rel=1e-3)
    kappa12 = np.linalg.cond(_polynomial_design(12))
    assert values["guide_squared_d12"] == pytest.approx(kappa12**2 * eps, rel=1e-3)
    assert kappa12**2 * eps > 1  # "at the mercy of rounding": κ²ε well above 1
    # "p ≈ 2" for the normal equation (solve and inverse), "p ≈ 1" for lstsq, with margin to the next integer
    assert abs(values["growth_solve"] - 2) < 0.4 and abs(values["growth_inverse"] - 2) < 0.45
    assert abs(values["growth_lstsq"] - 1) < 0.4
    # At d = 12: solve wrong by more than a tenth; the inverse worse still, above even κ²ε; lstsq below κε, six digits.
    assert values["error_solve_d12"] > 0.1 and values["error_solve_d12"] < kappa12**2 * eps
    assert values["error_inverse_d12"] > values["error_solve_d12"] and values["error_inverse_d12"] > kappa12**2 * eps
    assert values["error_lstsq_d12"] < kappa12 * eps and values["error_lstsq_d12"] < 1e-6
    # solve's wrong weights still fit the data; the inverse's do not; lstsq fits to rounding.
    assert values["residual_solve_d12"] < 1e-6 and values["residual_lstsq_d12"] < 1e-12
    assert values["residual_inverse_d12"] > 1e-3
    table = {line[:18].strip(): line[18:].split() for line in out.splitlines()[-3:]}
    assert table == {
        "explicit inverse": ["above", "0.1", "no", "no", "above", "1e-6"],
        "solve (normal eq.)": ["above", "0.1", "no", "yes", "below", "1e-6"],
        "lstsq": ["below", "0.1", "yes", "yes", "below", "1e-6"],
    }


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
    assert float(re.search(r"lstsq's w₁ \+ 2·w₂ = ([-\d.]+)", out)[1]) == pytest.approx(slope, abs=1e-4)
    w_one, b_one = map(float, re.search(r"one feature:\s+w  = ([-\d.]+),\s+b = ([-\d.]+)", out).groups())
    assert (w_one, b_one) == pytest.approx((slope, intercept), abs=1e-4)  # "the same line, shared between two copies"
    w1, w2, b = map(float, re.search(r"ridge \(λ=0.1\): w₁ = ([-\d.]+), w₂ = ([-\d.]+), b = ([-\d.]+)", out).groups())
    assert w2 == pytest.approx(2 * w1, abs=2e-4)  # ridge answers too, and also splits the slope between the copies


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
    for lam, w1, w2, _spread, _test_loss in rows:
        model = Ridge(alpha=float(lam), fit_intercept=True, solver="cholesky").fit(X, y) if float(lam) > 0 else None
        coef = (
            model.coef_
            if model is not None
            else np.linalg.lstsq(np.column_stack([X, np.ones(30)]), y, rcond=None)[0][:2]
        )
        assert (float(w1), float(w2)) == pytest.approx(tuple(coef), abs=1e-3)
    values = built_site.values(f"{CHAPTER}/ridge.py")
    assert values["spread_least_squares"] == pytest.approx(float(rows[0][3]), abs=5e-4)
    assert values["spread_small_penalty"] == pytest.approx(float(rows[2][3]), abs=5e-4)
    assert values["spread_least_squares"] > 50 * values["spread_small_penalty"]  # shrinks the spread many times over
    # "predicts fresh data as well as least squares or slightly better"
    assert values["test_loss_small_penalty"] <= values["test_loss_least_squares"] * 1.001
    assert values["test_loss_large_penalty"] > 100 * values["test_loss_small_penalty"]  # "the test loss climbs"
    losses = [float(r[4]) for r in rows]
    assert losses[-2] < losses[-1] and losses[3] < losses[-2]  # it climbs with λ beyond the small penalties
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
    printed = re.search(r"λ_max\(X̃ᵀX̃/m\) = ([\d.]+), so the step must be below 2/λ_max = ([\d.]+)", out).groups()
    assert tuple(map(float, printed)) == pytest.approx((lam_max, 2 / lam_max), abs=1e-4)
    lines = [line for line in out.splitlines() if line.startswith("α")]
    assert "below 1e-12" in lines[0] and "below 1e-12" in lines[1]
    assert float(lines[2].split()[-1]) > 1e6  # just above the limit it diverges


def test_parabola_exercise(built_site):
    out = _output(built_site, "exercise_parabola.py")
    g = torch.Generator().manual_seed(0)
    x = torch.linspace(-3, 3, 40, dtype=torch.float64)
    y = (1.0 - 2.0 * x + 0.5 * x**2 + 0.3 * torch.randn(40, generator=g, dtype=torch.float64)).numpy()
    c2, c1, c0 = np.polyfit(x.numpy(), y, 2)
    fits = {
        name: ([float(v) for v in W.split(",")], float(loss))
        for name, W, loss in re.findall(r"^(line|parabola)\s+W̃ = \[(.*)\], loss = ([\d.]+)$", out, re.M)
    }
    assert fits["parabola"][0] == pytest.approx([c1, c2, c0], abs=1e-3)
    line = np.polyfit(x.numpy(), y, 1)
    assert fits["line"][0] == pytest.approx(list(line), abs=1e-3)
    # "the line cannot bend, and its loss stays high; the parabola recovers the true coefficients up to the noise"
    assert fits["line"][1] > 10 * fits["parabola"][1]
    assert fits["parabola"][1] == pytest.approx(np.mean((np.polyval([c2, c1, c0], x.numpy()) - y) ** 2) / 2, abs=1e-4)
    assert fits["parabola"][0] == pytest.approx([-2.0, 0.5, 1.0], abs=0.1)


def test_timing_snippet_reports_machine_and_convergence(built_site):
    out = _output(built_site, "closed_form_vs_gd_time.py")
    values = built_site.values(f"{CHAPTER}/closed_form_vs_gd_time.py")
    assert out.startswith("machine: ") and "CPU cores" in out
    ratios = [float(r) for r in re.findall(r"^\s*\d+\s+\d+\s+\S+\s+\S+\s+([\d.]+)\s+[\d.]+$", out, re.M)]
    assert len(ratios) == 7 and all(r == pytest.approx(1.0, abs=1e-3) for r in ratios)  # GD reached the optimum
    assert values["worst_loss_ratio"] == pytest.approx(1.0, abs=1e-3)  # "had converged ... at every size"
    assert re.search(r"closed form like n\^[\d.]+, gradient descent like n\^[\d.]+$", out, re.M)
    # Timing claims, with wide margins: for small n descent's 100 steps are the slower; at the largest the closed form
    # "stays competitive"; its curve "steepens towards the n³ guide".
    assert values["descent_over_closed_smallest"] > 1
    assert values["descent_over_closed_largest"] > 0.5
    assert values["growth_closed"] > 2


def test_the_timing_problems_stay_equally_well_conditioned(built_site):
    """Why 100 steps suffice at every size: the Hessian's condition number does not grow with n when m = 4n."""
    ratio = 1 / 4  # n / m
    low, high = (1 - math.sqrt(ratio)) ** 2, (1 + math.sqrt(ratio)) ** 2  # the Marchenko-Pastur edges
    assert (low, high, high / low) == pytest.approx((0.25, 2.25, 9.0))
    kappas = []
    for n in [16, 32, 64, 128, 256, 512, 1024]:
        g = torch.Generator().manual_seed(0)  # linear_data(4n, n, noise=0.1, seed=0) draws X first
        X = torch.randn(4 * n, n, generator=g).double().numpy()
        X_tilde = np.column_stack([X, np.ones(4 * n)])
        eigenvalues = np.linalg.eigvalsh(X_tilde.T @ X_tilde / (4 * n))
        kappas.append(eigenvalues.max() / eigenvalues.min())
        assert 0.4 < 2 / eigenvalues.max()  # the snippet's step, 0.4, is below the stability limit
    values = built_site.values(f"{CHAPTER}/closed_form_vs_gd_time.py")
    assert values["hessian_cond_min"] == pytest.approx(min(kappas), rel=1e-6)
    assert values["hessian_cond_max"] == pytest.approx(max(kappas), rel=1e-6)
    assert max(kappas) < 2 * min(kappas) and max(kappas) < 1.5 * high / low  # "hardly changes with n"


def test_standardising_a_year_feature():
    """Exercise 5: κ(X̃) of a feature in [1000, 1010] beside the ones is "in the hundreds of thousands", then 1."""
    x = np.linspace(1000, 1010, 50)
    assert 1e5 < np.linalg.cond(np.column_stack([x, np.ones(50)])) < 1e6
    z = (x - x.mean()) / x.std()
    assert np.linalg.cond(np.column_stack([z, np.ones(50)])) == pytest.approx(1, abs=1e-9)


def test_a_million_features():
    n = 10**6  # "with a million features, X̃ᵀX̃ alone would have a trillion entries"
    assert (n + 1) ** 2 == pytest.approx(1e12, rel=1e-5)
    assert math.log10((n + 1) ** 2) == pytest.approx(12, abs=1e-5)
