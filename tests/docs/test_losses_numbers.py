"""The claims chapter 11 makes, checked against closed forms and independent computations (not lessonlib).

The values the snippets publish (which the page quotes with {{ value(...) }})
and their printed output are compared, with stated tolerances, with arithmetic
done in this file: math/NumPy for the losses, least squares and an independent
Huber fit (iteratively reweighted least squares) for the line fits.
"""

import math
import re

import numpy as np
import pytest
import torch

from lessonlib.losses import contrastive_loss, cross_entropy, mse_loss

CHAPTER = "snippets/10_losses"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}").stdout


def _values(built_site, name):
    built_site.check()
    return built_site.values(f"{CHAPTER}/{name}")


def _log_softmax(z):
    m = max(z)
    lse = m + math.log(math.fsum(math.exp(v - m) for v in z))
    return [v - lse for v in z]


def test_loss_gradients_against_the_error(built_site):
    out = _output(built_site, "losses_and_gradients.py")
    rows = re.findall(r"^\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert len(rows) == 3
    for d, g_mse, g_l1, g_huber in rows:
        d = float(d)
        assert float(g_mse) == pytest.approx(2 * d, abs=5e-4)  # d/dx (x - y)^2
        assert float(g_l1) == pytest.approx(1.0, abs=5e-4)
        assert float(g_huber) == pytest.approx(min(d, 1.0), abs=5e-4)  # the error, clipped to delta
    bce = re.findall(r"^\s*(-?[\d.]+)\s+([\d.]+)\s+(-?[\d.]+)$", out, re.M)
    assert len(bce) == 3
    for x, loss, grad in bce:
        x = float(x)
        assert float(loss) == pytest.approx(math.log1p(math.exp(-x)), abs=5e-5)  # -log sigma(x)
        assert float(grad) == pytest.approx(1 / (1 + math.exp(-x)) - 1, abs=5e-7)


def test_cross_entropy_is_log_softmax_plus_nll(built_site):
    out = _output(built_site, "cross_entropy_pieces.py")
    logits = [[2.0, 0.5, -1.0, 0.0], [0.0, 0.0, 0.0, 0.0], [-1.0, 3.0, 0.5, 0.2]]
    targets = [0, 3, 2]
    losses = [-_log_softmax(z)[y] for z, y in zip(logits, targets)]
    values = _values(built_site, "cross_entropy_pieces.py")
    # "every class gets probability 1/4 and the loss ... is log 4" (the snippet computes in float64)
    assert values["uniform_loss"] == pytest.approx(math.log(4), abs=1e-12) == losses[1]
    assert values["mean_loss"] == pytest.approx(sum(losses) / 3, abs=1e-12)
    shown = [float(v) for v in re.search(r"loss per example:\s+\[(.*)\]", out)[1].split(",")]
    assert shown == pytest.approx(losses, abs=5e-5)
    mean = sum(losses) / 3
    for label in ["log_softmax + nll_loss", "cross_entropy         ", "torch F.cross_entropy "]:
        assert f"{label} = {mean:.4f}" in out
    assert "(softmax - one-hot) / N: True" in out
    p0 = [math.exp(v) for v in _log_softmax(logits[0])]
    expected = [(p - (c == 0)) / 3 for c, p in enumerate(p0)]
    shown = [float(v) for v in re.search(r"gradient of example 0: \[(.*)\]", out)[1].split(",")]
    assert shown == pytest.approx(expected, abs=5e-5)


def test_naive_cross_entropy_breaks_where_log_sum_exp_does_not(built_site):
    out = _output(built_site, "stable_cross_entropy.py")
    rows = re.findall(r"^(\[.*\])\s+(\d)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$", out, re.M)
    assert len(rows) == 5
    for i, (logits, target, naive_loss, naive_grad, stable_loss, stable_grad) in enumerate(rows):
        z = [float(v) for v in logits.strip("[]").split(",")]
        exact = -_log_softmax(z)[int(target)]
        assert float(stable_loss) == pytest.approx(exact, abs=5e-4)
        assert stable_grad == "finite"
        if i == 0:  # "The first row is an ordinary case, and the two agree"
            assert naive_loss == stable_loss and naive_grad == "finite"
        else:  # every other row breaks the literal formula
            assert naive_loss in ("inf", "nan") and naive_grad == "NaN"
    # the quoted losses: 200 + log 2 and log 3, to float32's resolution (spacing 2^-16 near 200, 2^-23 near 1)
    values = _values(built_site, "stable_cross_entropy.py")
    assert values["stable_loss_underflow"] == pytest.approx(200 + math.log(2), abs=2**-16)
    assert values["stable_loss_all_equal"] == pytest.approx(math.log(3), abs=2**-22)
    # float32 overflows past about 88.7 and underflows (to 0) below about -104.
    with np.errstate(over="ignore", under="ignore"):
        assert np.isinf(np.exp(np.float32(88.8))) and not np.isinf(np.exp(np.float32(88.7)))
        assert np.exp(np.float32(-104)) == 0 and np.exp(np.float32(-103)) > 0


def test_bce_with_logits_is_exact_and_the_clamp_is_not(built_site):
    out = _output(built_site, "stable_bce.py")
    rows = re.findall(r"^\s*(-?\d+)\s+(\d)\s+\|(.*)$", out, re.M)
    assert len(rows) == 4
    for x, y, rest in rows:
        x, y = float(x), float(y)
        cells = [c.split() for c in rest.split("|")]
        exact = max(x, 0) - x * y + math.log1p(math.exp(-abs(x)))
        grad = 1 / (1 + math.exp(-x)) - y
        with_logits = [float(v) for v in cells[2]]
        assert with_logits == pytest.approx([exact, grad], abs=5e-4)
        if x >= 20 and y == 0:  # float32 sigmoid rounds to exactly 1, so log(1 - p) = log 0
            assert cells[0][0] == "inf" and cells[0][1] in ("inf", "nan")
            assert [float(v) for v in cells[1]] == [100.0, 0.0]  # clamped at log = -100, no gradient
    assert torch.sigmoid(torch.tensor(20.0)).item() == 1.0


def _line_data():
    gen = torch.Generator().manual_seed(0)
    x = torch.linspace(-2, 2, 40, dtype=torch.float64)
    y = 2 * x + 1 + 0.3 * torch.randn(40, generator=gen, dtype=torch.float64)
    y[torch.tensor([33, 35, 37, 39])] -= 12
    return x.numpy(), y.numpy()


def _huber_irls(x, y, delta=1.0, iters=500):
    """Huber regression by iteratively reweighted least squares: weight min(1, delta/|r|)."""
    A = np.stack([x, np.ones_like(x)], axis=1)
    coef = np.linalg.lstsq(A, y, rcond=None)[0]
    for _ in range(iters):
        r = y - A @ coef
        w = np.minimum(1.0, delta / np.maximum(np.abs(r), 1e-12))
        coef = np.linalg.lstsq(A * np.sqrt(w)[:, None], y * np.sqrt(w), rcond=None)[0]
    return coef


def test_mse_and_huber_line_fits(built_site):
    values = _values(built_site, "huber_outliers.py")
    x, y = _line_data()
    ls = np.linalg.lstsq(np.stack([x, np.ones_like(x)], axis=1), y, rcond=None)[0]
    # 600 float64 gradient-descent steps reach the least-squares and Huber optima to well below the printed digits
    assert (values["mse_slope"], values["mse_intercept"]) == pytest.approx(tuple(ls), abs=1e-6)
    assert (values["huber_slope"], values["huber_intercept"]) == pytest.approx(tuple(_huber_irls(x, y)), abs=1e-6)
    # "drag the MSE slope from 2 down to ...": far below the true slope
    assert values["mse_slope"] < 1
    # "The Huber fit lands at ... Why not exactly 2?": close to 2, below it, and far closer than MSE
    assert 1.5 < values["huber_slope"] < 2
    assert abs(values["huber_slope"] - 2) < abs(values["mse_slope"] - 2) / 5
    # the snippet prints the same fits
    out = _output(built_site, "huber_outliers.py")
    assert f"MSE:            slope {values['mse_slope']:.3f}" in out
    assert f"slope {values['huber_slope']:.3f}, intercept {values['huber_intercept']:.3f}" in out


def test_numbers_in_the_prose_code_blocks():
    x = torch.tensor([0.0, 1.0, 2.0])
    assert mse_loss(1.0 * x, 2 * x + 1).item() == pytest.approx(14 / 3)
    assert 14 / 3 == pytest.approx(4.6667, abs=0.5e-4)
    z1 = torch.zeros(4, 2)
    z2 = torch.tensor([[0.3, 0.4], [3.0, 4.0], [0.3, 0.4], [3.0, 4.0]])
    losses = contrastive_loss(z1, z2, torch.tensor([1.0, 1.0, 0.0, 0.0]), reduction="none")
    assert losses.tolist() == pytest.approx([0.5**2, 5.0**2, (1 - 0.5) ** 2, 0.0])
    # label smoothing: target distribution (1 - eps) one-hot + eps / C, cross-entropy against it
    lp = _log_softmax([2.0, 0.0, 0.0])
    smoothed = -(0.9 * lp[0] + 0.1 / 3 * sum(lp))
    assert cross_entropy(
        torch.tensor([[2.0, 0.0, 0.0]]), torch.tensor([0]), label_smoothing=0.1
    ).item() == pytest.approx(smoothed, abs=1e-6)
    # exercises: Huber with delta 2 at d = 5 is 8; contrastive at d = 0.3 is 0.49 with slope -1.4; mean 22, median 3
    assert 2 * (5 - 0.5 * 2) == 8 and (1 - 0.3) ** 2 == pytest.approx(0.49) and -2 * (1 - 0.3) == pytest.approx(-1.4)
    assert np.mean([1, 2, 3, 4, 100]) == 22 and np.median([1, 2, 3, 4, 100]) == 3


def test_float32_limits_the_prose_quotes():
    """float32's largest value and smallest positive value, and where its sigmoid saturates."""
    info = np.finfo(np.float32)
    assert float(info.max) == pytest.approx(3.4e38, abs=0.05e38)  # "cannot exceed about 3.4 × 10^38"
    assert 1e-46 < float(info.smallest_subnormal) < 1e-44  # "cannot be smaller than about 10^-45"
    # "the sigmoid rounds to exactly 1 from x ≈ 16.6 on": the first float32 x on a 0.01 grid where it does
    x = torch.arange(1500, 2000, dtype=torch.float32) / 100
    first_one = x[(torch.sigmoid(x) == 1).nonzero()[0]].item()
    assert first_one == pytest.approx(16.6, abs=0.05)
    # why there: 1 + e^(−x) rounds to 1 once e^(−x) is below 2^(−24), half of float32's spacing just above 1
    assert math.exp(-16.7) < 2**-24 < math.exp(-16.6)
    # "on the negative side it reaches 0 only for logits below about −88"
    assert torch.sigmoid(torch.tensor(-88.0)).item() > 0 and math.exp(-88) > float(info.smallest_subnormal)
