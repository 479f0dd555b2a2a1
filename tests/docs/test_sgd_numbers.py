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
    return built_site.run(f"{CHAPTER}/{name}").stdout


def _data(m, n, noise, seed):
    X, y, _ = linear_data(m, n, noise=noise, seed=seed)
    return X.double().numpy(), y.double().numpy()


def _least_squares_loss(X, y):
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    return float(np.mean((X @ w - y) ** 2))


def _values(built_site, name):
    return built_site.values(f"{CHAPTER}/{name}")


def test_three_variants(built_site):
    out = _output(built_site, "three_variants.py")
    values = _values(built_site, "three_variants.py")
    head = re.search(r"m = (\d+) examples, (\d+) epochs", out)
    m, epochs = int(head[1]), int(head[2])
    X, y = _data(m, 5, 0.5, 0)
    assert values["best_loss"] == pytest.approx(_least_squares_loss(X, y), rel=1e-8)
    rows = re.findall(r"^\w[\w -]+\(B = (\d+)\)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    for B, steps, seen, final, gap in rows:
        assert int(steps) == math.ceil(m / int(B)) * epochs
        assert int(seen) == m * epochs
        assert float(gap) == pytest.approx(float(final) - values["best_loss"], abs=2e-4)
    assert sorted(int(r[0]) for r in rows) == [1, 5, m]
    # "batch descent ... ends furthest from the optimum of the three"; "SGD is stuck on a noisy plateau well above
    # the optimum, while the mini-batch run sits close to it"
    assert values["excess_batch"] > values["excess_sgd"] > 5 * values["excess_minibatch"] > 0
    assert values["excess_minibatch"] < 0.01 * values["best_loss"]
    assert (
        m == 50 and epochs == 10
    )  # "SGD has taken fifty steps while batch descent has taken one"; "ten careful steps"


def test_gradient_noise_falls_like_one_over_sqrt_b(built_site):
    out = _output(built_site, "gradient_noise.py")
    values = _values(built_site, "gradient_noise.py")
    X, y = _data(1000, 5, 0.5, 0)
    per_example = -2 * y[:, None] * X  # ∇ℓ_j at w = 0
    full = per_example.mean(axis=0)
    sigma_1 = math.sqrt(np.mean(np.sum((per_example - full) ** 2, axis=1)))
    assert values["gradient_norm"] == pytest.approx(np.linalg.norm(full), rel=1e-9)
    assert values["sigma_1"] == pytest.approx(sigma_1, rel=1e-9)
    rows = re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert [int(r[0]) for r in rows] == [2**k for k in range(9)]
    for B, measured, predicted, _ratio in rows:
        assert float(predicted) == pytest.approx(sigma_1 / math.sqrt(int(B)), abs=2e-3)
        assert 0.93 < float(measured) / (sigma_1 / math.sqrt(int(B))) < 1.07  # "the measured points lie on the line"
    assert values["crossing_batch"] == pytest.approx((sigma_1 / np.linalg.norm(full)) ** 2, rel=1e-9)
    assert values["crossing_batch"] > 1  # "for small batches the noise is larger than the gradient"
    assert sigma_1 > np.linalg.norm(full)  # "a single example's gradient here is mostly noise"
    assert 1 / math.sqrt(4) == 1 / 2 and 1 / math.sqrt(100) == 1 / 10  # "four times the batch, half the noise; ..."


def test_lr_sensitivity(built_site):
    out = _output(built_site, "lr_sensitivity.py")
    values = _values(built_site, "lr_sensitivity.py")
    X, y = _data(50, 5, 0.5, 0)
    start = float(np.mean(y**2)) - _least_squares_loss(X, y)
    assert values["start_excess"] == pytest.approx(start, rel=1e-8)
    rows = {float(a): float(v) for a, v in re.findall(r"^α = ([\d.]+)\s+(\S+)$", out, re.M)}
    assert sorted(rows) == [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]  # "about a factor of three apart"
    assert values["best_lr"] == 0.03 == min((a for a in rows if a < 1.0), key=rows.get)
    # "Across three orders of magnitude of α, the final loss moves by three orders of magnitude before the largest
    # rate diverges."
    assert 1e3 <= values["stable_spread"] < 1e4
    assert values["largest_lr_excess"] > 1e6 * start
    # "Only one or two of these rates are good": within a factor of ten of the best
    good = [a for a, v in rows.items() if a < 1.0 and v < 10 * rows[values["best_lr"]]]
    assert 1 <= len(good) <= 2
    # 1.0 is above chapter 3's limit 2/λ_max for this loss, the others below it
    limit = 2 / np.linalg.eigvalsh(2 / 50 * X.T @ X).max()
    assert 0.3 < limit < 1.0


def test_linear_scaling(built_site):
    out = _output(built_site, "linear_scaling.py")
    values = _values(built_site, "linear_scaling.py")
    B0, lr0, epochs, m = 4, 0.01, 2, 512
    assert f"B₀ = {B0}, α₀ = {lr0}; {epochs} epochs of m = {m}" in out
    X, y = _data(m, 8, 0.5, 1)
    limit = 2 / np.linalg.eigvalsh(2 / m * X.T @ X).max()
    assert values["stability_limit"] == pytest.approx(limit, rel=1e-8)
    assert values["limit_batch"] == pytest.approx(limit / lr0 * B0, rel=1e-8)
    assert values["lr_full_batch"] == pytest.approx(lr0 * m / B0)
    rows = re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    scaled = {int(B): float(s) for B, _, s, _ in rows}
    fixed = {int(B): float(f) for B, _, _, f in rows}
    for B, lr, _, _ in rows:
        assert float(lr) == pytest.approx(lr0 * int(B) / B0, abs=5e-3)
    assert sorted(scaled) == [4, 16, 64, 256, 512]
    base = scaled[B0]
    for B in (16, 64):  # where it holds: "nearly the same loss as the base run"
        assert 0.5 * base < scaled[B] < 1.5 * base
    # where it bends: B = 256 is still below the limit, yet "the four big steps overshoot", "visibly worse"
    assert lr0 * 256 / B0 < limit and 256 < values["limit_batch"] < 512
    assert scaled[256] > 5 * base
    assert epochs * math.ceil(m / 256) == 4
    # where it breaks: "beyond the stability limit", "the run explodes"
    assert values["lr_full_batch"] > values["stability_limit"] and scaled[512] > np.mean(y**2)
    assert all(fixed[a] < fixed[b] for a, b in zip(sorted(fixed), sorted(fixed)[1:]))  # without scaling


def test_saddle_and_ravine_closed_forms(built_site):
    out = _output(built_site, "saddle_ravine.py")
    values = _values(built_site, "saddle_ravine.py")
    # Gradient descent on x² − y² from (−1.5, 0): x is multiplied by 1 − 2α = 0.9 per step, y stays 0.
    x = -1.5 * 0.9**60
    end = re.search(r"gradient descent ends at \(([-\d.]+), ([-\d.]+)\)", out)
    assert float(end[1]) == pytest.approx(x, abs=5e-5) and float(end[2]) == 0.0
    assert values["saddle_gd_grad_norm"] == pytest.approx(2 * abs(x), rel=1e-9)  # "practically zero"
    assert values["saddle_gd_grad_norm"] < 0.01
    # SGD "leaves the saddle down the slope": |w₂| > 1 within the 60 steps, below the saddle's value, 0
    assert values["saddle_escape_step"] < 60 and values["saddle_escape_loss"] < 0
    # The ravine ½(w₁² + 20 w₂²) with α = 0.09: factors 1 − α = 0.91 and 1 − 20α = −0.8 per step.
    w1, w2 = -2.0 * 0.91**60, 0.5 * (-0.8) ** 60
    gd = re.search(r"gradient descent\s+ends at \(([-+\d.]+), ([-+\d.]+)\), L =", out)  # the ravine's line
    assert float(gd[1]) == pytest.approx(w1, abs=5e-4) and float(gd[2]) == pytest.approx(w2, abs=5e-4)
    gd_loss = 0.5 * (w1**2 + 20 * w2**2)
    assert values["ravine_gd_loss"] == pytest.approx(gd_loss, rel=1e-6)
    assert values["ravine_sgd_loss"] > 100 * gd_loss  # "much further from the bottom"


def test_batch_timing_reports_the_machine_and_one_call_wins(built_site):
    out = _output(built_site, "batch_timing.py")  # timings vary; only their direction is checked
    values = _values(built_site, "batch_timing.py")
    assert out.startswith("machine: ")
    assert values["same_gradient"] is True and "same gradient both ways: True" in out
    assert values["speedup"] > 5  # "the single call wins by a wide margin on any machine"


def test_exercise_saddle_escape(built_site):
    values = _values(built_site, "exercise_saddle_escape.py")
    t = math.floor(math.log(1e8) / math.log(1.2)) + 1
    assert 1e-8 * 1.2 ** (t - 1) <= 1 < 1e-8 * 1.2**t
    assert values["predicted_steps"] == values["counted_steps"] == t  # an integer count, exact by construction


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
