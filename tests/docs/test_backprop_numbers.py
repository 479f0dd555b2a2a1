"""The claims chapter 10 makes, checked against closed forms and torch.autograd (not against lessonlib).

The chapter quotes the values its snippets publish ({{ value(...) }}); here
they are compared, with stated tolerances, with torch.autograd and arithmetic
done in this file.
"""

import ast
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


def _small_layer():
    """The chapter's 2×2 layer on a batch of 2 in torch.autograd: every number is dyadic, so the gradients are exact."""
    X = torch.tensor([[1.0, 2.0], [-1.0, 0.5]], dtype=torch.float64, requires_grad=True)
    W = torch.tensor([[0.5, -1.0], [0.25, 2.0]], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.5, -0.25], dtype=torch.float64, requires_grad=True)
    Y = torch.eye(2, dtype=torch.float64)
    Z = X @ W + b
    Z.retain_grad()
    L = torch.nn.functional.mse_loss(Z, Y)
    L.backward()
    return X, W, b, Z, L


def _printed_matrix(out, label):
    row = re.search(rf"^  {re.escape(label)}\s+(\[.*\])$", out, re.M)
    assert row, label
    return torch.tensor(ast.literal_eval(row[1]), dtype=torch.float64)


def test_one_layer_in_matrix_form(built_site):
    out = _output(built_site, "matrix_form.py")
    # the shapes the page's table claims, for m = 5 examples, n = 3 inputs, k = 2 outputs
    m, n, k = 5, 3, 2
    assert f"m = {m} examples, n = {n} inputs, k = {k} outputs; Delta = dL/dZ is {(m, k)}" in out
    assert f"{(n, m)} @ {(m, k)} -> {(n, k)}, the shape of W" in out
    assert f"{(m, k)} @ {(k, n)} -> {(m, n)}, the shape of X" in out
    assert f"{(m, k)} summed -> {(k,)}, the shape of b" in out
    assert out.count("autograd agrees to 1e-12: True") == 3 and "False" not in out

    # the 2×2 layer: the printed matrices, the formulas' and the engine's, equal autograd's exactly
    X, W, b, Z, L = _small_layer()
    torch.testing.assert_close(_printed_matrix(out, "Delta"), Z.grad, rtol=0, atol=0)
    for label, leaf in [("X^T Delta", W), ("Value W.grad", W), ("Delta W^T", X), ("Value X.grad", X)]:
        torch.testing.assert_close(_printed_matrix(out, label), leaf.grad, rtol=0, atol=0, msg=label)
    sums = re.search(r"Delta's rows summed (\[.*\]),  Value b.grad (\[.*\])$", out, re.M)
    for printed in sums.groups():
        assert ast.literal_eval(printed) == b.grad.tolist()
    assert f"all {4 + 4 + 2} gradients equal, to the last bit: True" in out

    # the values the prose quotes, and the sums it writes out: dL/dW_11 = 1·Δ_11 + (−1)·Δ_21, dL/db_1 = Δ_11 + Δ_21
    values = _values(built_site, "matrix_form.py")
    assert values["small_delta_11"] == Z.grad[0, 0].item() == 2 * (Z[0, 0].item() - 1) / 4
    assert values["small_delta_21"] == Z.grad[1, 0].item() == 2 * Z[1, 0].item() / 4
    assert values["small_dW_11"] == W.grad[0, 0].item() == values["small_delta_11"] - values["small_delta_21"]
    assert values["small_db_1"] == b.grad[0].item() == values["small_delta_11"] + values["small_delta_21"]
    assert values["small_loss"] == L.item()


def test_two_layer_network_in_matrix_form(built_site):
    out = _output(built_site, "two_layer.py")
    # the snippet's numbers, drawn in the same order from the same seed, and differentiated by torch.autograd
    gen = torch.Generator().manual_seed(0)
    m, n, k, t = 8, 3, 4, 2
    X, Y = (torch.randn(*s, generator=gen, dtype=torch.float64) for s in [(m, n), (m, t)])
    params = [
        torch.randn(*s, generator=gen, dtype=torch.float64).requires_grad_() for s in [(n, k), (k,), (k, t), (t,)]
    ]
    W1, b1, W2, b2 = params
    L = torch.nn.functional.mse_loss(torch.tanh(X @ W1 + b1) @ W2 + b2, Y)
    L.backward()
    values = _values(built_site, "two_layer.py")
    assert values["loss"] == pytest.approx(L.item(), rel=1e-12)
    for name, p in zip(["dW1_norm", "db1_norm", "dW2_norm", "db2_norm"], params):
        assert values[name] == pytest.approx(p.grad.norm().item(), rel=1e-10), name
    assert f"m = {m} examples, n = {n} inputs, k = {k} hidden units, t = {t} outputs" in out
    assert "loss agrees with autograd to 1e-12: True" in out
    for name, p in zip(["dL/dW1", "dL/db1", "dL/dW2", "dL/db2"], params):
        row = re.search(rf"^  {re.escape(name)}\s+(\(.*?\))\s+autograd agrees to 1e-12: True$", out, re.M)
        assert row and ast.literal_eval(row[1]) == tuple(p.shape), name


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
