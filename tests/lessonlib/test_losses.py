"""lessonlib.losses against torch.nn.functional (and a NumPy loop for contrastive_loss)."""

import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lessonlib import losses as L

DTYPES = [torch.float32, torch.float64]
REDUCTIONS = ["mean", "sum", "none"]
SHAPES = [(6,), (4, 3), (2, 3, 4)]


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


def randn(shape, dtype=torch.float64, scale=1.0, seed=0):
    return scale * torch.randn(shape, generator=gen(seed), dtype=dtype)


def randint(high, shape, seed=0):
    return torch.randint(0, high, shape, generator=gen(seed))


def probs(shape, dtype=torch.float64, seed=0):
    return torch.rand(shape, generator=gen(seed), dtype=dtype).clamp(0.01, 0.99)


# ---------------------------------------------------------------- regression losses


@pytest.mark.parametrize(("ours", "theirs"), [(L.mse_loss, F.mse_loss), (L.l1_loss, F.l1_loss)], ids=["mse", "l1"])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_regression_losses_match_torch(ours, theirs, shape, dtype):
    x, y = randn(shape, dtype, seed=1), randn(shape, dtype, seed=2)
    for reduction in REDUCTIONS:
        torch.testing.assert_close(ours(x, y, reduction=reduction), theirs(x, y, reduction=reduction))


@pytest.mark.parametrize("delta", [0.3, 1.0, 2.5])
@pytest.mark.parametrize("dtype", DTYPES)
def test_huber_matches_torch(delta, dtype):
    x, y = randn((5, 4), dtype, scale=2.0, seed=1), randn((5, 4), dtype, seed=2)
    for reduction in REDUCTIONS:
        torch.testing.assert_close(
            L.huber_loss(x, y, reduction=reduction, delta=delta),
            F.huber_loss(x, y, reduction=reduction, delta=delta),
        )


def test_huber_at_the_threshold_and_zero_matches_torch_with_gradients():
    x = torch.tensor([-1.0, 0.0, 1.0, 1.5], dtype=torch.float64, requires_grad=True)
    y = torch.zeros(4, dtype=torch.float64)
    ours = L.huber_loss(x, y, reduction="sum")
    (g_ours,) = torch.autograd.grad(ours, x)
    theirs = F.huber_loss(x, y, reduction="sum")
    (g_theirs,) = torch.autograd.grad(theirs, x)
    torch.testing.assert_close(ours, theirs)
    torch.testing.assert_close(g_ours, g_theirs)


# ---------------------------------------------------------------- classification losses


NLL_CASES = {  # input shape, target shape
    "batched": ((5, 4), (5,)),
    "unbatched": ((4,), ()),
    "spatial": ((3, 4, 2, 3), (3, 2, 3)),
}


@pytest.mark.parametrize("case", list(NLL_CASES))
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_nll_loss_matches_torch(case, weighted, dtype):
    in_shape, t_shape = NLL_CASES[case]
    class_dim = 1 if len(in_shape) > 1 else 0
    log_p = F.log_softmax(randn(in_shape, dtype, seed=1), dim=class_dim)
    target = randint(4, t_shape, seed=2)
    weight = torch.rand(4, generator=gen(3), dtype=dtype) + 0.5 if weighted else None
    for reduction in REDUCTIONS:
        torch.testing.assert_close(
            L.nll_loss(log_p, target, weight, reduction=reduction),
            F.nll_loss(log_p, target, weight, reduction=reduction),
        )


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [-100, 2])
def test_nll_loss_ignore_index_matches_torch(weighted, ignore_index):
    log_p = F.log_softmax(randn((8, 4), seed=1), dim=1)
    target = torch.tensor([0, 1, 2, 3, 2, -100, 1, 2])
    if ignore_index != -100:
        target = target.clamp(min=0)
    weight = torch.tensor([0.5, 1.0, 2.0, 3.0], dtype=torch.float64) if weighted else None
    for reduction in REDUCTIONS:
        kwargs = {"reduction": reduction, "ignore_index": ignore_index}
        torch.testing.assert_close(
            L.nll_loss(log_p, target, weight, **kwargs), F.nll_loss(log_p, target, weight, **kwargs)
        )


def test_nll_loss_accepts_int32_targets():
    log_p = F.log_softmax(randn((5, 3), seed=1), dim=1)
    target = randint(3, (5,), seed=2)
    torch.testing.assert_close(L.nll_loss(log_p, target.int()), F.nll_loss(log_p, target))


@pytest.mark.parametrize("case", list(NLL_CASES))
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_matches_torch(case, weighted, label_smoothing, dtype):
    in_shape, t_shape = NLL_CASES[case]
    logits = randn(in_shape, dtype, scale=3.0, seed=1)
    target = randint(4, t_shape, seed=2)
    weight = torch.rand(4, generator=gen(3), dtype=dtype) + 0.5 if weighted else None
    for reduction in REDUCTIONS:
        kwargs = {"reduction": reduction, "label_smoothing": label_smoothing}
        torch.testing.assert_close(
            L.cross_entropy(logits, target, weight, **kwargs),
            F.cross_entropy(logits, target, weight, **kwargs),
        )


@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_ignore_index_with_label_smoothing_matches_torch(weighted):
    logits = randn((3, 4, 5), scale=2.0, seed=1)
    target = randint(4, (3, 5), seed=2)
    target[0, 1] = target[2, 4] = -1
    weight = torch.tensor([0.5, 1.0, 2.0, 3.0], dtype=torch.float64) if weighted else None
    for reduction in REDUCTIONS:
        kwargs = {"reduction": reduction, "ignore_index": -1, "label_smoothing": 0.2}
        torch.testing.assert_close(
            L.cross_entropy(logits, target, weight, **kwargs),
            F.cross_entropy(logits, target, weight, **kwargs),
        )


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_cross_entropy_matches_torch(shape, dtype):
    p, y = probs(shape, dtype, seed=1), probs(shape, dtype, seed=2).round()
    for reduction in REDUCTIONS:
        torch.testing.assert_close(
            L.binary_cross_entropy(p, y, reduction=reduction),
            F.binary_cross_entropy(p, y, reduction=reduction),
        )


@pytest.mark.parametrize("weight_shape", [(4, 3), (3,), (4, 1)])
def test_binary_cross_entropy_weight_matches_torch(weight_shape):
    p, y = probs((4, 3), seed=1), probs((4, 3), seed=2)  # soft targets too
    w = torch.rand(weight_shape, generator=gen(3), dtype=torch.float64)
    for reduction in REDUCTIONS:
        torch.testing.assert_close(
            L.binary_cross_entropy(p, y, w, reduction=reduction),
            F.binary_cross_entropy(p, y, w, reduction=reduction),
        )


def test_binary_cross_entropy_clamps_log_at_minus_100_like_torch():
    p = torch.tensor([0.0, 1.0, 0.0, 1.0, 1e-50, 0.5], dtype=torch.float64)
    y = torch.tensor([1.0, 0.0, 0.0, 1.0, 1.0, 0.5], dtype=torch.float64)
    ours = L.binary_cross_entropy(p, y, reduction="none")
    torch.testing.assert_close(ours, F.binary_cross_entropy(p, y, reduction="none"))
    torch.testing.assert_close(ours[:2], torch.tensor([100.0, 100.0], dtype=torch.float64))


def test_binary_cross_entropy_gradient_is_finite_at_0_and_1():
    p = torch.tensor([0.0, 1.0, 0.3], dtype=torch.float64, requires_grad=True)
    L.binary_cross_entropy(p, torch.tensor([1.0, 0.0, 1.0], dtype=torch.float64)).backward()
    assert torch.isfinite(p.grad).all()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_with_logits_matches_torch(shape, dtype):
    x, y = randn(shape, dtype, scale=5.0, seed=1), probs(shape, dtype, seed=2)
    for reduction in REDUCTIONS:
        torch.testing.assert_close(
            L.binary_cross_entropy_with_logits(x, y, reduction=reduction),
            F.binary_cross_entropy_with_logits(x, y, reduction=reduction),
        )


@pytest.mark.parametrize("use_weight", [False, True])
@pytest.mark.parametrize("pos_weight_shape", [None, (3,), (4, 3)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_with_logits_weights_match_torch(use_weight, pos_weight_shape, dtype):
    x, y = randn((4, 3), dtype, scale=5.0, seed=1), probs((4, 3), dtype, seed=2).round()
    w = torch.rand((4, 1), generator=gen(3), dtype=dtype) if use_weight else None
    pw = None
    if pos_weight_shape is not None:
        pw = 3 * torch.rand(pos_weight_shape, generator=gen(4), dtype=dtype)
    for reduction in REDUCTIONS:
        torch.testing.assert_close(
            L.binary_cross_entropy_with_logits(x, y, w, reduction=reduction, pos_weight=pw),
            F.binary_cross_entropy_with_logits(x, y, w, reduction=reduction, pos_weight=pw),
        )


def test_bce_with_logits_gradient_at_zero_logit_matches_torch():
    # Zero logits are what a zero-initialised logistic regression starts from.
    x = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0.0, 1.0, 0.25, 1.0], dtype=torch.float64)
    pw = torch.tensor(2.0, dtype=torch.float64)
    for kwargs in ({}, {"pos_weight": pw}):
        (g_ours,) = torch.autograd.grad(L.binary_cross_entropy_with_logits(x, y, **kwargs), x)
        (g_theirs,) = torch.autograd.grad(F.binary_cross_entropy_with_logits(x, y, **kwargs), x)
        torch.testing.assert_close(g_ours, g_theirs)


# ---------------------------------------------------------------- gradients and stability


GRADCHECK_CASES = {
    "mse": lambda x, y, t, p: L.mse_loss(x, y),
    "l1": lambda x, y, t, p: L.l1_loss(x, y, reduction="sum"),
    "huber": lambda x, y, t, p: L.huber_loss(x, y, delta=0.7),
    "nll": lambda x, y, t, p: L.nll_loss(x, t, torch.tensor([1.0, 2.0, 0.5], dtype=x.dtype)),
    "cross_entropy": lambda x, y, t, p: L.cross_entropy(x, t, label_smoothing=0.1),
    "bce": lambda x, y, t, p: L.binary_cross_entropy(p, y.sigmoid()),
    "bce_logits": lambda x, y, t, p: L.binary_cross_entropy_with_logits(
        x, y.sigmoid(), pos_weight=torch.tensor([1.0, 2.0, 3.0], dtype=x.dtype)
    ),
    "contrastive": lambda x, y, t, p: L.contrastive_loss(x, y, torch.tensor([1.0, 0.0, 0.0, 1.0]), margin=3.0),
}


@pytest.mark.parametrize("name", list(GRADCHECK_CASES))
def test_gradcheck(name):
    fn = GRADCHECK_CASES[name]
    x = randn((4, 3), seed=1).requires_grad_()
    y = randn((4, 3), seed=2)
    p = probs((4, 3), seed=3).requires_grad_()
    t = randint(3, (4,), seed=4)
    inputs = (p,) if name == "bce" else (x,)
    assert torch.autograd.gradcheck(lambda a: fn(x if a is p else a, y, t, a), inputs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_cross_entropy_finite_at_logits_1e4(dtype, label_smoothing):
    logits = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [1e4, 1e4, -1e4]], dtype=dtype, requires_grad=True)
    target = torch.tensor([1, 0, 2])
    ours = L.cross_entropy(logits, target, label_smoothing=label_smoothing)
    (g_ours,) = torch.autograd.grad(ours, logits)
    theirs = F.cross_entropy(logits, target, label_smoothing=label_smoothing)
    (g_theirs,) = torch.autograd.grad(theirs, logits)
    assert torch.isfinite(ours) and torch.isfinite(g_ours).all()
    torch.testing.assert_close(ours, theirs)
    torch.testing.assert_close(g_ours, g_theirs)


@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_with_logits_finite_at_logits_1e4(dtype):
    x = torch.tensor([1e4, -1e4, 1e4, -1e4], dtype=dtype, requires_grad=True)
    y = torch.tensor([0.0, 1.0, 1.0, 0.0], dtype=dtype)
    pw = torch.tensor(2.0, dtype=dtype)
    ours = L.binary_cross_entropy_with_logits(x, y, reduction="none", pos_weight=pw)
    (g_ours,) = torch.autograd.grad(ours.sum(), x)
    theirs = F.binary_cross_entropy_with_logits(x, y, reduction="none", pos_weight=pw)
    (g_theirs,) = torch.autograd.grad(theirs.sum(), x)
    assert torch.isfinite(ours).all() and torch.isfinite(g_ours).all()
    torch.testing.assert_close(ours, theirs)
    torch.testing.assert_close(g_ours, g_theirs)


# ---------------------------------------------------------------- contrastive loss


def contrastive_reference(z1, z2, similar, margin):
    """Hadsell et al. (2006), pair by pair, in plain Python."""
    total = []
    for a, b, s in zip(z1.tolist(), z2.tolist(), similar.tolist(), strict=True):
        d = math.sqrt(sum((ai - bi) ** 2 for ai, bi in zip(a, b, strict=True)))
        total.append(s * d**2 + (1 - s) * max(0.0, margin - d) ** 2)
    return total


@pytest.mark.parametrize("margin", [0.5, 1.0, 4.0])
@pytest.mark.parametrize("dtype", DTYPES)
def test_contrastive_loss_matches_python_loop(margin, dtype):
    z1, z2 = randn((10, 3), dtype, seed=1), randn((10, 3), dtype, seed=2)
    similar = torch.tensor([1, 0, 1, 0, 0, 1, 1, 0, 0, 0], dtype=dtype)
    z2[4] = z1[4]  # a dissimilar pair at distance 0
    per_pair = contrastive_reference(z1, z2, similar, margin)
    expected = torch.tensor(per_pair, dtype=dtype)
    torch.testing.assert_close(L.contrastive_loss(z1, z2, similar, margin, reduction="none"), expected)
    torch.testing.assert_close(L.contrastive_loss(z1, z2, similar, margin), expected.mean())
    torch.testing.assert_close(L.contrastive_loss(z1, z2, similar.bool(), margin, reduction="sum"), expected.sum())


def test_contrastive_loss_gradient_is_finite_at_zero_distance():
    z1 = torch.zeros(2, 3, dtype=torch.float64, requires_grad=True)
    L.contrastive_loss(z1, torch.zeros(2, 3, dtype=torch.float64), torch.tensor([0.0, 1.0])).backward()
    assert torch.isfinite(z1.grad).all()


# ---------------------------------------------------------------- properties


small = st.floats(-50, 50, allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(
    arrays(np.float64, (6, 3), elements=small),
    arrays(np.float64, (6, 3), elements=small),
    arrays(np.int64, (6,), elements=st.integers(0, 2)),
    arrays(np.float64, (6, 3), elements=st.floats(0, 1)),
    st.floats(0, 1),
)
def test_property_losses_are_non_negative(a, b, t, p01, smoothing):
    x, y, target, q = (torch.from_numpy(v) for v in (a, b, t, p01))
    values = [
        L.mse_loss(x, y, reduction="none"),
        L.l1_loss(x, y, reduction="none"),
        L.huber_loss(x, y, reduction="none"),
        L.cross_entropy(x, target, reduction="none", label_smoothing=smoothing),
        L.nll_loss(F.log_softmax(x, dim=1), target, reduction="none"),
        L.binary_cross_entropy(q, q.round(), reduction="none"),
        L.binary_cross_entropy_with_logits(x, q, reduction="none"),
        L.contrastive_loss(x, y, (q[:, 0] > 0.5).double(), reduction="none"),
    ]
    for v in values:
        assert (v >= 0).all(), v


# ---------------------------------------------------------------- bad input


def test_losses_do_not_broadcast():
    with pytest.raises(
        ValueError,
        match=r"^Invalid target shape: \(3, 1\) \(must be the input's shape \(3,\); losses do not broadcast\)$",
    ):
        L.mse_loss(torch.zeros(3), torch.zeros(3, 1))
    for fn in (L.l1_loss, L.huber_loss, L.binary_cross_entropy, L.binary_cross_entropy_with_logits):
        with pytest.raises(ValueError, match=r"^Invalid target shape: \(3, 1\)"):
            fn(torch.full((3,), 0.5), torch.zeros(3, 1))


@pytest.mark.parametrize(
    "fn",
    [L.mse_loss, L.l1_loss, L.huber_loss, L.binary_cross_entropy, L.binary_cross_entropy_with_logits],
    ids=["mse", "l1", "huber", "bce", "bce_logits"],
)
def test_inputs_must_be_tensors(fn):
    with pytest.raises(TypeError, match=r"^Invalid input: \[0\.5\] \(must be a torch\.Tensor\)$"):
        fn([0.5], torch.zeros(1))
    with pytest.raises(TypeError, match=r"^Invalid target: 1\.0 \(must be a torch\.Tensor\)$"):
        fn(torch.full((1,), 0.5), 1.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda r: L.mse_loss(torch.zeros(2), torch.zeros(2), reduction=r),
        lambda r: L.l1_loss(torch.zeros(2), torch.zeros(2), reduction=r),
        lambda r: L.huber_loss(torch.zeros(2), torch.zeros(2), reduction=r),
        lambda r: L.nll_loss(torch.zeros(2, 3), torch.zeros(2, dtype=torch.long), reduction=r),
        lambda r: L.cross_entropy(torch.zeros(2, 3), torch.zeros(2, dtype=torch.long), reduction=r),
        lambda r: L.binary_cross_entropy(torch.zeros(2), torch.zeros(2), reduction=r),
        lambda r: L.binary_cross_entropy_with_logits(torch.zeros(2), torch.zeros(2), reduction=r),
        lambda r: L.contrastive_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.zeros(2), reduction=r),
    ],
    ids=["mse", "l1", "huber", "nll", "cross_entropy", "bce", "bce_logits", "contrastive"],
)
def test_bad_reduction(call):
    with pytest.raises(ValueError, match=r"^Invalid reduction value: 'average' \(must be 'mean', 'sum' or 'none'\)$"):
        call("average")


@pytest.mark.parametrize("fn", [L.nll_loss, L.cross_entropy], ids=["nll", "cross_entropy"])
def test_class_index_out_of_range(fn):
    with pytest.raises(ValueError, match=r"^Invalid target value: class index 3 \(must be in \[0, 3\)\)$"):
        fn(torch.zeros(2, 3), torch.tensor([0, 3]))
    with pytest.raises(ValueError, match=r"^Invalid target value: class index -1 \(must be in \[0, 3\)\)$"):
        fn(torch.zeros(2, 3), torch.tensor([-1, 0]))


@pytest.mark.parametrize("fn", [L.nll_loss, L.cross_entropy], ids=["nll", "cross_entropy"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.bool])
def test_class_target_wrong_dtype(fn, dtype):
    with pytest.raises(
        TypeError,
        match=rf"^Invalid target dtype: {dtype} \(must be an integer type for class indices, e\.g\. torch\.long\)$",
    ):
        fn(torch.zeros(2, 3), torch.zeros(2, dtype=dtype))


@pytest.mark.parametrize("fn", [L.nll_loss, L.cross_entropy], ids=["nll", "cross_entropy"])
def test_class_target_wrong_shape_and_weight_shape(fn):
    with pytest.raises(
        ValueError,
        match=r"^Invalid target shape: \(3,\) \(must be \(2,\) for input of shape \(2, 3\)\)$",
    ):
        fn(torch.zeros(2, 3), torch.zeros(3, dtype=torch.long))
    with pytest.raises(ValueError, match=r"^Invalid weight shape: \(2,\) \(must be \(3,\), one per class\)$"):
        fn(torch.zeros(2, 3), torch.zeros(2, dtype=torch.long), torch.ones(2))
    with pytest.raises(
        ValueError, match=r"^Invalid input shape: \(\) \(must be \(C,\), \(N, C\) or \(N, C, d1, \.\.\.\)\)$"
    ):
        fn(torch.tensor(0.0), torch.tensor(0))
    with pytest.raises(TypeError, match=r"^Invalid input: \[0\.0\] \(must be a torch\.Tensor\)$"):
        fn([0.0], torch.tensor(0))


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (-0.5, ValueError, "Invalid label_smoothing value: -0.5 (must be in [0, 1])"),
        (1.5, ValueError, "Invalid label_smoothing value: 1.5 (must be in [0, 1])"),
        (float("nan"), ValueError, "Invalid label_smoothing value: nan (must be finite)"),
        (None, TypeError, "Invalid label_smoothing: None (must be a real number)"),
    ],
)
def test_cross_entropy_bad_label_smoothing(bad, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        L.cross_entropy(torch.zeros(2, 3), torch.zeros(2, dtype=torch.long), label_smoothing=bad)


@pytest.mark.parametrize("bad", [-0.25, 1.5, float("nan")])
def test_binary_cross_entropy_rejects_non_probabilities(bad):
    with pytest.raises(
        ValueError,
        match=rf"^Invalid input value: {bad} \(must be a probability, in \[0, 1\]\)$",
    ):
        L.binary_cross_entropy(torch.tensor([0.5, bad]), torch.tensor([1.0, 0.0]))


def test_weight_shapes_that_do_not_broadcast():
    with pytest.raises(
        ValueError,
        match=r"^Invalid weight shape: \(4,\) \(must broadcast to the input's shape \(2, 3\)\)$",
    ):
        L.binary_cross_entropy(torch.full((2, 3), 0.5), torch.zeros(2, 3), torch.ones(4))
    with pytest.raises(ValueError, match=r"^Invalid pos_weight shape: \(2,\) \(must broadcast"):
        L.binary_cross_entropy_with_logits(torch.zeros(2, 3), torch.zeros(2, 3), pos_weight=torch.ones(2))
    with pytest.raises(ValueError, match=r"^Invalid weight shape: \(2, 2, 3\) \(must broadcast"):
        L.binary_cross_entropy_with_logits(torch.zeros(2, 3), torch.zeros(2, 3), torch.ones(2, 2, 3))


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (0.0, ValueError, "Invalid delta value: 0.0 (must be > 0)"),
        (-1.0, ValueError, "Invalid delta value: -1.0 (must be > 0)"),
        (float("inf"), ValueError, "Invalid delta value: inf (must be finite)"),
        (True, TypeError, "Invalid delta: True (must be a real number)"),
    ],
)
def test_huber_bad_delta(bad, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        L.huber_loss(torch.zeros(2), torch.zeros(2), delta=bad)


def test_contrastive_loss_bad_input():
    z = torch.zeros(4, 2)
    with pytest.raises(ValueError, match=r"^Invalid z2 shape: \(4, 3\) \(must be z1's shape \(4, 2\)\)$"):
        L.contrastive_loss(z, torch.zeros(4, 3), torch.zeros(4))
    with pytest.raises(ValueError, match=r"^Invalid similar shape: \(4, 1\) \(must be \(4,\), one per pair\)$"):
        L.contrastive_loss(z, z, torch.zeros(4, 1))
    with pytest.raises(ValueError, match=r"^Invalid margin value: 0.0 \(must be > 0\)$"):
        L.contrastive_loss(z, z, torch.zeros(4), margin=0.0)
    with pytest.raises(ValueError, match=r"^Invalid z1 shape: \(\) \(must be \(N, D\)\)$"):
        L.contrastive_loss(torch.tensor(0.0), torch.tensor(0.0), torch.tensor(0.0))
    with pytest.raises(TypeError, match=r"^Invalid similar: \[1, 0, 0, 0\] \(must be a torch\.Tensor\)$"):
        L.contrastive_loss(z, z, [1, 0, 0, 0])


# ---------------------------------------------------------------- CUDA


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_parity():
    dev = "cuda"
    x = randn((16, 5), torch.float32, scale=3.0, seed=1).to(dev)
    y = randn((16, 5), torch.float32, seed=2).to(dev)
    t = randint(5, (16,), seed=3).to(dev)
    w = torch.rand(5, generator=gen(4)).to(dev)
    q = probs((16, 5), torch.float32, seed=5).to(dev)
    torch.testing.assert_close(L.mse_loss(x, y), F.mse_loss(x, y))
    torch.testing.assert_close(L.l1_loss(x, y), F.l1_loss(x, y))
    torch.testing.assert_close(L.huber_loss(x, y, delta=0.5), F.huber_loss(x, y, delta=0.5))
    torch.testing.assert_close(
        L.cross_entropy(x, t, w, label_smoothing=0.1), F.cross_entropy(x, t, w, label_smoothing=0.1)
    )
    torch.testing.assert_close(L.nll_loss(F.log_softmax(x, 1), t, w), F.nll_loss(F.log_softmax(x, 1), t, w))
    torch.testing.assert_close(L.binary_cross_entropy(q, q.round()), F.binary_cross_entropy(q, q.round()))
    torch.testing.assert_close(
        L.binary_cross_entropy_with_logits(x, q, pos_weight=w),
        F.binary_cross_entropy_with_logits(x, q, pos_weight=w),
    )
    assert L.contrastive_loss(x, y, (q[:, 0] > 0.5).float()).device.type == "cuda"
