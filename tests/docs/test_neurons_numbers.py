"""The numbers chapter 8 states, checked against closed forms and independent computation (not against lessonlib).

The snippets print them; the build puts the printed values on the page; here
they are compared with arithmetic done in this file.
"""

import math
import re

import pytest


CHAPTER = "snippets/08_neurons"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


def _sigmoid(z):
    return 1 / (1 + math.exp(-z))


def _gelu(z):
    return 0.5 * z * (1 + math.erf(z / math.sqrt(2)))


def test_one_neuron(built_site):
    out = _output(built_site, "perceptron.py")
    z = 0.4 * 1 + (-0.6) * 0.5 + 0.1 * (-2) + 0.3
    assert f"= {z:.4f}" in out and f"sigmoid(z) = {_sigmoid(z):.4f}" in out
    assert re.search(r"AND: .* 4/4 correct", out)
    assert re.search(r"XOR: after 100 epochs .* [0-3]/4 correct", out)


def test_no_line_separates_xor():
    """A brute-force search over many lines: none gets more than 3 of the 4 XOR corners right."""
    corners, labels = [(0, 0), (0, 1), (1, 0), (1, 1)], [0, 1, 1, 0]
    best = 0
    for i in range(72):
        angle = 2 * math.pi * i / 72
        w1, w2 = math.cos(angle), math.sin(angle)
        for b in [k / 20 - 2 for k in range(81)]:
            correct = sum(int((w1 * x1 + w2 * x2 + b > 0) == bool(t)) for (x1, x2), t in zip(corners, labels))
            best = max(best, correct)
    assert best == 3


def test_activation_values_and_ranges(built_site):
    out = _output(built_site, "activations.py")
    zs = [-3.0, -1.0, 0.0, 1.0, 3.0]
    rows = {
        "relu": [max(0.0, z) for z in zs],
        "sigmoid": [_sigmoid(z) for z in zs],
        "tanh": [math.tanh(z) for z in zs],
        "gelu": [_gelu(z) for z in zs],
    }
    total = sum(math.exp(z) for z in zs)
    rows["softmax"] = [math.exp(z) / total for z in zs]
    for name, values in rows.items():
        (line,) = [row for row in out.splitlines() if row.startswith(name)]
        printed = [float(v) for v in line.split()[1:6]]
        assert printed == pytest.approx(values, abs=6e-5), name
    # the largest slopes: σ'(0) = 1/4, tanh'(0) = 1, ReLU' = 1; GELU's slope peaks above 1
    assert "largest slope of sigmoid 0.2500" in out and "largest slope of tanh    1.0000" in out
    assert "largest slope of relu    1.0000" in out
    # GELU's minimum: Φ(z) + z φ(z) = 0 near z = -0.7518, where GELU ≈ -0.1700
    z_min = -0.7517916
    assert _gelu(z_min) == pytest.approx(-0.16997, abs=1e-5)
    assert "GELU's minimum: -0.1700 at z = -0.75" in out
    # the pitfall: σ'(5) < 0.007
    assert _sigmoid(5) * (1 - _sigmoid(5)) < 0.007


def test_xor_one_neuron_fails_network_solves(built_site):
    out = _output(built_site, "xor.py")
    loss, correct = re.search(r"one neuron\s+loss ([\d.]+)\s+correct (\d+)/40", out).groups()
    assert float(loss) == pytest.approx(math.log(2), abs=0.01) and int(correct) <= 30
    assert int(correct) == 20
    loss, correct = re.search(r"2-2-1 network\s+loss ([\d.]+)\s+correct (\d+)/40", out).groups()
    assert float(loss) < 0.01 and int(correct) == 40


def test_parameter_count(built_site):
    out = _output(built_site, "mlp_784.py")
    layers = [(784, 256), (256, 128), (128, 10)]
    total = sum(a * b + b for a, b in layers)
    assert total == 235_146
    assert [a * b + b for a, b in layers] == [200_960, 32_896, 1_290]
    assert f"total: {total:,}" in out and f"= {total:,}" in out
    assert round(100 * 200_960 / total) == 85  # "85% sit in the first layer"
    assert 28 * 28 == 784
    assert "logits (32, 10)" in out


def test_forward_pass_matches_and_sums_to_one(built_site):
    out = _output(built_site, "forward_pass.py")
    assert "same as nn.Sequential: True" in out
    sums = re.findall(r"sum ([\d.]+)", out)
    assert len(sums) == 2 and all(float(s) == pytest.approx(1.0, abs=1e-4) for s in sums)


def test_universal_approximation_error_falls_with_width(built_site):
    out = _output(built_site, "universal_approximation.py")
    rows = re.findall(r"^\s*(\d+)\s+(\d+)\s+([\d.]+)$", out, re.M)
    assert [int(w) for w, _, _ in rows] == [3, 10, 100]
    for width, params, _ in rows:
        assert int(params) == 3 * int(width) + 1  # width weights and biases in, width weights and a bias out
    mse = [float(m) for _, _, m in rows]
    assert mse[0] > mse[1] > mse[2]
    assert mse[0] / mse[2] > 100  # "more than a hundred times smaller"


def test_softmax_derivative_bump_peaks_at_a_quarter():
    """The figure's alt text: the derivative of the first softmax probability of (z, 1, 0) is a bump of height 0.25."""
    import numpy as np

    z = np.linspace(-6, 6, 12001)
    logits = np.stack([z, np.ones_like(z), np.zeros_like(z)], axis=1)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p1 = p[:, 0] / p.sum(axis=1)
    slope = p1 * (1 - p1)  # ∂p₁/∂z₁ = p₁(1 − p₁)
    assert slope.max() == pytest.approx(0.25, abs=1e-6)
    assert slope[0] < 0.01 and slope[-1] < 0.01  # a bump: small at both ends of the plotted range


def test_xor_exercise_two_units_fail_more_often():
    """Exercise 5: ten seeds, 2 against 16 tanh hidden units, trained with torch.optim.Adam (the oracle)."""
    import torch
    from torch import nn

    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([0.0, 1.0, 1.0, 0.0])
    failures = {}
    for width, steps in [(2, 200), (16, 200), (2, 2000)]:
        failures[width, steps] = 0
        for seed in range(10):
            torch.manual_seed(seed)
            net = nn.Sequential(nn.Linear(2, width), nn.Tanh(), nn.Linear(width, 1))
            optimizer = torch.optim.Adam(net.parameters(), lr=0.05)
            for _ in range(steps):
                loss = nn.functional.binary_cross_entropy_with_logits(net(X).squeeze(1), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            failures[width, steps] += int(((net(X).squeeze(1) > 0).float() != y).any())
    assert failures[2, 200] >= 3 and failures[16, 200] == 0
    assert failures[2, 2000] >= 3  # "training them ten times longer does not rescue them"
