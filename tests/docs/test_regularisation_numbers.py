"""The numbers chapter 12 states, checked against independent oracles (not lessonlib).

The polynomial fits against NumPy's polyfit and scikit-learn's Ridge, the
regularisation paths against scikit-learn's Lasso, ElasticNet and Ridge, the
training experiments re-run with torch.optim and torch.nn.functional, and the
statistical claims (dropout's expectation, batch norm's noise, the variance
shift) against closed forms or a NumPy Monte Carlo of their own.
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
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


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
    rows = {int(d): (float(tr), float(va), float(w)) for d, tr, va, w in
            re.findall(r"^\s*(\d+)\s+\d+\s+([\d.]+)\s+([\d.]+)\s+(\S+)$", out, re.M)}
    assert sorted(rows) == list(range(12))
    x_train, y_train, x_val, y_val = _polynomial_data()
    for d, (tr, va, w) in rows.items():
        coef = np.polynomial.polynomial.polyfit(x_train, y_train, d)
        fit = lambda x: np.polynomial.polynomial.polyval(x, coef)
        assert tr == pytest.approx(np.mean((fit(x_train) - y_train) ** 2), abs=6e-4)
        assert va == pytest.approx(np.mean((fit(x_val) - y_val) ** 2), rel=5e-3, abs=6e-4)
        assert w == pytest.approx(np.abs(coef).max(), rel=1e-2)
    assert "lowest validation error: degree 3; the noise alone costs 0.09" in out and 0.3**2 == pytest.approx(0.09)
    assert rows[3][1] == 0.111 and rows[3][2] == 2.76
    assert rows[11][0] == 0.0 and rows[11][1] == 3.111 and rows[11][2] == pytest.approx(2.08e3)
    assert rows[11][1] > rows[0][1]  # worse than predicting a constant


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
    assert "lowest validation error at λ = 1e-03" in out
    table = {float(r[0]): r[1:] for r in rows}
    assert table[1e-3] == ("0.030", "0.123", "3.94")
    assert table[1e-9][1] == "0.746" and table[1e-9][2] == "1e+03"
    assert table[10.0][:2] == ("0.582", "0.593")


def test_underfitting(built_site):
    out = _output(built_site, "underfitting.py")
    rows = re.findall(r"^degree\s+(\d+)\s+(\S+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert len(rows) == 6
    for degree, lam, tr, va in rows:
        o_tr, o_va, _ = _ridge_errors(int(degree), float(lam))
        assert float(tr) == pytest.approx(o_tr, abs=6e-4) and float(va) == pytest.approx(o_va, rel=2e-3, abs=6e-4)
    table = {(int(d), float(lam)): (tr, va) for d, lam, tr, va in rows}
    assert table[1, 0.0] == ("0.250", "0.282") and table[1, 0.1] == ("0.267", "0.301")
    assert table[11, 0.0] == ("0.000", "3.111") and table[11, 0.1] == ("0.195", "0.243")
    assert "(the noise alone costs 0.09)" in out


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
    assert f"max|Xᵀy|/m = {lam_max:.3f}" in out and f"{lam_max:.3f}" == "3.401"
    assert np.all(Lasso(alpha=lam_max * 1.001, fit_intercept=False).fit(X, y).coef_ == 0)
    assert np.any(Lasso(alpha=lam_max * 0.99, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y).coef_ != 0)
    assert np.corrcoef(X[:, 0], X[:, 1])[0, 1] == pytest.approx(0.995, abs=2e-3)

    lam = 10**-0.5
    assert f"weights at λ = {lam:.2f}" in out and f"{lam:.2f}" == "0.32"
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
    lasso_line = _floats(re.search(r"lasso \(L1\), r = 1\s+(.*)$", out, re.M)[1])
    enet_line = _floats(re.search(r"elastic net, r = 0.5\s+(.*)$", out, re.M)[1])
    ridge_line = _floats(re.search(r"ridge \(L2\), r = 0\s+(.*)$", out, re.M)[1])
    assert lasso_line[:2] == [2.51, 0.37] and enet_line[:2] == [1.43, 1.38] and ridge_line[:2] == [1.38, 1.37]


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
    assert f"|θ| with decay {decayed.norm().item():.3f}, without {plain.norm().item():.3f}" in out
    assert "|θ| with decay 2.173, without 2.305" in out
    shown = _floats(re.search(r"weights with decay:\s+(.*)$", out, re.M)[1])
    np.testing.assert_allclose(shown, decayed.numpy(), atol=6e-4)


def test_decay_half_life(built_site):
    out = _output(built_site, "exercise_decay_half_life.py")
    half = math.log(2) / -math.log(1 - 0.1 * 0.01)
    assert f"predicted half-life: {half:.1f} steps" in out and f"{half:.1f}" == "692.8"
    assert "ln 2/(αλ) = 693.1" in out
    first_below = next(t for t in range(1, 2000) if (1 - 0.1 * 0.01) ** t < 0.5)
    assert first_below == 693 and f"after {first_below} steps" in out
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
# Early stopping and dropout on two moons, re-run with torch.optim.Adam


def _moons():
    """Two moons as sklearn.datasets.make_moons draws them, with lessonlib.data's generator order, then split."""
    g = torch.Generator().manual_seed(0)
    t = torch.linspace(0, math.pi, 150)
    X = torch.cat([torch.stack([t.cos(), t.sin()], 1), torch.stack([1 - t.cos(), 0.5 - t.sin()], 1)])
    X = X + 0.3 * torch.randn(300, 2, generator=g)
    y = torch.cat([torch.zeros(150, dtype=torch.int64), torch.ones(150, dtype=torch.int64)])
    order = torch.randperm(300, generator=g)
    X, y = X[order], y[order]
    split = torch.randperm(300, generator=torch.Generator().manual_seed(0))
    parts = split[:100], split[100:200], split[200:]
    return [(X[i], y[i]) for i in parts]


def _dropout(h, p):
    """Inverted dropout written out: keep where a uniform draw is at least p, scale the kept by 1/(1 - p)."""
    return h * (torch.rand(h.shape) >= p).to(h.dtype) / (1 - p)


def _train_moons(p, epochs=300):
    (X_train, y_train), (X_val, y_val), (X_test, y_test) = _moons()
    torch.manual_seed(0)
    layers = [nn.Linear(2, 64), nn.Linear(64, 64), nn.Linear(64, 2)]
    params = [q for layer in layers for q in layer.parameters()]
    opt = torch.optim.Adam(params, lr=0.01, foreach=False)  # the single-tensor path: one equation a line

    def forward(X, training):
        h = X
        for layer in layers[:2]:
            h = torch.relu(layer(h))
            if training and p > 0:
                h = _dropout(h, p)
        return layers[2](h)

    curves = {"train": [], "val": [], "val acc": [], "test": [], "test acc": []}
    for _ in range(epochs + 1):
        with torch.no_grad():
            for name, X, y in [("train", X_train, y_train), ("val", X_val, y_val), ("test", X_test, y_test)]:
                logits = forward(X, training=False)
                curves[name].append(F.cross_entropy(logits, y).item())
                if name != "train":
                    curves[f"{name} acc"].append((logits.argmax(1) == y).float().mean().item())
        loss = F.cross_entropy(forward(X_train, training=True), y_train)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return curves, sum(q.numel() for q in params)


@pytest.fixture(scope="module")
def one_thread():
    """Train as the snippets do, on one thread (matrix products may round differently on two)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def moons_runs(one_thread):
    return {p: _train_moons(p) for p in (0.0, 0.5)}


def test_early_stopping(built_site, moons_runs):
    out = _output(built_site, "early_stopping.py")
    curves, n_params = moons_runs[0.0]
    assert n_params == 4482
    val = curves["val"]
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
    assert (best, stop) == (23, 43)
    assert f"best validation loss {val[best]:.3f} at epoch {best}; patience 20 stops the run at epoch {stop}" in out
    shown = {int(e): (float(a), float(b)) for e, a, b in
             re.findall(r"^epoch\s+(\d+): train loss ([\d.]+)\s+val loss ([\d.]+)$", out, re.M)}
    for epoch, (tr, va) in shown.items():
        # lessonlib's cross-entropy and torch's round differently in the last bit; deep in the overfitting regime
        # the two runs drift apart by a few per cent, so the late validation loss gets a looser tolerance.
        assert tr == pytest.approx(curves["train"][epoch], rel=0.02, abs=2e-3)
        assert va == pytest.approx(curves["val"][epoch], rel=0.02 if epoch < 100 else 0.06, abs=2e-3)
    best_test = re.search(r"restored best weights: ([\d.]+) / ([\d.]+)", out)
    last_test = re.search(r"after all 300 epochs: ([\d.]+) / ([\d.]+)", out)
    assert float(best_test[1]) == pytest.approx(curves["test"][best], rel=0.02)
    assert float(last_test[1]) == pytest.approx(curves["test"][-1], rel=0.02)
    assert float(best_test[2]) == pytest.approx(curves["test acc"][best], abs=0.011)
    assert float(last_test[2]) == pytest.approx(curves["test acc"][-1], abs=0.011)
    assert (best_test[1], best_test[2], last_test[1], last_test[2]) == ("0.221", "0.90", "1.488", "0.89")
    assert shown[23] == (0.281, 0.283) and shown[300] == (0.062, 0.965)
    assert shown[300][1] / shown[23][1] > 3  # "more than tripled"
    assert abs(stop / 300 - 1 / 7) < 0.005  # "a seventh of the budget"


def test_dropout_gap(built_site, moons_runs):
    out = _output(built_site, "dropout_gap.py")
    rows = {float(p): [float(v) for v in rest.split()] for p, rest in
            re.findall(r"^dropout p = ([\d.]+)\s+(.*)$", out, re.M)}
    assert sorted(rows) == [0.0, 0.5]
    for p, (train, val, gap, best_val, acc) in rows.items():
        curves, _ = moons_runs[p]
        assert train == pytest.approx(curves["train"][-1], rel=0.03, abs=2e-3)
        assert val == pytest.approx(curves["val"][-1], rel=0.06, abs=2e-3)  # see test_early_stopping
        assert best_val == pytest.approx(min(curves["val"]), rel=0.02, abs=2e-3)
        assert acc == pytest.approx(curves["val acc"][-1], abs=0.011)
        assert gap == pytest.approx(val - train, abs=1.5e-3)
    assert rows[0.0] == [0.062, 0.965, 0.904, 0.283, 0.90]
    assert rows[0.5] == [0.168, 0.377, 0.209, 0.259, 0.93]


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
    rows = {name.strip(): (float(avg), float(test)) for name, avg, test in
            re.findall(r"^(.*?)\s+mean of 20000 passes\s+(\S+)\s+test time\s+(\S+)$", out, re.M)}
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
    stds = {int(r[0]): r[2] for r in rows}
    assert (stds[16], stds[256]) == (0.308, 0.077) and rows[0][1] == 0.958


def test_dropout_before_batch_norm(built_site):
    out = _output(built_site, "dropout_before_bn.py")
    m = re.search(r"dropout → batch norm\s+running var\s+([\d.]+)\s+output std: train ([\d.]+), eval ([\d.]+)", out)
    var, train_std, eval_std = (float(v) for v in m.groups())
    p = 0.5
    assert var == pytest.approx(1 / (1 - p), abs=0.1) and var == 1.96
    assert train_std == pytest.approx(1.0, abs=0.02)
    assert eval_std == pytest.approx(math.sqrt(1 - p), abs=0.03) and f"{math.sqrt(1 - p):.2f}" == "0.71"
    m = re.search(r"batch norm → dropout\s+running var\s+([\d.]+)\s+output std: train ([\d.]+), eval ([\d.]+)", out)
    var, train_std, eval_std = (float(v) for v in m.groups())
    assert var == pytest.approx(1.0, abs=0.05)
    assert train_std == pytest.approx(math.sqrt(1 / (1 - p)), abs=0.03) and eval_std == pytest.approx(1.0, abs=0.02)
    assert "1/(1 − p) = 2, in training only" in out


# --------------------------------------------------------------------------- #
# Data augmentation, re-run with torch.optim.Adam


def _rings(n, gen, noise=0.15):
    y = torch.arange(n) % 2
    radius = torch.where(y == 0, 0.5, 1.0) + noise * torch.randn(n, generator=gen)
    angle = 2 * torch.pi * torch.rand(n, generator=gen)
    return torch.stack([radius * angle.cos(), radius * angle.sin()], dim=1), y


def _train_rings(X, y, augment, epochs=120):
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
    opt = torch.optim.Adam(model.parameters(), lr=0.01, foreach=False)
    for _ in range(epochs):
        if augment:
            angle = 2 * torch.pi * torch.rand(len(X), generator=gen)
            c, s = angle.cos(), angle.sin()
            X_epoch = torch.stack([c * X[:, 0] - s * X[:, 1], s * X[:, 0] + c * X[:, 1]], dim=1)
        else:
            X_epoch = X
        loss = F.cross_entropy(model(X_epoch), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def test_augmentation(built_site, one_thread):
    out = _output(built_site, "augmentation.py")
    rows = {int(s): [float(v) for v in rest.split()] for s, rest in re.findall(r"^\s+(\d)\s+(.*)$", out, re.M)}
    assert sorted(rows) == [0, 1, 2, 3, 4]
    X_val, y_val = _rings(1000, torch.Generator().manual_seed(100))
    for seed, (loss_plain, loss_rot, acc_plain, acc_rot) in rows.items():
        X, y = _rings(16, torch.Generator().manual_seed(seed))
        for augment, loss, acc in [(False, loss_plain, acc_plain), (True, loss_rot, acc_rot)]:
            model = _train_rings(X, y, augment)
            with torch.no_grad():
                logits = model(X_val)
            assert loss == pytest.approx(F.cross_entropy(logits, y_val).item(), rel=0.05, abs=5e-3)
            assert acc == pytest.approx((logits.argmax(1) == y_val).float().mean().item(), abs=0.006)
    mean = [float(v) for v in re.search(r"^\s+mean\s+(.*)$", out, re.M)[1].split()]
    assert mean == [0.889, 0.231, 0.867, 0.927]
    np.testing.assert_allclose(mean, np.mean(list(rows.values()), axis=0), atol=1.5e-3)
    assert sum(r[3] > r[2] for r in rows.values()) == 4  # four of five draws improve
    # The best possible accuracy: a point is misclassified when its radial noise crosses the boundary at 0.75.
    bayes = 0.5 * (1 + math.erf(0.25 / 0.15 / math.sqrt(2)))
    assert f"{bayes:.3f}" == "0.952"


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
    assert (epoch, best_epoch) == (7, 4)
    assert f"stopped after epoch {epoch}; restore the weights of epoch {best_epoch}" in out
    assert 0.607 >= 0.61 - 0.005
