"""The numbers chapter 5 states, checked against closed forms (not against lessonlib).

The chapter's prose quotes these; the snippets print them; here the printed
values, as the build put them on the page, are compared with arithmetic done
independently in this file.
"""

import math
import re

import pytest


CHAPTER = "snippets/05_momentum"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


def _momentum(w0, lr, beta, grad, steps):
    """v_t = β v_{t-1} + g_t, w_t = w_{t-1} - α v_t, in plain floats."""
    w, v, ws = w0, 0.0, []
    for _ in range(steps):
        v = beta * v + grad(w)
        w = w - lr * v
        ws.append(w)
    return ws


def test_five_steps_by_hand(built_site):
    out = _output(built_site, "momentum_by_hand.py")
    rows = re.findall(r"^\s*(\d)\s+([-+\d.]+)\s+([-+\d.]+)\s+([-+\d.]+)$", out, re.M)
    expected = _momentum(1.0, 0.1, 0.9, lambda w: 2 * w, 5)
    assert [float(w) for *_, w in rows] == pytest.approx(expected, abs=5e-5)
    assert expected[2] > 0 > expected[3]  # the prose: it rolls through w = 0 between steps 3 and 4
    assert "w = -0.5804 (by hand: -0.5804)" in out


def test_effective_window(built_site):
    out = _output(built_site, "past_gradient_weights.py")
    for beta in [0.5, 0.9, 0.99]:
        window = 1 / (1 - beta)
        share = 1 - beta ** round(window)
        assert re.search(rf"^{beta:4.2f}\s+{window:.0f}\s+{window:.2f}\s+{share:.3f}$", out, re.M)
    assert f"{1 - 1 / math.e:.3f}" == "0.632" and "0.632" in out
    assert 0.6 < 1 - 0.9**10 < 0.7  # "about two thirds"


def test_ravine(built_site):
    out = _output(built_site, "ravine.py")
    rows = {m[0].strip(): m[1:] for m in re.findall(r"^(\w[\w ,=.]+?)\s+([\d.e+-]+)\s+([\d.e+-]+)\s+([\d.e+-]+)\s+(>? ?\d+)$", out, re.M)}
    assert rows["gradient descent"][3] == "> 120"
    assert int(rows["momentum, β = 0.9"][3]) <= 120 and int(rows["Nesterov, β = 0.9"][3]) <= 120
    assert int(rows["Nesterov, β = 0.9"][3]) < int(rows["momentum, β = 0.9"][3])
    # α/(1-β) = 0.25 is far past 2/λ_max = 2/50: plain steps that large diverge
    assert 6 < (0.025 / (1 - 0.9)) / (2 / 50) < 7  # "more than six times the stability limit"
    assert float(re.search(r"L after 20 steps = ([\d.e+]+)", out)[1]) > 1e10
    # Nesterov's stability range on this bowl: α λ_max = 1.25 < 2(1+β)/(1+2β)
    assert 0.025 * 50 < 2 * 1.9 / 2.8


def test_stability_limits(built_site):
    out = _output(built_site, "stability_limit.py")
    rows = re.findall(r"^(plain GD|heavy ball|Nesterov)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert len(rows) == 7
    for name, beta, predicted, measured in rows:
        beta = float(beta)
        limit = 2 * (1 + beta) / ((1 + 2 * beta if name == "Nesterov" else 1) * 10.0)
        assert float(predicted) == pytest.approx(limit, abs=5e-5)
        assert float(measured) == pytest.approx(limit, abs=1.5e-4)
    # the prose's αλ limits at β = 0.9, and "about a third"
    assert round(2 * 1.9 / 2.8, 3) == 1.357 and 2 * 1.9 == 3.8
    assert 0.33 < (2 * 1.9 / 2.8) / 3.8 < 0.37
    assert round(math.sqrt(0.9), 3) == 0.949


def test_heavy_ball_rates(built_site):
    out = _output(built_site, "heavy_ball_rate.py")
    rows = re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+(\d+|—)\s+(\d+)\s+(\d+)$", out, re.M)
    assert [int(r[0]) for r in rows] == [10, 100, 1000]
    for kappa, gd_lr, gd_rate, hb_lr, hb_beta, hb_rate, gd_pred, gd_meas, hb_pred, hb_meas in rows:
        k = float(kappa)
        assert float(gd_rate) == pytest.approx((k - 1) / (k + 1), abs=5e-5)
        assert float(hb_rate) == pytest.approx((k**0.5 - 1) / (k**0.5 + 1), abs=5e-5)
        assert float(hb_beta) == pytest.approx(float(hb_rate) ** 2, abs=2e-4)
        assert float(hb_lr) == pytest.approx(4 / (k**0.5 + 1) ** 2, abs=5e-5)
        assert int(gd_pred) == math.ceil(math.log(1e-6) / math.log((k - 1) / (k + 1)))
        if gd_meas != "—":
            assert int(gd_meas) == int(gd_pred)
        assert int(hb_pred) <= int(hb_meas) < 1.6 * int(hb_pred)  # the t·r^t factor costs a few steps
    ratios = [int(r[6]) / int(r[9]) for r in rows]
    assert 2.3 < ratios[0] < 2.7 and ratios[2] > 20  # "about 2.5 times ... more than 20 times"
    assert 0.85 < float(rows[2][4]) < 0.92  # β* near 0.9 for κ near a thousand
    assert ((50**0.5 - 1) / (50**0.5 + 1)) ** 2 < 0.6  # and β = 0.9 is too much for the κ = 50 ravine


def test_shallow_minimum(built_site):
    out = _output(built_site, "shallow_minimum.py")
    rows = dict(re.findall(r"^(\d\.\d\d)\s+(.+)$", out, re.M))
    assert rows["0.00"].count("shallow") == 2 and rows["0.80"].count("shallow") == 2
    assert rows["0.90"].split(")")[0].endswith("deep") and rows["0.90"].count("shallow") == 1
    assert rows["0.95"].count("deep") == 2
    # the two wells and the hump of w⁴ - 4w² + 2.5w: roots of 4w³ - 8w + 2.5
    f = lambda w: 4 * w**3 - 8 * w + 2.5
    hump = 0.0
    for _ in range(60):  # Newton from 0
        hump -= f(hump) / (12 * hump**2 - 8)
    assert round(hump, 2) == 0.33


def test_conventions(built_site):
    out = _output(built_site, "conventions.py")
    assert out.count("True") == 3
    gap = float(re.search(r"halved at step 20:.*= ([\d.e+-]+)", out)[1])
    assert gap > 1e-3
