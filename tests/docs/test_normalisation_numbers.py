"""The numbers chapter 11 states, checked against closed forms and independent computations (not lessonlib).

Running statistics against their closed forms, normalised outputs against
arithmetic done here, and the learning-rate experiment re-run with
torch.nn.BatchNorm1d and torch.nn.functional.cross_entropy as the oracle.
"""

import math
import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn


CHAPTER = "snippets/11_normalisation"
RELU_STD = math.sqrt(0.5 - 1 / (2 * math.pi))  # std of max(0, Z), Z standard normal: 0.5839


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


def _floats(out, label):
    return [float(v) for v in re.search(re.escape(label) + r"\s*\[(.*)\]", out)[1].split(",")]


def test_batch_norm_by_hand(built_site):
    out = _output(built_site, "batch_norm_by_hand.py")
    assert _floats(out, "x_hat means:") == [0.0, 0.0, 0.0]
    assert _floats(out, "x_hat stds (biased):") == [1.0, 1.0, 1.0]
    assert _floats(out, "y means (= β):") == [0.0, 1.0, -1.0]
    assert _floats(out, "y stds (= γ):") == [1.0, 2.0, 0.5]
    stds = _floats(out, "feature stds before:")
    assert 0.05 < min(stds) < 0.15 and 10 < max(stds) < 13
    assert "agrees: True" in out


def test_activation_stats(built_site):
    out = _output(built_site, "activation_stats.py")
    rows = [[float(v) for v in r] for r in re.findall(r"^\s*\d+\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)]
    assert len(rows) == 10
    for small, small_bn, large, large_bn in rows:
        assert small_bn == pytest.approx(RELU_STD, abs=0.012) and large_bn == pytest.approx(RELU_STD, abs=0.012)
    # Independent: the same plain ReLU chain, written here.
    torch.manual_seed(0)
    x = torch.randn(256, 100)
    for col, scale in [(0, 1.0), (2, 2.0)]:
        gen = torch.Generator().manual_seed(1)
        h = x
        for layer in range(10):
            h = torch.relu(h @ (torch.randn(100, 100, generator=gen) * scale / 10).T)
            assert rows[layer][col] == pytest.approx(h.std().item(), rel=1e-3)
    assert rows[-1][0] == pytest.approx(0.0324, abs=5e-5) and round(rows[-1][2]) == 33
    assert f"{RELU_STD:.3f}" == "0.584"  # "√(1/2 − 1/(2π)) ≈ 0.584"
    with_bn = [r[1] for r in rows] + [r[3] for r in rows]
    assert 0.575 <= min(with_bn) and max(with_bn) < 0.595  # "stays between 0.58 and 0.59"
    # "about a factor 30" from the standardised input (std 1): shrinks to 1/31, grows to 33
    assert 25 < 1 / rows[-1][0] < 35 and 25 < rows[-1][2] < 35
    # He's √(2/n) sits between the two weight scales 1/√n and 2/√n, for n = 100
    assert 1 / math.sqrt(100) < math.sqrt(2 / 100) < 2 / math.sqrt(100)


def _independent_lr_table():
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(256, 20, generator=gen)
    y = (X @ torch.randn(20, 4, generator=gen) + 0.5 * torch.randn(256, 4, generator=gen)).argmax(dim=1)
    table = {}
    for bn in (False, True):
        for lr in [0.03, 0.1, 0.3, 1.0, 3.0, 10.0]:
            torch.manual_seed(1)
            layers, fan_in = [], 20
            for _ in range(6):
                linear = nn.Linear(fan_in, 32)
                nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
                nn.init.zeros_(linear.bias)
                layers += [linear, nn.BatchNorm1d(32), nn.ReLU()] if bn else [linear, nn.ReLU()]
                fan_in = 32
            model = nn.Sequential(*layers, nn.Linear(32, 4))
            opt = torch.optim.SGD(model.parameters(), lr=lr)
            losses = []
            for _ in range(21):
                loss = F.cross_entropy(model(X), y)
                losses.append(loss.item())
                opt.zero_grad()
                loss.backward()
                opt.step()
            table[bn, lr] = (losses[0], losses[-1])
    return table


def test_largest_stable_learning_rate(built_site):
    out = _output(built_site, "largest_stable_lr.py")
    assert "largest stable learning rate without batch norm: 1\n" in out
    assert "largest stable learning rate with batch norm: 3\n" in out
    rows = re.findall(r"^\s*([\d.]+)\s+(\S+) (ok|--)\s+(\S+) (ok|--)$", out, re.M)
    assert len(rows) == 6
    oracle = _independent_lr_table()
    for lr, plain, plain_ok, normed, normed_ok in rows:
        for bn, shown, ok in [(False, plain, plain_ok), (True, normed, normed_ok)]:
            first, last = oracle[bn, float(lr)]
            stable = math.isfinite(last) and last < first
            assert (ok == "ok") == stable
            if stable and float(lr) <= 1:
                assert float(shown) == pytest.approx(last, rel=0.05, abs=5e-3)  # float sums differ by thread count
    assert "1.237 ok" in out and "0.024 ok" in out


def test_running_statistics_and_modes(built_site):
    out = _output(built_site, "train_vs_eval.py")
    rows = {int(k): (float(m), float(v)) for k, m, v in re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)}
    assert sorted(rows) == [1, 5, 20, 50]
    for k, (m, v) in rows.items():
        assert m == pytest.approx(5 * (1 - 0.9**k), abs=5e-4)
        assert v == pytest.approx(0.9**k + 4 * 16 / 15 * (1 - 0.9**k), abs=5e-4)
    mean50, var50 = 5 * (1 - 0.9**50), 0.9**50 + 4 * 16 / 15 * (1 - 0.9**50)
    expected_eval = (7 - mean50) / math.sqrt(var50 + 1e-5)
    assert f"eval, x = 7 alone:            {expected_eval:.4f}" in out
    assert f"eval, x = 7 among others:     {expected_eval:.4f}" in out
    assert "0.9827" in out
    for batch, label in [([7, 5, 9], "with 5 and 9"), ([7, 0, 1], "with 0 and 1")]:
        mu = sum(batch) / 3
        var = sum((b - mu) ** 2 for b in batch) / 3
        assert f"train, x = 7 {label}:    {(7 - mu) / math.sqrt(var + 1e-5):.4f}" in out
    assert "ValueError: Expected more than 1 value per channel when training" in out
    assert 2 * (1 - 0.9**3) == pytest.approx(0.542)


def test_batchnorm2d_statistics_per_channel(built_site):
    out = _output(built_site, "batchnorm2d_shapes.py")
    assert "(N, C, H, W): (8, 4, 16, 16)" in out
    assert "shapes: (4,) (4,) (4,)" in out
    assert f"N·H·W = {8 * 16 * 16}" in out and 8 * 16 * 16 == 2048
    assert "[0.0, 0.0, 0.0, 0.0]" in out and "[1.0, 1.0, 1.0, 1.0]" in out
    assert "matrix: True" in out


def test_norm_axes(built_site):
    out = _output(built_site, "norm_axes.py")
    assert "every channel has mean 0 over (N, H, W): True" in out
    assert "every example has mean 0 over (C, H, W): True" in out
    assert "alone equals its row in the batch: True" in out
    assert "alone equals their rows in the batch: False" in out


def test_torch_batch_norm_defaults():
    """The page's ε = 10⁻⁵ and momentum 0.1 are PyTorch's defaults (Keras's 0.9 is 1 − 0.1)."""
    bn = nn.BatchNorm1d(3)
    assert bn.eps == 1e-5 and bn.momentum == 0.1 and 1 - bn.momentum == pytest.approx(0.9)
    assert torch.equal(bn.weight.detach(), torch.ones(3)) and torch.equal(bn.bias.detach(), torch.zeros(3))  # γ = 1, β = 0
    assert nn.LayerNorm(3).eps == 1e-5
