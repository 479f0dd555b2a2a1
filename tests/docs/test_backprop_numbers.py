"""The claims chapter 10 makes, checked against closed forms and torch.autograd (not against lessonlib).

The chapter quotes the values its snippets publish ({{ value(...) }}); here
they are compared, with stated tolerances, with torch.autograd and arithmetic
done in this file.
"""

import math
import re

import pytest
import torch

CHAPTER = "snippets/09_backprop"


def _run(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")


def _values(built_site, name):
    built_site.check()
    return built_site.values(f"{CHAPTER}/{name}")


def _output(built_site, name):
    return _run(built_site, name).stdout


def _neuron():
    """The chapter's neuron in torch.autograd, float64: the forward values and every leaf's gradient."""
    x, w, b, y = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (2.0, -0.5, 0.3, 1.0))
    z = w * x + b
    z.retain_grad()
    a = torch.tanh(z)
    a.retain_grad()
    e = a - y
    L = e**2
    L.backward()
    return dict(x=x, w=w, b=b, y=y, z=z, a=a, e=e, L=L)


def test_the_neuron_graph_by_the_chain_rule(built_site):
    t = _neuron()
    values = _values(built_site, "graph.py")
    # the forward pass: a = tanh(-0.7), e = a - y, L = e²
    assert values["a"] == pytest.approx(math.tanh(-0.7), abs=1e-12)
    assert values["a"] == pytest.approx(t["a"].item(), abs=1e-12)
    assert values["e"] == pytest.approx(t["e"].item(), abs=1e-12)
    assert values["L"] == pytest.approx(t["L"].item(), abs=1e-12)
    # the backward pass, factor by factor, against torch.autograd
    assert values["dL_da"] == pytest.approx(t["a"].grad.item(), abs=1e-12)
    assert values["da_dz"] == pytest.approx(1 - math.tanh(-0.7) ** 2, abs=1e-12)
    assert values["dL_dz"] == pytest.approx(t["z"].grad.item(), abs=1e-12)
    assert values["dL_dw"] == pytest.approx(t["w"].grad.item(), abs=1e-12)
    assert values["dL_dw"] == pytest.approx(values["dL_da"] * values["da_dz"] * 2, abs=1e-12)  # "(dL/da)(da/dz)(2)"
    assert values["dL_db"] == pytest.approx(t["b"].grad.item(), abs=1e-12) == values["dL_dz"]  # "reused for b"
    # five leaves (x, w, b, y, -1) and six operations (wx, z, a, -y, e, L); two inputs each except tanh and **2
    assert values["nodes"] == 5 + 6 and values["edges"] == 2 + 2 + 1 + 2 + 2 + 1
    # the printed table: each node's value and gradient, to its four decimals
    out = _run(built_site, "graph.py").stdout
    expected = {name: (t[name].item(), t[name].grad.item()) for name in ["w", "x", "b", "y"]}
    expected.update(
        z=(t["z"].item(), t["z"].grad.item()), a=(t["a"].item(), t["a"].grad.item()), L=(t["L"].item(), 1.0)
    )
    for name, (value, grad) in expected.items():
        row = re.search(rf"^{re.escape(name)}\s+\S+\s+(-?[\d.]+)\s+(-?[\d.]+)$", out, re.M)
        assert row, name
        assert float(row[1]) == pytest.approx(value, abs=6e-5) and float(row[2]) == pytest.approx(grad, abs=6e-5), name


def test_engine_matches_torch(built_site):
    out = _output(built_site, "engine_vs_torch.py")
    rows = re.findall(r"^(\S+)\s+(-?[\d.]+)\s+(-?[\d.]+)$", out, re.M)
    assert len(rows) == 3 * 2 + 2 + 2 * 1 + 1 == 11  # "eleven gradients": the 3-2-1 network's parameters
    for _, ours, theirs in rows:
        assert ours == theirs  # "equal to the last printed digit"
    assert "all agree to within 1e-12: True" in out


def test_engine_source_is_shown(built_site):
    out = _output(built_site, "engine_source.py")
    for piece in ["def __mul__", "self.grad += other.data * out.grad", "def tanh", "1 - out.data**2", "def backward"]:
        assert piece in out


def test_training_loop_learns_xor(built_site):
    out = _output(built_site, "training_loop.py")
    assert "13 parameters" in out and 2 * 3 + 3 + 3 + 1 == 13
    losses = [float(v) for v in re.findall(r"loss ([\d.]+)", out)]
    assert losses[-1] < 1e-3 < losses[0]
    predictions = [float(v) for v in re.search(r"predictions: \[([^\]]+)\]", out)[1].split(",")]
    assert [round(p) for p in predictions] == [0, 1, 1, 0]


def _torch_gradient_norms(f, std, residual=False, norm=False, depth=20, width=64, batch=128):
    """The snippet's measurement redone with torch's own sigmoid, ReLU and layer_norm (float64)."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(batch, width, generator=gen, dtype=torch.float64)
    r = torch.randn(batch, width, generator=gen, dtype=torch.float64)
    g = torch.Generator().manual_seed(1)
    Ws = [(std * torch.randn(width, width, generator=g, dtype=torch.float64)).requires_grad_() for _ in range(depth)]
    h = x
    for W in Ws:
        z = h @ W
        if norm:
            z = torch.nn.functional.layer_norm(z, (width,))
        h = h + f(z) if residual else f(z)
    ((h * r).sum() / batch).backward()
    return [W.grad.norm().item() for W in Ws]


def test_vanishing_gradients(built_site):
    values = _values(built_site, "vanishing.py")
    xavier, he = math.sqrt(1 / 64), math.sqrt(2 / 64)
    oracle = {
        "sigmoid_ratio": _torch_gradient_norms(torch.sigmoid, xavier),
        "sigmoid_layernorm_ratio": _torch_gradient_norms(torch.sigmoid, xavier, norm=True),
        "sigmoid_residual_ratio": _torch_gradient_norms(torch.sigmoid, xavier, residual=True),
        "relu_ratio": _torch_gradient_norms(torch.relu, he),
        "half_he_layernorm_ratio": _torch_gradient_norms(torch.relu, he / 2, norm=True),
    }
    for name, norms in oracle.items():
        assert values[name] == pytest.approx(norms[0] / norms[-1], rel=1e-6), name
    # "falls by twelve orders of magnitude", "with LayerNorm added by about eight"
    assert round(math.log10(values["sigmoid_ratio"])) == -12
    assert round(math.log10(values["sigmoid_layernorm_ratio"])) == -8
    # LayerNorm "helps the sigmoid network by a few orders of magnitude, not more"
    assert 2 <= math.log10(values["sigmoid_layernorm_ratio"] / values["sigmoid_ratio"]) <= 5
    # residual connections, ReLU, and LayerNorm on a badly scaled ReLU network: flat
    for flat in ["sigmoid_residual_ratio", "relu_ratio", "half_he_layernorm_ratio"]:
        assert 0.1 < values[flat] < 10, flat
    # Half the He scale: a ReLU network is positively homogeneous, so layer l's input shrinks by 2^(l-1) and the
    # gradient arriving at its output by 2^(20-l); every weight gradient by exactly 2^19, "about half a million".
    assert values["half_he_smallest_shrink"] == pytest.approx(0.5**19, rel=1e-9)
    assert values["half_he_largest_shrink"] == pytest.approx(0.5**19, rel=1e-9)
    assert 4e5 < 2**19 < 6e5
    # the bound from the slopes alone, printed by the snippet: 0.25^20 ≈ 9·10^-13
    assert 0.25**20 == pytest.approx(9e-13, abs=0.5e-13)
    assert "0.25**20 = 9.1e-13" in _output(built_site, "vanishing.py")


def test_sigmoid_slope_bound_against_torch():
    z = torch.linspace(-10, 10, 2001, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(z).sum().backward()
    assert z.grad.max().item() == pytest.approx(0.25)


def test_reverse_mode_cost_of_central_differences(built_site):
    built_site.check()
    count = built_site.values("snippets/08_neurons/mlp_784.py")["parameter_count"]
    assert count == 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10
    assert 4e5 < 2 * count < 6e5  # "half a million passes for one gradient"


def test_the_engine_is_about_two_hundred_lines():
    from tests.conftest import ROOT

    lines = (ROOT / "lessonlib/autograd.py").read_text(encoding="utf-8").splitlines()
    assert 150 <= len(lines) <= 250  # "in about two hundred lines"
