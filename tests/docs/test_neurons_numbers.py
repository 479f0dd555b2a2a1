"""The claims chapter 9 makes, checked against closed forms and independent computation (not against lessonlib).

The chapter quotes the numbers its snippets publish ({{ value(...) }}); here
those values, as the build published them, are compared with arithmetic done
in this file, pure Python, NumPy or scikit-learn, with stated tolerances.
"""

import math
import re
from pathlib import Path

import pytest

CHAPTER = "snippets/08_neurons"
PAGE = Path(__file__).resolve().parents[2] / "docs" / "part-2" / "08-neurons-and-networks.md"


def _run(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")


def _values(built_site, name):
    built_site.check()
    return built_site.values(f"{CHAPTER}/{name}")


def _sigmoid(z):
    return 1 / (1 + math.exp(-z))


def _Phi(z):
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def _phi(z):
    return math.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def _gelu(z):
    return z * _Phi(z)


def _perceptron(labels, max_epochs=100):
    """Rosenblatt's rule on the four corners, in plain Python: (epochs run, corners right at the end)."""
    corners = [(0, 0), (0, 1), (1, 0), (1, 1)]
    step = lambda z: 1 if z > 0 else 0
    w, b = [0, 0], 0
    for epoch in range(1, max_epochs + 1):  # noqa: B007 (the count is returned after the loop)
        mistakes = 0
        for (x1, x2), t in zip(corners, labels):
            error = t - step(w[0] * x1 + w[1] * x2 + b)
            w, b = [w[0] + error * x1, w[1] + error * x2], b + error
            mistakes += error != 0
        if mistakes == 0:
            break
    return epoch, sum(step(w[0] * x1 + w[1] * x2 + b) == t for (x1, x2), t in zip(corners, labels))


def test_one_neuron(built_site):
    out = _run(built_site, "perceptron.py").stdout
    z = 0.4 * 1 + (-0.6) * 0.5 + 0.1 * (-2) + 0.3
    assert f"= {z:.4f}" in out and f"sigmoid(z) = {_sigmoid(z):.4f}" in out


def test_perceptron_learns_and_but_never_xor(built_site):
    values = _values(built_site, "perceptron.py")
    # "On AND the rule stops after N epochs with every point right": the same count as a plain-Python run of the rule
    assert (values["and_epochs"], values["and_correct"]) == _perceptron([0, 0, 0, 1])
    assert values["and_correct"] == 4 and values["and_epochs"] < 100
    # "On XOR it never stops: ... after 100 epochs it is still making mistakes"
    assert (values["xor_epochs"], values["xor_correct"]) == _perceptron([0, 1, 1, 0])
    assert values["xor_epochs"] == 100 and values["xor_correct"] <= 3


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
    out = _run(built_site, "activations.py").stdout
    zs = [-3.0, -1.0, 0.0, 1.0, 3.0]
    rows = {
        "relu": [max(0.0, z) for z in zs],
        "sigmoid": [_sigmoid(z) for z in zs],
        "tanh": [math.tanh(z) for z in zs],
        "gelu": [_gelu(z) for z in zs],
    }
    total = sum(math.exp(z) for z in zs)
    rows["softmax"] = [math.exp(z) / total for z in zs]
    for name, expected in rows.items():
        (line,) = [row for row in out.splitlines() if row.startswith(name)]
        printed = [float(v) for v in line.split()[1:6]]
        assert printed == pytest.approx(expected, abs=6e-5), name
    assert "agrees with torch.nn.functional to within 1e-6 on [-6, 6]: True" in out
    # the pitfall: σ'(5) < 0.007
    assert _sigmoid(5) * (1 - _sigmoid(5)) < 0.007


def test_largest_slopes(built_site):
    """The derivative panel: σ' peaks at 1/4, tanh' at 1, GELU' overshoots 1 slightly (the maximum on the grid)."""
    values = _values(built_site, "activations.py")
    assert values["sigmoid_largest_slope"] == pytest.approx(0.25, abs=1e-9)  # σ'(0) = 1/4, and 0 is on the grid
    assert values["tanh_largest_slope"] == pytest.approx(1.0, abs=1e-9)
    grid = [-6 + 12 * k / 1200 for k in range(1201)]
    gelu_slope = max(_Phi(z) + z * _phi(z) for z in grid)
    assert values["gelu_largest_slope"] == pytest.approx(gelu_slope, abs=1e-9)
    assert 1 < values["gelu_largest_slope"] < 1.2  # "overshoots 1 slightly"


def test_gelu_minimum(built_site):
    """The table's range "about [-0.17, ∞)" and exercise 4: bisection on Φ(z) + zφ(z) = 0 against the grid search."""
    values = _values(built_site, "activations.py")
    lo, hi = -2.0, 0.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _Phi(mid) + mid * _phi(mid) < 0 else (lo, mid)
    z_min = (lo + hi) / 2
    assert z_min == pytest.approx(-0.7518, abs=1e-4)  # the exercise's typed root
    # the grid (step 0.01) misses the true minimum by less than 0.005 in z, so by under 1e-5 in value
    assert values["gelu_argmin"] == pytest.approx(z_min, abs=0.005)
    assert values["gelu_min"] == pytest.approx(_gelu(z_min), abs=1e-5)
    assert values["gelu_min"] >= _gelu(z_min)
    assert round(values["gelu_min"], 2) == -0.17


def test_xor_one_neuron_fails_network_solves(built_site):
    """The single neuron ends at the best a line can do (scikit-learn's unregularised logistic regression),
    near ln 2."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    from lessonlib.data import xor  # the data set only; the fit is scikit-learn's

    X, y = xor(n=40, noise=0.15, seed=0)
    X, y = X.double().numpy(), y.numpy()
    line = LogisticRegression(C=1e10, max_iter=10_000).fit(X, y)
    best_line_loss = log_loss(y, line.predict_proba(X)[:, 1])

    values = _values(built_site, "xor.py")
    assert values["neuron_loss"] == pytest.approx(best_line_loss, abs=1e-3)
    assert values["neuron_loss"] == pytest.approx(math.log(2), abs=0.01)  # "close to ln 2"
    assert values["neuron_correct"] == int((line.predict(X) == y).sum()) == 20  # "20 of the 40: chance"
    # "The 2-2-1 network gets 40 of the 40, every one", at a loss far below the line's
    assert values["network_correct"] == len(y) == 40
    assert values["network_loss"] < 0.01 and values["network_loss"] < best_line_loss / 100


def test_parameter_count(built_site):
    values = _values(built_site, "mlp_784.py")
    layers = [(784, 256), (256, 128), (128, 10)]
    per_layer = [a * b + b for a, b in layers]
    assert per_layer == [200_960, 32_896, 1_290]  # the equation's underbraces
    assert values["parameter_count"] == sum(per_layer) == 235_146
    assert values["first_layer_parameters"] == per_layer[0]
    assert round(100 * per_layer[0] / sum(per_layer)) == 85  # "Most of them, 85%, sit in the first layer"
    assert 28 * 28 == 784
    # the displayed equation's sum, typed in the text (typed-numbers.toml), is the count by code
    (typed,) = re.findall(r"= (\d{1,3}(?:\\,\d{3})+)\n", PAGE.read_text(encoding="utf-8"))
    assert int(typed.replace("\\,", "")) == values["parameter_count"]
    out = _run(built_site, "mlp_784.py").stdout
    assert f"total: {sum(per_layer):,}" in out and "logits (32, 10)" in out


def test_forward_pass_matches_and_sums_to_one(built_site):
    out = _run(built_site, "forward_pass.py").stdout
    assert "same as nn.Sequential: True" in out
    rows = re.findall(r"p = \[([\d., ]+)\], sum ([\d.]+)", out)
    assert len(rows) == 2
    for probabilities, total in rows:
        p = [float(v) for v in probabilities.split(",")]
        assert all(0 <= v <= 1 for v in p) and sum(p) == pytest.approx(1.0, abs=2e-4)
        assert float(total) == pytest.approx(1.0, abs=1e-4)


def test_universal_approximation_error_falls_with_width(built_site):
    out = _run(built_site, "universal_approximation.py").stdout
    rows = re.findall(r"^\s*(\d+)\s+(\d+)\s+([\d.]+)$", out, re.M)
    assert [int(w) for w, _, _ in rows] == [3, 10, 100]
    for width, params, _ in rows:
        assert int(params) == 3 * int(width) + 1  # width weights and biases in, width weights and a bias out
    values = _values(built_site, "universal_approximation.py")
    mse = [values["mse_3_units"], values["mse_10_units"], values["mse_100_units"]]
    assert mse[0] > mse[1] > mse[2] > 0
    assert mse[0] / mse[2] > 100  # "more than a hundred times smaller"
    # three hinges cannot follow sin(3x) + |x|/2: the best constant fit's MSE (the target's variance) bounds it
    import numpy as np

    x = np.linspace(-2, 2, 100)
    target = np.sin(3 * x) + 0.5 * np.abs(x)
    assert mse[0] < target.var()


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
    """Exercise 5: ten seeds, 2 against 16 tanh hidden units, trained with torch.optim.Adam (the oracle).

    The ten networks train side by side: each is built from its seed as nn.Sequential(Linear, Tanh, Linear) would
    build it, and their parameters are stacked. Adam works element by element and the loss is the sum of the ten
    networks' own losses, so one Adam over the stacked parameters takes each network's own steps, ten times faster
    than ten loops (the failure counts were checked equal to ten separate trainings: 6, 0 and 6).
    """
    import torch
    from torch import nn

    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([0.0, 1.0, 1.0, 0.0])
    seeds = 10

    def count_failures(width, steps):
        nets = []
        for seed in range(seeds):
            torch.manual_seed(seed)
            nets.append(nn.Sequential(nn.Linear(2, width), nn.Tanh(), nn.Linear(width, 1)))
        W1, b1, W2, b2 = (
            torch.stack([getattr(net[layer], name) for net in nets]).detach().requires_grad_()
            for layer, name in [(0, "weight"), (0, "bias"), (2, "weight"), (2, "bias")]
        )
        optimizer = torch.optim.Adam([W1, b1, W2, b2], lr=0.05)

        def logits():  # (seeds, 4): each network's logit for each input
            hidden = torch.tanh(X @ W1.transpose(1, 2) + b1[:, None, :])
            return (hidden @ W2.transpose(1, 2) + b2[:, None, :]).squeeze(2)

        for _ in range(steps):
            each = nn.functional.binary_cross_entropy_with_logits(logits(), y.expand(seeds, 4), reduction="none")
            loss = each.mean(dim=1).sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return int(((logits() > 0).float() != y).any(dim=1).sum())

    failures = {(width, steps): count_failures(width, steps) for width, steps in [(2, 200), (16, 200), (2, 2000)]}
    assert failures[2, 200] >= 3 and failures[16, 200] == 0
    assert failures[2, 2000] >= 3  # "training them ten times longer does not rescue them"


def _deep_network(f, f_slope, std, depth=30, width=128, batch=32):
    """The initialisation snippet's measurement, redone in NumPy with a hand-written backward pass.

    Only the random numbers come from torch (the same generator, seed and order as the snippet); the forward pass,
    the backward pass and the statistics are NumPy's. Returns std(h_l) and ‖∂L/∂W_l‖ for l = 1, ..., depth.
    """
    import numpy as np
    import torch

    gen = torch.Generator().manual_seed(0)
    x, r = (torch.randn(batch, width, generator=gen, dtype=torch.float64).numpy() for _ in range(2))
    V = torch.randn(depth, width, width, generator=gen, dtype=torch.float64).numpy()
    hs, zs = [x], []
    for W in std * V:
        zs.append(hs[-1] @ W)
        hs.append(f(zs[-1]))
    delta = r / batch  # ∂L/∂h_depth for L = Σ(h_depth ⊙ r) / batch
    grads = [0.0] * depth
    for k in reversed(range(depth)):  # layer k + 1: its input is hs[k], its pre-activation zs[k]
        delta_z = delta * f_slope(zs[k])
        grads[k] = float(np.linalg.norm(hs[k].T @ delta_z))  # ∂L/∂W = h_{l-1}ᵀ ∂L/∂z
        delta = delta_z @ (std * V[k]).T
    return [float(h.std(ddof=1)) for h in hs[1:]], grads


def _initialisation_runs():
    import numpy as np

    width = 128
    activations = {
        "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2, math.sqrt(2 / (width + width))),  # Glorot
        "ReLU": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float), math.sqrt(2 / width)),  # He
    }
    return {
        (name, factor): _deep_network(f, slope, factor * right)
        for name, (f, slope, right) in activations.items()
        for factor in (0.5, 1.0, 2.0)
    }


def test_initialisation_depth_matches_an_independent_computation(built_site):
    """Every number the snippet prints and publishes, against the NumPy re-computation."""
    runs = _initialisation_runs()
    out = _run(built_site, "initialisation_depth.py").stdout
    labels = {0.5: "too small (× 0.5)", 1.0: "right", 2.0: "too large (× 2)"}
    for (name, factor), (stds, grads) in runs.items():
        (line,) = [row for row in out.splitlines() if row.startswith(f"{name:<8}{labels[factor]}")]
        printed = [float(v) for v in line[len(f"{name:<8}{labels[factor]}") :].split()]
        expected = [stds[0], stds[9], stds[19], stds[29], grads[0], grads[29]]
        assert printed == pytest.approx(expected, rel=0.051), (name, factor)  # two printed digits

    values = _values(built_site, "initialisation_depth.py")
    for key, run in {
        "tanh_small": ("tanh", 0.5),
        "tanh_glorot": ("tanh", 1.0),
        "tanh_large": ("tanh", 2.0),
        "relu_small": ("ReLU", 0.5),
        "relu_he": ("ReLU", 1.0),
        "relu_large": ("ReLU", 2.0),
    }.items():
        assert values[f"{key}_last_std"] == pytest.approx(runs[run][0][-1], rel=1e-9), key
    assert values["relu_he_first_std"] == pytest.approx(runs["ReLU", 1.0][0][0], rel=1e-9)
    tanh_large_grads = runs["tanh", 2.0][1]
    assert values["tanh_large_grad_ratio"] == pytest.approx(tanh_large_grads[0] / tanh_large_grads[-1], rel=1e-9)
    assert values["relu_large_over_he_grad"] == pytest.approx(
        runs["ReLU", 2.0][1][0] / runs["ReLU", 1.0][1][0], rel=1e-9
    )


def test_initialisation_depth_claims_against_closed_forms(built_site):
    """The prose's explanations of the measurement, as closed forms."""
    values = _values(built_site, "initialisation_depth.py")
    # ReLU(cz) = c ReLU(z): doubling every weight multiplies h_30 by exactly 2^30 and every gradient by 2^29
    assert values["relu_large_last_std"] / values["relu_he_last_std"] == pytest.approx(2.0**30, rel=1e-9)
    assert values["relu_he_last_std"] / values["relu_small_last_std"] == pytest.approx(2.0**30, rel=1e-9)
    assert values["relu_large_over_he_grad"] == pytest.approx(2.0**29, rel=1e-9)
    # half the right scale: the std halves at every layer, about 2^-30 ≈ 1e-9 at layer 30 (up to finite-width drift)
    for key in ("tanh_small_last_std", "relu_small_last_std"):
        assert 0.25 < values[key] / 2.0**-30 < 4, key
    # He: Var(z_1) = 2 Var(x) = 2, so h_1 = ReLU(z_1) has E[h²] = 1 and E[h] = √2 / √(2π): std √(1 − 1/π)
    assert values["relu_he_first_std"] == pytest.approx(math.sqrt(1 - 1 / math.pi), rel=0.05)
    assert 0.5 < values["relu_he_last_std"] < 1.5  # "does not drift"
    # Glorot with tanh, a square layer: n Var(w) = 1, so Var(z_{l+1}) = E[tanh(z_l)²] =: q_{l+1}, with q_1 = Var(x) = 1.
    # Integrated numerically it gives std(h_30) = √q_31; for small q it is q − 2q², which decays like 1/(2l).
    zs = [k / 100 for k in range(-800, 801)]
    q = 1.0
    for _ in range(30):
        q = sum(math.tanh(math.sqrt(q) * z) ** 2 * _phi(z) * 0.01 for z in zs)
    assert math.sqrt(q) == pytest.approx(1 / math.sqrt(60), rel=0.03)
    assert values["tanh_glorot_last_std"] == pytest.approx(math.sqrt(q), rel=0.2)  # one random network of width 128
    assert round(1 / math.sqrt(60), 2) == 0.13
    # twice Glorot with tanh: saturated, not exploding (|tanh| < 1), and the gradient grows towards the input
    assert 0.5 < values["tanh_large_last_std"] < 1
    assert values["tanh_large_grad_ratio"] > 10


def test_pytorch_default_linear_initialisation(built_site):
    """kaiming_uniform_(a=√5): gain √(2 / (1 + a²)) = 1/√3, bound gain·√(3/n_in) = 1/√n_in, variance 1/(3 n_in)."""
    a = math.sqrt(5)
    for n_in in (1, 3, 256, 784):
        gain = math.sqrt(2 / (1 + a * a))
        bound = gain * math.sqrt(3 / n_in)
        assert bound == pytest.approx(1 / math.sqrt(n_in), rel=1e-12)
        assert bound**2 / 3 == pytest.approx(1 / (3 * n_in), rel=1e-12)  # U(−c, c) has variance c²/3
    out = _run(built_site, "initialisation_depth.py").stdout
    assert "nn.Linear(256, 64) is U(-1/√n_in, 1/√n_in) for weight and bias: True" in out
    (ratio,) = re.findall(r"variance of its weights / \(1 / \(3 n_in\)\) = ([\d.]+)", out)
    # the sample variance of 256 · 64 uniform draws: relative standard error √(4/5 / 16384) < 0.01
    assert float(ratio) == pytest.approx(1.0, abs=0.03)
