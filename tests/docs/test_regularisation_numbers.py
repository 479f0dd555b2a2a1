"""The claims chapter 13 makes, checked against independent oracles (not lessonlib).

The polynomial fits against NumPy's polyfit and scikit-learn's Ridge, the
regularisation paths against scikit-learn's Lasso, ElasticNet and Ridge, the
training experiments re-run in float64 with torch.optim and torch.nn.functional,
and the statistical claims (dropout's expectation, batch norm's noise, the
variance shift) against closed forms or a NumPy Monte Carlo of their own.

The page quotes the snippets' published values ({{ value(...) }}); the tests
check those values against the oracles, and the words around them ("more than
tripled", "lower with dropout", "close to") against the values, never the
printed digits of one machine.
"""

import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.linear_model import ElasticNet, Lasso, Ridge
from torch import nn

CHAPTER = "snippets/12_regularisation"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}").stdout


def _values(built_site, name):
    built_site.check()
    return built_site.values(f"{CHAPTER}/{name}")


def _floats(text):
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?", text)]


# --------------------------------------------------------------------------- #
# The polynomial examples: overfitting, ridge strength, underfitting


def _polynomial_data():
    gen = torch.Generator().manual_seed(0)
    f64 = torch.float64
    x_train = torch.linspace(-1, 1, 12, dtype=f64) + 0.1 * (torch.rand(12, generator=gen, dtype=f64) - 0.5)
    y_train = torch.sin(torch.pi * x_train) + 0.3 * torch.randn(12, generator=gen, dtype=f64)
    x_val = 2 * torch.rand(200, generator=gen, dtype=f64) - 1
    y_val = torch.sin(torch.pi * x_val) + 0.3 * torch.randn(200, generator=gen, dtype=f64)
    return x_train.numpy(), y_train.numpy(), x_val.numpy(), y_val.numpy()


def _ridge_errors(degree, lam):
    """scikit-learn's Ridge with an unpenalised intercept: alpha = m·λ turns its objective into the chapter's."""
    x_train, y_train, x_val, y_val = _polynomial_data()
    powers = lambda x: np.stack([x**k for k in range(1, degree + 1)], axis=1)
    if lam == 0:
        coef = np.polynomial.polynomial.polyfit(x_train, y_train, degree)
        predict = lambda x: np.polynomial.polynomial.polyval(x, coef)
        norm = np.linalg.norm(coef[1:])
    else:
        model = Ridge(alpha=len(x_train) * lam, solver="svd").fit(powers(x_train), y_train)
        predict = lambda x: model.predict(powers(x))
        norm = np.linalg.norm(model.coef_)
    mse = lambda x, y: float(np.mean((predict(x) - y) ** 2))
    return mse(x_train, y_train), mse(x_val, y_val), norm


def test_overfitting_degree(built_site):
    out = _output(built_site, "overfitting_degree.py")
    values = _values(built_site, "overfitting_degree.py")
    rows = {
        int(d): (float(tr), float(va), float(w))
        for d, tr, va, w in re.findall(r"^\s*(\d+)\s+\d+\s+([\d.]+)\s+([\d.]+)\s+(\S+)$", out, re.M)
    }
    assert sorted(rows) == list(range(12))
    x_train, y_train, x_val, y_val = _polynomial_data()
    train, val, largest = [], [], []
    for d in range(12):
        coef = np.polynomial.polynomial.polyfit(x_train, y_train, d)
        fit = lambda x, coef=coef: np.polynomial.polynomial.polyval(x, coef)
        train.append(np.mean((fit(x_train) - y_train) ** 2))
        val.append(np.mean((fit(x_val) - y_val) ** 2))
        largest.append(np.abs(coef).max())
        tr, va, w = rows[d]
        assert tr == pytest.approx(train[d], abs=6e-4)
        assert va == pytest.approx(val[d], rel=5e-3, abs=6e-4)
        assert w == pytest.approx(largest[d], rel=1e-2)
    best = int(np.argmin(val))
    # "At degree 3 the validation error drops to its lowest ... not far above the 0.09 that the noise costs"
    assert values["best_degree"] == best == 3  # the page's cubic, "close to the sine"
    assert values["val_mse_best"] == pytest.approx(val[best], rel=1e-6)
    assert 0.3**2 < values["val_mse_best"] < 1.5 * 0.3**2
    assert f"the noise alone costs {0.3**2:.2f}" in out
    # Degree 0 and 1 underfit: both errors high, and about equal.
    for d in (0, 1):
        assert min(train[d], val[d]) > 2 * 0.3**2 and abs(val[d] - train[d]) < 0.15 * val[d]
    # "the training error keeps falling" (nested least-squares fits) "and the validation error does not follow"
    assert all(b <= a + 1e-12 for a, b in zip(train, train[1:]))
    # Degree 11 interpolates the 12 points (training error 0) and is worse than a constant.
    assert train[11] < 1e-20
    assert values["val_mse_degree_11"] == pytest.approx(val[11], rel=1e-4)
    assert values["val_mse_degree_11"] > val[0] and values["val_mse_degree_11"] > 20 * val[best]
    # "the weights exploded": from a few units at degree 3 to thousands at degree 11
    assert values["largest_weight_degree_3"] == pytest.approx(largest[3], rel=1e-6)
    assert values["largest_weight_degree_11"] == pytest.approx(largest[11], rel=1e-3)
    assert largest[3] < 10 and 1e3 < largest[11] < 1e4
    assert values["largest_weight_degree_11"] > 100 * values["largest_weight_degree_3"]


def test_ridge_strength(built_site):
    out = _output(built_site, "ridge_strength.py")
    rows = re.findall(r"^\s*(\S+e[+-]\d+)\s+([\d.]+)\s+([\d.]+)\s+(\S+)$", out, re.M)
    assert len(rows) == 11
    for lam, tr, va, norm in rows:
        lam = float(lam)
        o_tr, o_va, o_norm = _ridge_errors(11, lam)
        rel = 2e-2 if lam < 1e-7 else 2e-3  # the tiniest penalties leave a badly conditioned problem
        assert float(tr) == pytest.approx(o_tr, rel=rel, abs=6e-4)
        assert float(va) == pytest.approx(o_va, rel=rel, abs=6e-4)
        assert float(norm) == pytest.approx(o_norm, rel=max(rel, 5e-3))
    values = _values(built_site, "ridge_strength.py")
    lams = [10.0**k for k in range(-9, 2)]
    oracle = [_ridge_errors(11, lam) for lam in lams]
    train, val, norm = (np.array(col) for col in zip(*oracle))
    best = int(np.argmin(val))
    assert lams[best] == 1e-3 and values["best_lambda_log10"] == round(math.log10(lams[best])) == -3
    assert f"lowest validation error at λ = {lams[best]:.0e}" in out
    # λ = 1e-9 overfits: a high validation error, weights of norm about 10^3.
    assert values["val_mse_weakest"] == pytest.approx(val[0], rel=2e-2)
    assert values["weight_norm_weakest"] == pytest.approx(norm[0], rel=2e-2) and 500 < norm[0] < 2000
    assert values["val_mse_weakest"] > 5 * values["val_mse_best"]
    # The best penalty: close to the best polynomial of the previous section, with a much smaller weight norm.
    assert values["val_mse_best"] == pytest.approx(val[best], rel=1e-6)
    assert values["weight_norm_best"] == pytest.approx(norm[best], rel=1e-6)
    best_poly = min(_ridge_errors(d, 0.0)[1] for d in range(12))
    assert abs(values["val_mse_best"] - best_poly) < 0.02
    assert values["weight_norm_best"] < values["weight_norm_weakest"] / 100
    # λ = 10: nearly the flat line, so both errors are high, close to a constant's (degree 0).
    const_train, const_val, _ = _ridge_errors(0, 0.0)
    assert values["train_mse_strongest"] == pytest.approx(train[-1], rel=1e-6)
    assert values["val_mse_strongest"] == pytest.approx(val[-1], rel=1e-6)
    assert values["train_mse_strongest"] == pytest.approx(const_train, rel=0.1)
    assert values["val_mse_strongest"] == pytest.approx(const_val, rel=0.1)
    # The figure: the training error rises steadily with λ; the validation error falls to its lowest and rises again.
    assert np.all(np.diff(train) > 0)
    assert np.all(np.diff(val[: best + 1]) < 0) and np.all(np.diff(val[best:]) > 0)


def test_underfitting(built_site):
    out = _output(built_site, "underfitting.py")
    rows = re.findall(r"^degree\s+(\d+)\s+(\S+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert len(rows) == 6
    for degree, lam, tr, va in rows:
        o_tr, o_va, _ = _ridge_errors(int(degree), float(lam))
        assert float(tr) == pytest.approx(o_tr, abs=6e-4) and float(va) == pytest.approx(o_va, rel=2e-3, abs=6e-4)
    assert f"(the noise alone costs {0.3**2:.2f})" in out
    values = _values(built_site, "underfitting.py")
    line, line_strong = _ridge_errors(1, 0.0), _ridge_errors(1, 0.1)
    poly, poly_mild, poly_strong = _ridge_errors(11, 0.0), _ridge_errors(11, 1e-3), _ridge_errors(11, 0.1)
    for name, oracle in [
        ("line_train_mse", line[0]),
        ("line_val_mse", line[1]),
        ("line_train_mse_penalised", line_strong[0]),
        ("line_val_mse_penalised", line_strong[1]),
        ("degree_11_val_mse", poly[1]),
        ("degree_11_val_mse_penalised", poly_strong[1]),
        ("degree_11_val_mse_mild", poly_mild[1]),
    ]:
        assert values[name] == pytest.approx(oracle, rel=1e-4), name
    # The line: training error far above the noise's 0.09, validation error close to it.
    assert values["line_train_mse"] > 2 * 0.3**2
    assert abs(values["line_val_mse"] - values["line_train_mse"]) < 0.15 * values["line_train_mse"]
    # A penalty makes the line worse on both sets ...
    assert values["line_train_mse_penalised"] > values["line_train_mse"]
    assert values["line_val_mse_penalised"] > values["line_val_mse"]
    # ... and cuts the degree-11 polynomial's validation error, λ = 1e-3 better still.
    assert values["degree_11_val_mse_penalised"] < values["degree_11_val_mse"] / 10
    assert values["degree_11_val_mse_mild"] < values["degree_11_val_mse_penalised"]


# --------------------------------------------------------------------------- #
# L1 and L2: one weight, and whole paths


def test_penalty_shrinkage(built_site):
    out = _output(built_site, "penalty_shrinkage.py")
    rows = [_floats(r) for r in re.findall(r"^\s*-?\d\.\d\s+.*$", out, re.M)]
    assert len(rows) == 8
    lam = 1.0
    for z, l1_grid, l1_formula, l2_grid, l2_formula in rows:
        soft = math.copysign(max(abs(z) - lam, 0.0), z)
        assert l1_grid == pytest.approx(soft, abs=1e-4) and l1_formula == pytest.approx(soft, abs=1e-4)
        assert l2_grid == pytest.approx(z / 2, abs=1e-4) and l2_formula == pytest.approx(z / 2, abs=1e-4)
    zs = {r[0]: r for r in rows}
    assert zs[0.5][1] == 0.0 and zs[0.9][1] == 0.0 and zs[3.0][1] == 2.0 and zs[3.0][3] == 1.5


def _paths_data():
    gen = torch.Generator().manual_seed(0)
    f64 = torch.float64
    X = torch.randn(50, 8, generator=gen, dtype=f64)
    X[:, 1] = X[:, 0] + 0.1 * torch.randn(50, generator=gen, dtype=f64)
    X = (X - X.mean(dim=0)) / X.std(dim=0, unbiased=False)
    w_true = torch.tensor([1.5, 1.5, -2.0, 1.0, 0.0, 0.0, 0.0, 0.0], dtype=f64)
    y = X @ w_true + torch.randn(50, generator=gen, dtype=f64)
    return X.numpy(), (y - y.mean()).numpy()


def test_l1_l2_paths(built_site):
    out = _output(built_site, "l1_l2_paths.py")
    X, y = _paths_data()
    m = len(y)
    lam_max = np.abs(X.T @ y / m).max()
    values = _values(built_site, "l1_l2_paths.py")
    assert values["lam_max"] == pytest.approx(lam_max, rel=1e-9)
    assert f"max|Xᵀy|/m = {lam_max:.3f}" in out
    # "Every weight of the lasso is zero once λ ≥ max|Xᵀy|/m", and not below it.
    assert np.all(Lasso(alpha=lam_max * 1.001, fit_intercept=False).fit(X, y).coef_ == 0)
    assert np.any(Lasso(alpha=lam_max * 0.99, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y).coef_ != 0)
    # Features 0 and 1 are near-copies.
    correlation = np.corrcoef(X[:, 0], X[:, 1])[0, 1]
    assert values["correlation"] == pytest.approx(correlation, rel=1e-9) and correlation > 0.99

    lam = 10**-0.5
    assert f"weights at λ = {lam:.2f}" in out and lam == pytest.approx(0.32, abs=0.005)  # the λ the text marks
    oracles = {
        "lasso (L1), r = 1": Lasso(alpha=lam, fit_intercept=False, tol=1e-12, max_iter=100_000),
        "elastic net, r = 0.5": ElasticNet(alpha=lam, l1_ratio=0.5, fit_intercept=False, tol=1e-12, max_iter=100_000),
        "ridge (L2), r = 0": Ridge(alpha=m * lam, fit_intercept=False),
    }
    expected_zeros = {"lasso (L1), r = 1": 4, "elastic net, r = 0.5": 3, "ridge (L2), r = 0": 0}
    for name, model in oracles.items():
        line = re.search(re.escape(name) + r"\s+(.*)$", out, re.M)[1]
        *weights, zeros = _floats(line)
        coef = model.fit(X, y).coef_
        np.testing.assert_allclose(weights, coef, atol=6e-3)
        assert int(zeros) == int(np.sum(coef == 0)) == expected_zeros[name]
        assert f"{name}: every nudge raises the objective: True" in out
    coefs = {name[:5]: model.coef_ for name, model in oracles.items()}  # "lasso", "elast", "ridge"
    for short, key in [("lasso", "lasso"), ("elast", "enet"), ("ridge", "ridge")]:
        for j in (0, 1):
            assert values[f"{key}_w{j}"] == pytest.approx(coefs[short][j], abs=2e-3)  # FISTA's 2000 steps
        assert values[f"{key}_zeros"] == int(np.sum(coefs[short] == 0))
    # The lasso: all four noise weights exactly zero, the twins' weight split very unevenly.
    assert np.all(coefs["lasso"][4:] == 0) and values["lasso_zeros"] == 4
    assert values["lasso_w0"] > 5 * values["lasso_w1"] > 0
    # Ridge: the twins share fairly, and no weight is zero.
    assert abs(values["ridge_w0"] - values["ridge_w1"]) < 0.05 * values["ridge_w0"] and values["ridge_zeros"] == 0
    # The elastic net: the twins share, and some (not all) of the four noise weights are zero.
    assert abs(values["enet_w0"] - values["enet_w1"]) < 0.1 * values["enet_w0"]
    assert values["enet_zeros"] == int(np.sum(coefs["elast"][4:] == 0)) and 0 < values["enet_zeros"] < 4
    # The figure: along the lasso path one twin takes the weight while the other drops to zero.
    path_lams = np.logspace(-2.5, 1.5, 41)
    path = [Lasso(alpha=a, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y).coef_ for a in path_lams]
    assert any(c[0] > 0.5 and c[1] == 0 for c in path)


def test_weight_decay(built_site):
    out = _output(built_site, "weight_decay.py")
    assert "1 − αλ = 0.995" in out and 1 - 0.1 * 0.05 == pytest.approx(0.995)
    assert "penalty in the loss = weight_decay:      True" in out
    assert "penalty in the loss = shrink, then step: True" in out

    # Oracle: torch.optim.SGD, with and without weight_decay, on the same data (drawn as lessonlib.data draws it).
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(64, 5, generator=gen)
    W = torch.randn(5, generator=gen)
    y = X @ W + 0.5 * torch.randn(64, generator=gen)
    X, y = X.double(), y.double()

    def run(weight_decay):
        torch.manual_seed(0)
        model = nn.Linear(5, 1).double()
        opt = torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=weight_decay)
        for _ in range(100):
            opt.zero_grad()
            (0.5 * F.mse_loss(model(X).squeeze(1), y)).backward()
            opt.step()
        return torch.cat([p.detach().flatten() for p in model.parameters()])

    decayed, plain = run(0.05), run(0.0)
    values = _values(built_site, "weight_decay.py")
    assert values["norm_with_decay"] == pytest.approx(decayed.norm().item(), rel=1e-9)
    assert values["norm_without_decay"] == pytest.approx(plain.norm().item(), rel=1e-9)
    assert values["norm_with_decay"] < values["norm_without_decay"]  # the decay pulled the weights in
    shown = _floats(re.search(r"weights with decay:\s+(.*)$", out, re.M)[1])
    np.testing.assert_allclose(shown, decayed.numpy(), atol=6e-4)


def test_decay_half_life(built_site):
    values = _values(built_site, "exercise_decay_half_life.py")
    alpha_lambda = 0.1 * 0.01
    half = math.log(2) / -math.log(1 - alpha_lambda)
    assert values["half_life"] == pytest.approx(half, rel=1e-12)
    assert half == pytest.approx(math.log(2) / alpha_lambda, rel=1e-3)  # "≈ ln 2/(αλ)"
    first_below = next(t for t in range(1, 2000) if (1 - alpha_lambda) ** t < 0.5)
    assert values["steps_below_half"] == first_below == math.ceil(half)  # "below half after" the next whole step
    # The prose's second case: α = 0.1, λ = 5e-4 halves a weight in about 1.4e4 steps.
    assert math.log(2) / -math.log(1 - 0.1 * 5e-4) == pytest.approx(1.4e4, rel=0.01)


def test_ridge_as_augmented_least_squares(built_site):
    out = _output(built_site, "exercise_ridge_augmentation.py")
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(20, 5, generator=gen, dtype=torch.float64).numpy()
    y = torch.randn(20, generator=gen, dtype=torch.float64).numpy()
    coef = Ridge(alpha=20 * 0.1, fit_intercept=False).fit(X, y).coef_
    for label in ("ridge:", "least squares, aug:"):
        np.testing.assert_allclose(_floats(re.search(re.escape(label) + r"\s+(.*)$", out, re.M)[1]), coef, atol=6e-5)
    assert "the same up to 1e-10: True" in out


def test_l1_subgradient(built_site):
    out = _output(built_site, "exercise_l1_subgradient.py")
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(100, 8, generator=gen, dtype=torch.float64)
    w_true = torch.tensor([2.0, -3.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0], dtype=torch.float64)
    y = X @ w_true + 0.5 * torch.randn(100, generator=gen, dtype=torch.float64)
    coef = Lasso(alpha=0.1, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X.numpy(), y.numpy()).coef_
    proximal = _floats(re.search(r"proximal:\s+(.*)$", out, re.M)[1])
    np.testing.assert_allclose(proximal, coef, atol=6e-4)
    assert f"exact zeros, SGD: 0   proximal: {int(np.sum(coef == 0))}" in out and int(np.sum(coef == 0)) == 5
    sgd = _floats(re.search(r"SGD:\s+(.*)$", out, re.M)[1])
    np.testing.assert_allclose(sgd, coef, atol=1e-2)  # close to the lasso solution, but no exact zeros
    small = float(re.search(r"the truth is 0: (\S+)", out)[1])
    assert 0 < small < 2 * 0.05 * 0.1


# --------------------------------------------------------------------------- #
# Early stopping and dropout on two moons, re-run in float64 with torch.optim.Adam


def _moons():
    """Two moons (seed 1) as sklearn.datasets.make_moons draws them, in lessonlib.data's generator order, then split."""
    f64 = torch.float64
    g = torch.Generator().manual_seed(1)
    t = torch.linspace(0, math.pi, 150, dtype=f64)
    X = torch.cat([torch.stack([t.cos(), t.sin()], 1), torch.stack([1 - t.cos(), 0.5 - t.sin()], 1)])
    X = X + 0.3 * torch.randn(300, 2, generator=g, dtype=f64)
    y = torch.cat([torch.zeros(150, dtype=torch.int64), torch.ones(150, dtype=torch.int64)])
    order = torch.randperm(300, generator=g)
    X, y = X[order], y[order]
    split = torch.randperm(300, generator=torch.Generator().manual_seed(0))
    parts = split[:100], split[100:200], split[200:]
    return [(X[i], y[i]) for i in parts]


def _dropout(h, p):
    """Inverted dropout written out: keep where a uniform draw is at least p, scale the kept by 1/(1 - p)."""
    return h * (torch.rand(h.shape, dtype=h.dtype) >= p).to(h.dtype) / (1 - p)


def _train_moons(p, epochs=300):
    (X_train, y_train), (X_val, y_val), (X_test, y_test) = _moons()
    torch.manual_seed(0)
    layers = [
        nn.Linear(2, 64, dtype=torch.float64),
        nn.Linear(64, 64, dtype=torch.float64),
        nn.Linear(64, 2, dtype=torch.float64),
    ]
    params = [q for layer in layers for q in layer.parameters()]
    opt = torch.optim.Adam(params, lr=0.01, foreach=False)  # the single-tensor path: one equation a line

    def forward(X, training):
        h = X
        for layer in layers[:2]:
            h = torch.relu(layer(h))
            if training and p > 0:
                h = _dropout(h, p)
        return layers[2](h)

    curves = {"train": [], "val": [], "val acc": [], "test": [], "test acc": [], "test predictions": []}
    for _ in range(epochs + 1):
        with torch.no_grad():
            for name, X, y in [("train", X_train, y_train), ("val", X_val, y_val), ("test", X_test, y_test)]:
                logits = forward(X, training=False)
                curves[name].append(F.cross_entropy(logits, y).item())
                if name != "train":
                    curves[f"{name} acc"].append((logits.argmax(1) == y).double().mean().item())
            curves["test predictions"].append(logits.argmax(1))  # the test set's, from the last pass
        loss = F.cross_entropy(forward(X_train, training=True), y_train)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return curves, sum(q.numel() for q in params)


@pytest.fixture(scope="module")
def moons_runs():
    return {p: _train_moons(p) for p in (0.0, 0.5)}


# In float64 torch's Adam and cross-entropy and lessonlib's differ in the last bits only, and 300 epochs of
# overfitting amplify that to far below these tolerances (in float32 they drifted apart by several per cent).
CLOSE = {"rel": 1e-6, "abs": 1e-9}


def test_early_stopping(built_site, moons_runs):
    values = _values(built_site, "early_stopping.py")
    curves, n_params = moons_runs[0.0]
    assert n_params == 4482  # "two hidden layers of 64 ReLU units (4482 parameters)"
    val, train, test = curves["val"], curves["train"], curves["test"]
    best = min(range(len(val)), key=val.__getitem__)
    # The stopping rule, written out: stop after 20 epochs in a row without a new best.
    best_so_far, bad, stop = math.inf, 0, None
    for epoch, v in enumerate(val):
        if v < best_so_far:
            best_so_far, bad = v, 0
        else:
            bad += 1
            if bad == 20:
                stop = epoch
                break
    assert values["best_epoch"] == best and values["stop_epoch"] == stop == best + 20
    assert values["val_loss_best"] == pytest.approx(val[best], **CLOSE)
    assert values["train_loss_final"] == pytest.approx(train[-1], **CLOSE)
    assert values["val_loss_final"] == pytest.approx(val[-1], **CLOSE)
    assert values["test_loss_best"] == pytest.approx(test[best], **CLOSE)
    assert values["test_loss_final"] == pytest.approx(test[-1], **CLOSE)
    assert values["test_accuracy_best"] == pytest.approx(curves["test acc"][best], abs=1e-6)  # counts out of 100
    assert values["test_accuracy_final"] == pytest.approx(curves["test acc"][-1], abs=1e-6)
    # "For the first few dozen epochs ... the validation loss is lowest at epoch <best>"
    assert 10 <= best <= 60
    # "has more than tripled by epoch 300, while the training loss keeps falling"
    assert values["val_loss_final"] > 3 * values["val_loss_best"]
    assert train[-1] < 0.25 * train[best] and train[-1] == pytest.approx(min(train[best:]), rel=0.05)
    # "stops at epoch <stop>, after about a sixth of the budget"
    assert abs(stop / 300 - 1 / 6) < 0.02
    # The test set: a loss more than five times as high after 300 epochs, an accuracy that drops,
    # and most test points still classified the same way.
    assert values["test_loss_final"] > 5 * values["test_loss_best"]
    assert values["test_accuracy_final"] < values["test_accuracy_best"]
    same = (curves["test predictions"][best] == curves["test predictions"][-1]).double().mean().item()
    assert same > 0.5


def test_dropout_gap(built_site, moons_runs):
    values = _values(built_site, "dropout_gap.py")
    for p, key in [(0.0, "plain"), (0.5, "dropout")]:
        curves, _ = moons_runs[p]
        assert values[f"train_loss_{key}"] == pytest.approx(curves["train"][-1], **CLOSE)
        assert values[f"val_loss_{key}"] == pytest.approx(curves["val"][-1], **CLOSE)
        assert values[f"gap_{key}"] == pytest.approx(curves["val"][-1] - curves["train"][-1], **CLOSE)
        assert values[f"best_val_loss_{key}"] == pytest.approx(min(curves["val"]), **CLOSE)
        assert values[f"val_accuracy_{key}"] == pytest.approx(curves["val acc"][-1], abs=1e-6)  # counts out of 100
    # "The network of the early-stopping example ... trained exactly as before": p = 0 is that run.
    early = _values(built_site, "early_stopping.py")
    assert values["train_loss_plain"] == pytest.approx(early["train_loss_final"], rel=1e-9)
    assert values["val_loss_plain"] == pytest.approx(early["val_loss_final"], rel=1e-9)
    assert values["best_val_loss_plain"] == pytest.approx(early["val_loss_best"], rel=1e-9)
    # "with p = 0.5 it is only ...": a gap many times smaller
    assert values["gap_dropout"] < values["gap_plain"] / 5
    # "the best validation loss during the run is also lower with dropout, and the final validation accuracy is higher"
    assert values["best_val_loss_dropout"] < values["best_val_loss_plain"]
    assert values["val_accuracy_dropout"] > values["val_accuracy_plain"]
    # "The price is visible in the training loss, which stays higher"
    assert values["train_loss_dropout"] > 2 * values["train_loss_plain"]
    # The figure: with dropout the training loss falls slowly and the validation loss stays near 0.3.
    dropped, _ = moons_runs[0.5]
    assert dropped["train"][-1] < dropped["train"][50]
    assert all(0.2 < v < 0.4 for v in dropped["val"][50:])


# --------------------------------------------------------------------------- #
# Dropout's expectation, batch norm's noise, the variance shift


def test_dropout_expectation(built_site):
    out = _output(built_site, "dropout_expectation.py")
    a = np.array([0.8, 2.0, 0.0, 1.2, 0.4, 1.6])
    p, draws = 0.5, 20_000
    row = lambda label: np.array(_floats(re.search(re.escape(label) + r":\s+(\[.*\])", out)[1]))
    one_classic, one_inverted = row("classic,  one training pass"), row("inverted, one training pass")
    assert all(v == 0 or v == pytest.approx(x) for v, x in zip(one_classic, a))
    assert all(v == 0 or v == pytest.approx(x / (1 - p)) for v, x in zip(one_inverted, a))
    np.testing.assert_allclose(row("classic,  test time (1 − p)·a"), (1 - p) * a)
    np.testing.assert_allclose(row("inverted, test time a"), a)
    # Means of 20 000 Bernoulli draws: within 4 standard errors (plus rounding) of the expectation.
    se_classic = a * math.sqrt(p * (1 - p) / draws)
    se_inverted = se_classic / (1 - p)
    assert np.all(np.abs(row(f"classic,  mean of {draws} passes") - (1 - p) * a) <= 4 * se_classic + 0.005)
    assert np.all(np.abs(row(f"inverted, mean of {draws} passes") - a) <= 4 * se_inverted + 0.005)


def test_dropout_average(built_site):
    out = _output(built_site, "exercise_dropout_average.py")
    rows = {
        name.strip(): (float(avg), float(test))
        for name, avg, test in re.findall(r"^(.*?)\s+mean of 20000 passes\s+(\S+)\s+test time\s+(\S+)$", out, re.M)
    }
    linear_avg, linear_test = rows["dropout → linear"]
    relu_avg, relu_test = rows["ReLU network with dropout"]
    # Linear after dropout: the expectation is exact, so only Monte Carlo error (well under 0.02 here) remains.
    assert abs(linear_avg - linear_test) < 0.02
    assert abs(relu_avg - relu_test) > 0.03


def test_batch_norm_noise(built_site):
    out = _output(built_site, "batch_norm_noise.py")
    rows = [_floats(r) for r in re.findall(r"^\s+\d+\s+[-\d.]+\s+[\d.]+\s+[\d.]+$", out, re.M)]
    assert [int(r[0]) for r in rows] == [4, 16, 64, 256]
    rng = np.random.default_rng(1)
    for B, mean, std, approx in rows:
        B = int(B)
        assert approx == pytest.approx(math.sqrt(1.5 / B), abs=5e-4)
        others = rng.standard_normal((20_000, B - 1))
        batch = np.concatenate([np.ones((20_000, 1)), others], axis=1)
        z = (1.0 - batch.mean(axis=1)) / np.sqrt(batch.var(axis=1) + 1e-5)
        assert std == pytest.approx(z.std(), rel=0.05)
        assert mean == pytest.approx(z.mean(), abs=0.02)
        if B >= 64:
            assert std == pytest.approx(approx, rel=0.03)
    values = _values(built_site, "batch_norm_noise.py")
    shown = {int(r[0]): r for r in rows}
    for name, B, column in [
        ("mean_batch_4", 4, 1),
        ("std_batch_4", 4, 2),
        ("std_batch_16", 16, 2),
        ("std_batch_256", 256, 2),
    ]:
        assert values[name] == pytest.approx(shown[B][column], abs=5e-4), name
    # "The noise shrinks like 1/√B": sixteen times the batch, a quarter of the spread.
    assert values["std_batch_16"] / values["std_batch_256"] == pytest.approx(4, rel=0.05)
    assert values["std_batch_256"] == pytest.approx(math.sqrt(1.5 / 256), rel=0.03)
    # "With B = 4 the approximation fails ... and the normalised value is also biased"
    assert abs(values["std_batch_4"] - math.sqrt(1.5 / 4)) > 0.05 and math.sqrt(1.5 / 4) == pytest.approx(
        0.61, abs=0.005
    )
    assert values["mean_batch_4"] < 1 - 0.02


def test_dropout_before_batch_norm(built_site):
    out = _output(built_site, "dropout_before_bn.py")
    m = re.search(r"dropout → batch norm\s+running var\s+([\d.]+)\s+output std: train ([\d.]+), eval ([\d.]+)", out)
    var, train_std, eval_std = (float(v) for v in m.groups())
    p = 0.5
    values = _values(built_site, "dropout_before_bn.py")
    assert values["running_var_dropout_first"] == pytest.approx(var, abs=5e-3)
    assert values["running_var_dropout_first"] == pytest.approx(1 / (1 - p), abs=0.1)  # "settles near 2"
    assert train_std == pytest.approx(1.0, abs=0.02)
    # "a standard deviation of about 1/√2 ≈ 0.71 instead of 1"
    assert values["eval_std_dropout_first"] == pytest.approx(eval_std, abs=5e-3)
    assert values["eval_std_dropout_first"] == pytest.approx(math.sqrt(1 - p), abs=0.03)
    assert math.sqrt(1 - p) == pytest.approx(0.71, abs=0.005)
    m = re.search(r"batch norm → dropout\s+running var\s+([\d.]+)\s+output std: train ([\d.]+), eval ([\d.]+)", out)
    var, train_std, eval_std = (float(v) for v in m.groups())
    assert var == pytest.approx(1.0, abs=0.05)
    assert train_std == pytest.approx(math.sqrt(1 / (1 - p)), abs=0.03) and eval_std == pytest.approx(1.0, abs=0.02)
    assert "1/(1 − p) = 2, in training only" in out


# --------------------------------------------------------------------------- #
# Data augmentation, re-run in float64 with torch.optim.Adam


def _rings(n, gen, noise=0.15):
    """The rings, drawn in float32 as the snippet draws them, then float64 for training."""
    y = torch.arange(n) % 2
    radius = torch.where(y == 0, 0.5, 1.0) + noise * torch.randn(n, generator=gen)
    angle = 2 * torch.pi * torch.rand(n, generator=gen)
    return torch.stack([radius * angle.cos(), radius * angle.sin()], dim=1).double(), y


def _train_rings(X, y, augment, epochs=120):
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2)).double()
    opt = torch.optim.Adam(model.parameters(), lr=0.01, foreach=False)
    for _ in range(epochs):
        if augment:
            angle = 2 * torch.pi * torch.rand(len(X), generator=gen).double()
            c, s = angle.cos(), angle.sin()
            X_epoch = torch.stack([c * X[:, 0] - s * X[:, 1], s * X[:, 0] + c * X[:, 1]], dim=1)
        else:
            X_epoch = X
        loss = F.cross_entropy(model(X_epoch), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def test_augmentation(built_site):
    out = _output(built_site, "augmentation.py")
    values = _values(built_site, "augmentation.py")
    rows = {int(s): [float(v) for v in rest.split()] for s, rest in re.findall(r"^\s+(\d)\s+(.*)$", out, re.M)}
    assert sorted(rows) == [0, 1, 2, 3, 4]
    X_val, y_val = _rings(1000, torch.Generator().manual_seed(100))
    oracle = []  # per draw: loss plain, loss rotated, accuracy plain, accuracy rotated
    for seed in range(5):
        X, y = _rings(16, torch.Generator().manual_seed(seed))
        losses, accuracies = [], []
        for augment in (False, True):
            model = _train_rings(X, y, augment)
            with torch.no_grad():
                logits = model(X_val)
            losses.append(F.cross_entropy(logits, y_val).item())
            accuracies.append((logits.argmax(1) == y_val).double().mean().item())
        oracle.append(losses + accuracies)
        np.testing.assert_allclose(rows[seed], oracle[-1], atol=6e-4)
    mean = np.mean(oracle, axis=0)
    names = ["mean_val_loss_plain", "mean_val_loss_rotated", "mean_val_accuracy_plain", "mean_val_accuracy_rotated"]
    for name, m in zip(names, mean):
        assert values[name] == pytest.approx(m, rel=1e-6), name
    # On average the rotated copies raise the accuracy and cut the loss (to about a quarter here).
    assert values["mean_val_accuracy_rotated"] > values["mean_val_accuracy_plain"] + 0.03
    assert values["mean_val_loss_rotated"] < values["mean_val_loss_plain"] / 2
    # "the accuracy improves on 4 of the five draws and gets slightly worse on the other"
    improved = [acc_rot > acc_plain for _, _, acc_plain, acc_rot in oracle]
    assert values["draws_improved"] == sum(improved) == 4
    worse = [acc_plain - acc_rot for _, _, acc_plain, acc_rot in oracle if acc_rot <= acc_plain]
    assert len(worse) == 1 and 0 < worse[0] < 0.02
    # The best possible accuracy: a point is misclassified when its radial noise crosses the boundary at 0.75.
    bayes = 0.5 * (1 + math.erf(0.25 / 0.15 / math.sqrt(2)))
    assert bayes == pytest.approx(0.952, abs=0.0005)
    assert max(acc_rot for *_, acc_rot in oracle) > bayes  # "a finite validation set can land a little above that"


def test_early_stopping_exercise(built_site):
    out = _output(built_site, "exercise_early_stopping.py")
    losses = [0.90, 0.70, 0.62, 0.63, 0.61, 0.607, 0.612, 0.64, 0.66, 0.58]
    best, best_epoch, bad = math.inf, None, 0
    for epoch, v in enumerate(losses):
        if v < best - 0.005:
            best, best_epoch, bad = v, epoch, 0
        else:
            bad += 1
        if bad == 3:
            break
    assert (epoch, best_epoch) == (7, 4)  # the solution's hand count
    assert f"stopped after epoch {epoch}; restore the weights of epoch {best_epoch}" in out
    values = _values(built_site, "exercise_early_stopping.py")
    assert (values["stop_epoch"], values["best_epoch"]) == (epoch, best_epoch)
    assert not 0.607 < 0.61 - 0.005  # epoch 5 is not an improvement
    assert losses.index(min(losses)) > epoch  # "The 0.58 at epoch 9 is never seen"
