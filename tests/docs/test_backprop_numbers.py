"""The numbers chapter 9 states, checked against closed forms and torch.autograd (not against lessonlib).

The snippets print them; the build puts the printed values on the page; here
they are compared with arithmetic done in this file.
"""

import math
import re

import pytest
import torch


CHAPTER = "snippets/09_backprop"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


def test_the_neuron_graph_by_the_chain_rule(built_site):
    out = _output(built_site, "graph.py")
    x, w, b, y = 2.0, -0.5, 0.3, 1.0
    z = w * x + b
    a = math.tanh(z)
    L = (a - y) ** 2
    dL_da = 2 * (a - y)
    dL_dz = dL_da * (1 - a**2)
    assert z == pytest.approx(-0.7)
    expected = {
        "w": (w, dL_dz * x), "x": (x, dL_dz * w), "b": (b, dL_dz), "wx": (w * x, dL_dz), "z": (z, dL_dz),
        "a": (a, dL_da), "e": (a - y, dL_da), "L": (L, 1.0), "y": (y, -dL_da),
    }
    for name, (value, grad) in expected.items():
        row = re.search(rf"^{re.escape(name)}\s+\S+\s+(-?[\d.]+)\s+(-?[\d.]+)$", out, re.M)
        assert row, name
        assert float(row[1]) == pytest.approx(value, abs=6e-5) and float(row[2]) == pytest.approx(grad, abs=6e-5), name
    assert "11 nodes, 10 edges" in out
    assert f"{dL_da:.4f}" == "-3.2087" and f"{1 - a**2:.4f}" == "0.6347" and f"{dL_dz * x:.4f}" == "-4.0734"
    assert f"{dL_dz:.4f}" == "-2.0367" and f"{a:.4f}" == "-0.6044" and f"{L:.4f}" == "2.5740"
    assert f"= {dL_da * (1 - a**2) * x:.4f}" in out


def test_engine_matches_torch(built_site):
    out = _output(built_site, "engine_vs_torch.py")
    rows = re.findall(r"^(\S+)\s+(-?[\d.]+)\s+(-?[\d.]+)$", out, re.M)
    assert len(rows) == 11  # eleven gradients
    for _, ours, theirs in rows:
        assert ours == theirs
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


def test_vanishing_gradients(built_site):
    out = _output(built_site, "vanishing.py")
    ratio = {name.strip(): float(r) for name, r in re.findall(r"^(.+?)\s+\S+e[-+]\d+\s+\S+e[-+]\d+\s+(\S+e[-+]\d+)$", out, re.M)}
    assert ratio["sigmoid"] < 1e-11  # "about 1e-12 times the last layer's": twelve orders of magnitude
    assert 1e-10 < ratio["sigmoid + LayerNorm"] < 1e-6  # helps by a few orders of magnitude, not more
    for flat in ["sigmoid + residual", "ReLU", "ReLU, init ½ He + LayerNorm"]:
        assert 0.1 < ratio[flat] < 10
    small = re.search(r"^ReLU, init ½ He\s+(\S+)\s+(\S+)", out, re.M)
    assert 1e-7 < float(small[1]) < 1e-5 and 1e-7 < float(small[2]) < 1e-5  # "a million times smaller"
    assert 0.5**20 == pytest.approx(9.5e-7, rel=0.01)  # half the scale per layer, over 20 layers
    assert 0.25**20 == pytest.approx(9.1e-13, rel=0.01)
    assert "0.25**20 = 9.1e-13" in out


def test_sigmoid_slope_bound_against_torch():
    z = torch.linspace(-10, 10, 2001, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(z).sum().backward()
    assert z.grad.max().item() == pytest.approx(0.25)


def test_reverse_mode_cost_of_central_differences():
    assert 2 * 235_146 == 470_292  # "half a million passes for one gradient"


def test_the_engine_is_about_two_hundred_lines():
    from tests.conftest import ROOT

    lines = (ROOT / "lessonlib/autograd.py").read_text(encoding="utf-8").splitlines()
    assert 150 <= len(lines) <= 250  # "in about two hundred lines"
