"""The numbers chapter 4 states, checked against closed forms and independent computation (not against lessonlib).

The snippets print these numbers and the prose quotes or describes them; here the printed values, as the build put
them on the page, are compared with arithmetic done in this file, with NumPy on the same data.
"""

import math
import re

import numpy as np
import pytest

from lessonlib.data import linear_data
from tests.conftest import ROOT

CHAPTER = "snippets/04_sgd"
PAGE = ROOT / "docs/part-1/04-stochastic-gradient-descent.md"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


def _data(m, n, noise, seed):
    X, y, _ = linear_data(m, n, noise=noise, seed=seed)
    return X.double().numpy(), y.double().numpy()


def _least_squares_loss(X, y):
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    return float(np.mean((X @ w - y) ** 2))


def test_three_variants(built_site):
    out = _output(built_site, "three_variants.py")
    head = re.search(r"m = (\d+) examples, (\d+) epochs, α = ([\d.]+); least-squares loss ([\d.]+)", out)
    m, epochs, best = int(head[1]), int(head[2]), float(head[4])
    X, y = _data(m, 5, 0.5, 0)
    assert best == pytest.approx(_least_squares_loss(X, y), abs=1e-4)
    rows = re.findall(r"^\w[\w -]+\(B = (\d+)\)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    excess = {}
    for B, steps, seen, final, gap in rows:
        B = int(B)
        assert int(steps) == math.ceil(m / B) * epochs
        assert int(seen) == m * epochs
        assert float(gap) == pytest.approx(float(final) - best, abs=2e-4)
        excess[B] = float(gap)
    assert sorted(excess) == [1, 5, m]
    # the prose: batch descent ends furthest from the optimum, SGD on a plateau well above the mini-batch run
    assert excess[m] > excess[1] > 5 * excess[5]
    assert m == 50  # "SGD has taken fifty steps while batch descent has taken one"


def test_gradient_noise_falls_like_one_over_sqrt_b(built_site):
    out = _output(built_site, "gradient_noise.py")
    X, y = _data(1000, 5, 0.5, 0)
    per_example = -2 * y[:, None] * X  # ∇ℓ_j at w = 0
    full = per_example.mean(axis=0)
    sigma_1 = math.sqrt(np.mean(np.sum((per_example - full) ** 2, axis=1)))
    head = re.search(r"‖∇L\(w\)‖ = ([\d.]+), spread of one example σ₁ = ([\d.]+)", out)
    assert float(head[1]) == pytest.approx(np.linalg.norm(full), abs=2e-3)
    assert float(head[2]) == pytest.approx(sigma_1, abs=2e-3)
    rows = re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert [int(r[0]) for r in rows] == [2**k for k in range(9)]
    for B, measured, predicted, ratio in rows:
        assert float(predicted) == pytest.approx(sigma_1 / math.sqrt(int(B)), abs=2e-3)
        assert 0.93 < float(measured) / (sigma_1 / math.sqrt(int(B))) < 1.07
    crossing = float(re.search(r"equal at B = .* = ([\d.]+)", out)[1])
    assert crossing == pytest.approx((sigma_1 / np.linalg.norm(full)) ** 2, abs=0.05)
    assert crossing > 1  # "for small batches the noise is larger than the gradient"
    assert 1 / math.sqrt(4) == 1 / 2 and 1 / math.sqrt(100) == 1 / 10  # "four times the batch, half the noise; ..."


def test_lr_sensitivity(built_site):
    out = _output(built_site, "lr_sensitivity.py")
    start = float(re.search(r"it starts at ([\d.]+)", out)[1])
    X, y = _data(50, 5, 0.5, 0)
    assert start == pytest.approx(float(np.mean(y**2)) - _least_squares_loss(X, y), abs=5e-3)
    rows = {float(a): float(v) for a, v in re.findall(r"^α = ([\d.]+)\s+(\S+)$", out, re.M)}
    assert sorted(rows) == [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]
    good = {a: v for a, v in rows.items() if a < 1.0}
    assert min(good, key=good.get) == 0.03
    assert max(good.values()) / min(good.values()) > 1000  # "by three orders of magnitude"
    assert rows[1.0] > 1e6 * start  # the largest rate diverges
    # 1.0 is above chapter 3's limit 2/λ_max for this loss, the others below it
    limit = 2 / np.linalg.eigvalsh(2 / 50 * X.T @ X).max()
    assert 0.3 < limit < 1.0


def test_linear_scaling(built_site):
    out = _output(built_site, "linear_scaling.py")
    B0, lr0, epochs, m = 4, 0.01, 2, 512
    assert f"B₀ = {B0}, α₀ = {lr0}; {epochs} epochs of m = {m}" in out
    X, y = _data(m, 8, 0.5, 1)
    limit = 2 / np.linalg.eigvalsh(2 / m * X.T @ X).max()
    head = re.search(r"2/λ_max = ([\d.]+), which the rule reaches at B = (\d+)", out)
    assert float(head[1]) == pytest.approx(limit, abs=1e-3)
    assert int(head[2]) == round(limit / lr0 * B0)
    rows = re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    scaled = {int(B): float(s) for B, _, s, _ in rows}
    fixed = {int(B): float(f) for B, _, _, f in rows}
    for B, lr, _, _ in rows:
        assert float(lr) == pytest.approx(lr0 * int(B) / B0, abs=5e-3)
    assert sorted(scaled) == [4, 16, 64, 256, 512]
    base = scaled[B0]
    for B in (16, 64):  # where it holds
        assert 0.5 * base < scaled[B] < 1.5 * base
    assert scaled[256] > 5 * base  # where it bends: 4 big steps, 2 epochs of 512 in batches of 256
    assert epochs * math.ceil(m / 256) == 4
    assert lr0 * 512 / B0 > limit and scaled[512] > np.mean(y**2)  # where it breaks: past 2/λ_max, diverges
    assert all(fixed[a] < fixed[b] for a, b in zip(sorted(fixed), sorted(fixed)[1:]))  # without scaling


def test_saddle_and_ravine_closed_forms(built_site):
    out = _output(built_site, "saddle_ravine.py")
    # Gradient descent on x² − y² from (−1.5, 0): x is multiplied by 1 − 2α = 0.9 per step, y stays 0.
    x = -1.5 * 0.9**60
    end = re.search(r"gradient descent ends at \(([-\d.]+), ([-\d.]+)\), ‖∇L‖ = ([\d.]+)", out)
    assert float(end[1]) == pytest.approx(x, abs=5e-5) and float(end[2]) == 0.0
    assert float(end[3]) == pytest.approx(2 * abs(x), abs=5e-5)
    escape = re.search(r"\|w₂\| > 1 after (\d+) steps; its loss then is ([-\d.]+)", out)
    assert int(escape[1]) < 60 and float(escape[2]) < 0  # it left downhill: below the saddle's value, 0
    # The ravine ½(w₁² + 20 w₂²) with α = 0.09: factors 1 − α = 0.91 and 1 − 20α = −0.8 per step.
    w1, w2 = -2.0 * 0.91**60, 0.5 * (-0.8) ** 60
    gd = re.search(r"gradient descent\s+ends at \(([-+\d.]+), ([-+\d.]+)\), L = ([\d.]+)", out)
    assert float(gd[1]) == pytest.approx(w1, abs=5e-4) and float(gd[2]) == pytest.approx(w2, abs=5e-4)
    assert float(gd[3]) == pytest.approx(0.5 * (w1**2 + 20 * w2**2), abs=5e-5)
    sgd_loss = float(re.search(r"SGD \(B = 4\)\s+ends at .*, L = ([\d.]+)", out)[1])
    assert sgd_loss > 100 * 0.5 * (w1**2 + 20 * w2**2)  # "much further from the bottom"


def test_batch_timing_reports_the_machine_and_one_call_wins(built_site):
    out = _output(built_site, "batch_timing.py")  # timings vary; only their direction is checked
    assert out.startswith("machine: ")
    assert "same gradient both ways: True" in out
    assert float(re.search(r"the single call is (\d+) times faster", out)[1]) > 1


def test_exercise_saddle_escape(built_site):
    out = _output(built_site, "exercise_saddle_escape.py")
    t = math.floor(math.log(1e8) / math.log(1.2)) + 1
    assert 1e-8 * 1.2 ** (t - 1) <= 1 < 1e-8 * 1.2**t
    assert f"predicted: {t} steps, counted: {t} steps" in out
    assert t == 102  # "about a hundred steps"


def test_exercise_without_replacement(built_site):
    out = _output(built_site, "exercise_without_replacement.py")
    m = 40
    X, y = _data(m, 3, 0.5, 0)
    per_example = -2 * y[:, None] * X
    sigma_1 = math.sqrt(np.mean(np.sum((per_example - per_example.mean(axis=0)) ** 2, axis=1)))
    rows = re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert [int(r[0]) for r in rows] == [1, 4, 10, 20, 40]
    for B, with_repl, measured, predicted in rows:
        B = int(B)
        assert float(with_repl) == pytest.approx(sigma_1 / math.sqrt(B), abs=2e-3)
        expected = sigma_1 / math.sqrt(B) * math.sqrt((m - B) / (m - 1))
        assert float(predicted) == pytest.approx(expected, abs=2e-3)
        assert float(measured) == pytest.approx(expected, rel=0.04, abs=1e-9)
    assert float(rows[-1][2]) == 0.0  # B = m: the whole data set, exact


def test_goyal_numbers_on_the_page():
    text = PAGE.read_text(encoding="utf-8")
    assert r"$\alpha = 0.1 \cdot B/256$" in text and "batches of 8192 images is $\\alpha = 3.2$" in text
    assert 0.1 * 8192 / 256 == pytest.approx(3.2)
    assert "first\n      five epochs" in text  # Goyal et al.'s gradual warmup lasted five epochs
    assert "between 2 and 32" in text  # Masters and Luschi's best mini-batch sizes
