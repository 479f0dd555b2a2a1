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
    return built_site.run(f"{CHAPTER}/{name}").stdout


def _momentum(w0, lr, beta, grad, steps):
    """v_t = β v_{t-1} + g_t, w_t = w_{t-1} - α v_t, in plain floats."""
    w, v, ws = w0, 0.0, []
    for _ in range(steps):
        v = beta * v + grad(w)
        w = w - lr * v
        ws.append(w)
    return ws


def _values(built_site, name):
    return built_site.values(f"{CHAPTER}/{name}")


def test_five_steps_by_hand(built_site):
    out = _output(built_site, "momentum_by_hand.py")
    values = _values(built_site, "momentum_by_hand.py")
    rows = re.findall(r"^\s*(\d)\s+([-+\d.]+)\s+([-+\d.]+)\s+([-+\d.]+)$", out, re.M)
    expected = _momentum(1.0, 0.1, 0.9, lambda w: 2 * w, 5)
    assert [float(w) for *_, w in rows] == pytest.approx(expected, abs=5e-5)
    assert values["w_final"] == pytest.approx(expected[-1], rel=1e-12)
    # the prose: the velocity grows for `velocity_peak_step` steps while the gradients agree in sign, the ball
    # crosses w = 0 at `crossing_step`, and the gradient points back from `braking_step` on
    v, vs, gs, w = 0.0, [], [], 1.0
    for _ in range(5):
        gs.append(2 * w)
        v = 0.9 * v + gs[-1]
        vs.append(v)
        w -= 0.1 * v
    peak = values["velocity_peak_step"]
    assert all(vs[i] < vs[i + 1] for i in range(peak - 1)) and vs[peak] < vs[peak - 1]
    assert all(g > 0 for g in gs[:peak])  # "while the gradients all point the same way"
    assert expected[values["crossing_step"] - 2] > 0 > expected[values["crossing_step"] - 1]
    assert gs[values["braking_step"] - 2] > 0 > gs[values["braking_step"] - 1]
    assert all(0.8**t > 0 for t in range(1, 6))  # plain descent multiplies w by 0.8: it never crosses zero


def test_effective_window(built_site):
    out = _output(built_site, "past_gradient_weights.py")
    values = _values(built_site, "past_gradient_weights.py")
    for beta, name in [(0.5, "share_beta_0_5"), (0.9, "share_beta_0_9"), (0.99, "share_beta_0_99")]:
        window = 1 / (1 - beta)
        share = 1 - beta ** round(window)
        assert re.search(rf"^{beta:4.2f}\s+{window:.0f}\s+{window:.2f}\s+{share:.3f}$", out, re.M)
        assert values[name] == pytest.approx(share, rel=1e-12)
    assert 0.6 < values["share_beta_0_9"] < 0.7  # "about two thirds"
    # ... and 1 - 1/e in the limit, approached from above
    assert values["share_beta_0_9"] > values["share_beta_0_99"] > 1 - 1 / math.e
    assert values["share_beta_0_99"] - (1 - 1 / math.e) < 0.005


def _ravine_losses(lr, beta, steps, nesterov=False):
    """½(w₁² + 50 w₂²) from (−2, 0.5) with PyTorch's form of (Nesterov) momentum, in plain floats."""
    curv, w, v, losses = (1.0, 50.0), [-2.0, 0.5], [0.0, 0.0], []
    loss = lambda w: 0.5 * sum(c * x * x for c, x in zip(curv, w))
    losses.append(loss(w))
    for _ in range(steps):
        g = [c * x for c, x in zip(curv, w)]
        v = [beta * vi + gi for vi, gi in zip(v, g)]
        step = [gi + beta * vi for gi, vi in zip(g, v)] if nesterov else v
        w = [x - lr * s for x, s in zip(w, step)]
        losses.append(loss(w))
    return losses


def test_ravine(built_site):
    out = _output(built_site, "ravine.py")
    values = _values(built_site, "ravine.py")
    gd, hb, nag = (_ravine_losses(0.025, b, 120, n) for b, n in [(0.0, False), (0.9, False), (0.9, True)])
    first = lambda losses: next((t for t, x in enumerate(losses) if x < 1e-6), None)
    assert values["gd_loss_final"] == pytest.approx(gd[-1], rel=1e-9)
    assert values["momentum_loss_final"] == pytest.approx(hb[-1], rel=1e-9)
    assert values["nesterov_loss_final"] == pytest.approx(nag[-1], rel=1e-9)
    # "after 120 steps it is still far from the minimum"; "both forms bring the loss below 1e-6 within those 120"
    assert values["gd_reaches_1e_6"] is False and first(gd) is None and values["gd_loss_final"] > 1e-3
    assert values["momentum_steps_to_1e_6"] == first(hb) <= 120
    assert values["nesterov_steps_to_1e_6"] == first(nag) <= 120
    # "Nesterov's form ... is fastest here"
    assert values["nesterov_steps_to_1e_6"] < values["momentum_steps_to_1e_6"]
    assert values["nesterov_loss_final"] < values["momentum_loss_final"] < values["gd_loss_final"]
    # α/(1-β) = 0.25 is far past 2/λ_max = 2/50: plain steps that large diverge
    assert 6 < (0.025 / (1 - 0.9)) / (2 / 50) < 7  # "more than six times the stability limit"
    assert values["big_steps_loss"] > 1e10 * gd[0]
    # Nesterov's stability range on this bowl: α λ_max = 1.25 < 2(1+β)/(1+2β)
    assert 0.025 * 50 < 2 * 1.9 / 2.8
    assert "> 120" in out


def test_stability_limits(built_site):
    out = _output(built_site, "stability_limit.py")
    rows = re.findall(r"^(plain GD|heavy ball|Nesterov)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert len(rows) == 7
    for name, beta, predicted, measured in rows:
        beta = float(beta)
        limit = 2 * (1 + beta) / ((1 + 2 * beta if name == "Nesterov" else 1) * 10.0)
        assert float(predicted) == pytest.approx(limit, abs=5e-5)
        assert float(measured) == pytest.approx(limit, abs=1.5e-4)
    # "The measured limits match the formula to within one unit of the last printed digit."
    assert built_site.values(f"{CHAPTER}/stability_limit.py")["largest_gap"] < 1e-4
    # the prose's αλ limits at β = 0.9, and "about a third"
    assert round(2 * 1.9 / 2.8, 3) == 1.357 and 2 * 1.9 == 3.8
    assert 0.33 < (2 * 1.9 / 2.8) / 3.8 < 0.37
    assert round(math.sqrt(0.9), 3) == 0.949


def test_heavy_ball_rates(built_site):
    out = _output(built_site, "heavy_ball_rate.py")
    rows = re.findall(
        r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+(\d+|—)\s+(\d+)\s+(\d+)$",
        out,
        re.M,
    )
    assert [int(r[0]) for r in rows] == [10, 100, 1000]
    for kappa, _gd_lr, gd_rate, hb_lr, hb_beta, hb_rate, gd_pred, gd_meas, hb_pred, hb_meas in rows:
        k = float(kappa)
        assert float(gd_rate) == pytest.approx((k - 1) / (k + 1), abs=5e-5)
        assert float(hb_rate) == pytest.approx((k**0.5 - 1) / (k**0.5 + 1), abs=5e-5)
        assert float(hb_beta) == pytest.approx(float(hb_rate) ** 2, abs=2e-4)
        assert float(hb_lr) == pytest.approx(4 / (k**0.5 + 1) ** 2, abs=5e-5)
        assert int(gd_pred) == math.ceil(math.log(1e-6) / math.log((k - 1) / (k + 1)))
        if gd_meas != "—":
            assert int(gd_meas) == int(gd_pred)
        assert int(hb_pred) <= int(hb_meas) < 1.6 * int(hb_pred)  # the t·r^t factor costs extra steps
    values = built_site.values(f"{CHAPTER}/heavy_ball_rate.py")
    steps = {int(r[0]): (int(r[7]) if r[7] != "—" else int(r[6]), int(r[9])) for r in rows}
    for kappa, name in [(10, "advantage_kappa_10"), (100, "advantage_kappa_100"), (1000, "advantage_kappa_1000")]:
        gd, hb = steps[kappa]
        assert values[name] == pytest.approx(gd / hb, rel=1e-12)
    # "the heavy ball needs more than rate^t predicts, and the gap widens with κ"
    hb_steps = {int(r[0]): (int(r[8]), int(r[9])) for r in rows}
    for kappa, name in [(10, "extra_steps_kappa_10"), (1000, "extra_steps_kappa_1000")]:
        pred, measured = hb_steps[kappa]
        assert values[name] == pytest.approx(measured / pred - 1, rel=1e-12)
    assert 0 < values["extra_steps_kappa_10"] < values["extra_steps_kappa_1000"]
    # "the advantage grows ... to ... times at κ = 1000", and it grows like √κ: between 0.3√κ and √κ
    assert values["advantage_kappa_10"] < values["advantage_kappa_100"] < values["advantage_kappa_1000"]
    for kappa in (10, 100, 1000):
        gd_pred = math.ceil(math.log(1e-6) / math.log((kappa - 1) / (kappa + 1)))
        assert 0.3 * math.sqrt(kappa) < gd_pred / steps[kappa][1] < math.sqrt(kappa)
    assert 0.85 < float(rows[2][4]) < 0.92  # β* near 0.9 for κ near a thousand
    assert ((50**0.5 - 1) / (50**0.5 + 1)) ** 2 < 0.6  # and β = 0.9 is too much for the κ = 50 ravine


def test_shallow_minimum(built_site):
    out = _output(built_site, "shallow_minimum.py")
    rows = dict(re.findall(r"^(\d\.\d\d)\s+(.+)$", out, re.M))
    grad = lambda w: 4 * w**3 - 8 * w + 2.5
    wells = {}
    for beta in [0.0, 0.5, 0.8, 0.9, 0.95]:
        ends = [_momentum(w0, 0.01, beta, grad, 200)[-1] for w0 in (2.0, 1.8)]
        wells[beta] = ["deep" if x < 0 else "shallow" for x in ends]
        printed = re.findall(r"([-+][\d.]+) \((deep|shallow)\)", rows[f"{beta:.2f}"])
        assert [float(x) for x, _ in printed] == pytest.approx(ends, abs=5e-4)
        assert [where for _, where in printed] == wells[beta]
    # "From w = 2, plain gradient descent and small momenta stop in the shallow well. With β = 0.9 ... falls into the
    # deep well. ... from w = 1.8 the same β = 0.9 stays in the shallow well, and β = 0.95 escapes from both."
    assert all(wells[b][0] == "shallow" for b in (0.0, 0.5, 0.8))
    assert wells[0.9] == ["deep", "shallow"] and wells[0.95] == ["deep", "deep"]
    # the hump between the wells of w⁴ - 4w² + 2.5w, where the figure draws its dotted line: a root of 4w³ - 8w + 2.5
    hump = 0.0
    for _ in range(60):  # Newton from 0
        hump -= grad(hump) / (12 * hump**2 - 8)
    assert round(hump, 2) == 0.33


def test_conventions(built_site):
    out = _output(built_site, "conventions.py")
    assert out.count("True") == 3
    gap = float(re.search(r"halved at step 20:.*= ([\d.e+-]+)", out)[1])
    assert gap > 1e-3
