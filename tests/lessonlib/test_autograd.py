"""lessonlib.autograd.Value against torch.autograd on random expression graphs."""

import math
import random

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lessonlib.autograd import Value

# Each op maps a list of nodes (Value or 0-d float64 tensors) to a new node.
# Python's operators work on both; the named functions differ.
UNARY = {
    "neg": lambda x: -x,
    "exp": lambda x: x.exp(),
    "log": lambda x: x.log(),
    "tanh": lambda x: x.tanh(),
    "relu": lambda x: x.relu(),
    "square": lambda x: x**2,
    "cube": lambda x: x**3,
    "inverse": lambda x: x**-1,
    "sqrt": lambda x: x**0.5,
    "radd": lambda x: 1.5 + x,
    "rsub": lambda x: 2.5 - x,
    "rmul": lambda x: -0.7 * x,
    "rtruediv": lambda x: 1.3 / x,
    "add_const": lambda x: x + 2,
    "div_const": lambda x: x / 4,
}
BINARY = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "truediv": lambda x, y: x / y,
}


def random_program(rng, n_leaves, n_ops):
    """A list of (op, operand indices); nodes may be reused (a DAG, not a tree)."""
    program = []
    for k in range(n_ops):
        n_nodes = n_leaves + k
        if rng.random() < 0.5:
            program.append((rng.choice(sorted(UNARY)), (rng.randrange(n_nodes),)))
        else:
            program.append((rng.choice(sorted(BINARY)), (rng.randrange(n_nodes), rng.randrange(n_nodes))))
    return program


def run(program, leaves):
    nodes = list(leaves)
    for op, args in program:
        f = UNARY.get(op) or BINARY[op]
        nodes.append(f(*(nodes[i] for i in args)))
    # the output depends on the last few nodes, and so on much of the graph
    return nodes[-1] + nodes[-2] * 0.5 + nodes[-3]


def _valid(program, xs):
    """Evaluate in lessonlib; reject graphs leaving the domain or blowing up."""
    try:
        nodes = [Value(x) for x in xs]
        for op, args in program:
            f = UNARY.get(op) or BINARY[op]
            out = f(*(nodes[i] for i in args))
            if not math.isfinite(out.data) or abs(out.data) > 1e4:
                return False
            if op in ("sqrt", "inverse", "rtruediv", "log") and abs(nodes[args[0]].data) < 1e-3:
                return False  # a derivative that is infinite (or nearly) at 0
            if op == "truediv" and abs(nodes[args[1]].data) < 1e-3:
                return False
            nodes.append(out)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):
        return False  # log of a non-positive, a complex power, 1/0
    return True


def _compare(program, xs):
    leaves = [Value(x) for x in xs]
    out = run(program, leaves)
    out.backward()

    t_leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    t_out = run(program, t_leaves)
    t_out.backward()

    assert out.data == pytest.approx(t_out.item(), rel=1e-9, abs=1e-12)
    for v, t in zip(leaves, t_leaves, strict=True):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert v.grad == pytest.approx(expected, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("seed", range(40))
def test_random_expression_graphs_match_torch(seed):
    rng = random.Random(seed)
    n_leaves = rng.randint(1, 4)
    checked = 0
    while checked < 5:
        program = random_program(rng, n_leaves, rng.randint(3, 15))
        xs = [rng.uniform(-2, 2) for _ in range(n_leaves)]
        if _valid(program, xs):
            _compare(program, xs)
            checked += 1


def test_every_op_is_covered_by_the_random_graphs():
    rng, seen = random.Random(0), set()
    for _ in range(200):
        seen.update(op for op, _ in random_program(rng, 3, 10))
    assert seen == set(UNARY) | set(BINARY)


def test_neuron_matches_torch():
    # tanh(w·x + b), the chapter's neuron
    x, w, b = [0.5, -1.5, 2.0], [0.3, -0.2, 0.9], 0.1
    xs, ws, bv = [Value(v) for v in x], [Value(v) for v in w], Value(b)
    out = sum((wi * xi for wi, xi in zip(ws, xs, strict=True)), bv).tanh()
    out.backward()
    tx, tw = torch.tensor(x, dtype=torch.float64), torch.tensor(w, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    t_out = torch.tanh(tw @ tx + tb)
    t_out.backward()
    assert out.data == pytest.approx(t_out.item())
    assert [v.grad for v in ws] == pytest.approx(tw.grad.tolist())
    assert bv.grad == pytest.approx(tb.grad.item())


def test_a_second_backward_accumulates_into_leaves_like_torch():
    a, b = Value(1.5), Value(-0.5)
    out = (a * b).tanh() * a + b.exp()
    out.backward()
    out.backward()
    ta = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(-0.5, dtype=torch.float64, requires_grad=True)
    t_out = torch.tanh(ta * tb) * ta + tb.exp()
    t_out.backward(retain_graph=True)
    t_out.backward()
    assert (a.grad, b.grad) == pytest.approx((ta.grad.item(), tb.grad.item()))


# ---------------------------------------------------------------- properties


finite = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(finite, finite)
def test_product_and_quotient_rules(x, y):
    a, b = Value(x), Value(y)
    (a * b).backward()
    assert (a.grad, b.grad) == (y, x)
    if abs(y) > 1e-3:
        a, b = Value(x), Value(y)
        (a / b).backward()
        assert a.grad == pytest.approx(1 / y)
        assert b.grad == pytest.approx(-x / y**2)


@settings(max_examples=60, deadline=None)
@given(finite, st.integers(1, 20))
def test_gradient_accumulates_over_every_use(x, n):
    a = Value(x)
    total = a
    for _ in range(n - 1):
        total = total + a  # a is used n times
    total.backward()
    assert a.grad == n
    assert total.data == pytest.approx(n * x)


# ---------------------------------------------------------------- input checks


def test_bad_data_raises():
    with pytest.raises(TypeError, match=r"^Invalid data: 'a' \(must be a real number\)$"):
        Value("a")
    with pytest.raises(TypeError, match=r"^Invalid data: 1j \(must be a real number\)$"):
        Value(1j)
    with pytest.raises(TypeError, match=r"^Invalid data: True \(must be a real number\)$"):
        Value(True)


def test_infinite_data_is_a_value_not_an_error():
    # arithmetic can overflow to inf, as in torch; only the type of data is checked
    assert (Value(1e308) * 10).data == math.inf


@pytest.mark.parametrize(
    "f",
    [
        lambda v: v + "x",
        lambda v: "x" + v,
        lambda v: v * [1],
        lambda v: v - "x",
        lambda v: "x" - v,
        lambda v: v / "x",
        lambda v: "x" / v,
    ],
)
def test_unsupported_operands_raise(f):
    with pytest.raises(TypeError, match=r"^Invalid operand: ('x'|\[1\]) \(must be a Value or a real number\)$"):
        f(Value(1.0))


def test_bad_exponent_and_log_domain_raise():
    with pytest.raises(TypeError, match=r"^Invalid k: <Value> \(must be a real number\)$"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(ValueError, match="log needs a positive value, got -1.0"):
        Value(-1.0).log()
