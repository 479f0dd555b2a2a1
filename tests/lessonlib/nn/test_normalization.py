"""lessonlib.nn.normalization against torch.nn.functional and torch.nn, training and eval."""

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from torch import nn

from lessonlib.nn import BatchNorm1d, BatchNorm2d, LayerNorm, batch_norm, layer_norm

DTYPES = [torch.float32, torch.float64]
BN_SHAPES = [(8, 3), (6, 3, 5), (4, 3, 5, 2)]  # (N, C), (N, C, L), (N, C, H, W)


def randn(shape, dtype=torch.float64, seed=0, scale=1.0, shift=0.0):
    g = torch.Generator().manual_seed(seed)
    return shift + scale * torch.randn(shape, generator=g, dtype=dtype)


# ---------------------------------------------------------------- functional batch_norm


@pytest.mark.parametrize("shape", BN_SHAPES)
@pytest.mark.parametrize("affine", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_norm_training_matches_torch_including_running_stats(shape, affine, dtype):
    x = randn(shape, dtype, seed=1, scale=3.0, shift=2.0)
    w, b = (randn(3, dtype, seed=2), randn(3, dtype, seed=3)) if affine else (None, None)
    ours_mean, ours_var = randn(3, dtype, seed=4), randn(3, dtype, seed=5).abs()
    theirs_mean, theirs_var = ours_mean.clone(), ours_var.clone()
    out = batch_norm(x, ours_mean, ours_var, w, b, training=True, momentum=0.3, eps=1e-3)
    expected = F.batch_norm(x, theirs_mean, theirs_var, w, b, training=True, momentum=0.3, eps=1e-3)
    torch.testing.assert_close(out, expected)
    torch.testing.assert_close(ours_mean, theirs_mean)
    torch.testing.assert_close(ours_var, theirs_var)


@pytest.mark.parametrize("shape", BN_SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_norm_eval_matches_torch(shape, dtype):
    x = randn(shape, dtype, seed=1)
    mean, var = randn(3, dtype, seed=4), randn(3, dtype, seed=5).abs()
    w, b = randn(3, dtype, seed=2), randn(3, dtype, seed=3)
    torch.testing.assert_close(
        batch_norm(x, mean, var, w, b, training=False),
        F.batch_norm(x, mean, var, w, b, training=False),
    )


def test_batch_norm_training_without_running_stats_matches_torch():
    x = randn((5, 3, 4), seed=1)
    torch.testing.assert_close(batch_norm(x, None, None, training=True), F.batch_norm(x, None, None, training=True))


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 2, 2)])
def test_batch_norm_gradients_match_torch(shape):
    x = randn(shape, seed=1, scale=2.0).requires_grad_()
    w, b = randn(3, seed=2).requires_grad_(), randn(3, seed=3).requires_grad_()
    upstream = randn(shape, seed=6)
    ours = torch.autograd.grad((batch_norm(x, None, None, w, b, training=True) * upstream).sum(), (x, w, b))
    theirs = torch.autograd.grad((F.batch_norm(x, None, None, w, b, training=True) * upstream).sum(), (x, w, b))
    torch.testing.assert_close(ours, theirs)


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradcheck(training):
    x = randn((4, 3, 2), seed=1).requires_grad_()
    w, b = randn(3, seed=2).requires_grad_(), randn(3, seed=3).requires_grad_()
    mean, var = randn(3, seed=4), randn(3, seed=5).abs() + 0.1

    def fn(x, w, b):  # running statistics are cloned so gradcheck's repeated calls see the same ones
        return batch_norm(x, mean.clone(), var.clone(), w, b, training=training)

    assert torch.autograd.gradcheck(fn, (x, w, b))


# ---------------------------------------------------------------- modules


MODULE_CONFIGS = {
    "default": {},
    "momentum_none": {"momentum": None},
    "momentum_0.5_eps": {"momentum": 0.5, "eps": 1e-2},
    "no_affine": {"affine": False},
    "no_bias": {"bias": False},
    "no_tracking": {"track_running_stats": False},
}


def run_side_by_side(ours, theirs, shape, dtype, steps=4):
    """Train both for a few steps (inputs and upstream gradients the same), then evaluate both."""
    ours.train()
    theirs.train()
    for step in range(steps):
        x = randn(shape, dtype, seed=10 + step, scale=2.0, shift=step).requires_grad_()
        x_theirs = x.detach().clone().requires_grad_()
        out, expected = ours(x), theirs(x_theirs)
        torch.testing.assert_close(out, expected)
        upstream = randn(shape, dtype, seed=50 + step)
        (out * upstream).sum().backward()
        (expected * upstream).sum().backward()
        torch.testing.assert_close(x.grad, x_theirs.grad)
        for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
            torch.testing.assert_close(p.grad, q.grad, msg=name)
    ours_state, theirs_state = ours.state_dict(), theirs.state_dict()
    assert list(ours_state) == list(theirs_state)
    for key in theirs_state:
        torch.testing.assert_close(ours_state[key], theirs_state[key], msg=key)
    ours.eval()
    theirs.eval()
    x = randn(shape, dtype, seed=99)
    torch.testing.assert_close(ours(x), theirs(x))
    assert repr(ours).split("(", 1)[1] == repr(theirs).split("(", 1)[1]


@pytest.mark.parametrize("config", list(MODULE_CONFIGS))
@pytest.mark.parametrize(("shape", "dtype"), [((8, 3), torch.float32), ((6, 3, 5), torch.float64)])
def test_batchnorm1d_matches_torch_over_several_steps(config, shape, dtype):
    kwargs = MODULE_CONFIGS[config]
    ours, theirs = BatchNorm1d(3, dtype=dtype, **kwargs), nn.BatchNorm1d(3, dtype=dtype, **kwargs)
    run_side_by_side(ours, theirs, shape, dtype)


@pytest.mark.parametrize("config", list(MODULE_CONFIGS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_batchnorm2d_matches_torch_over_several_steps(config, dtype):
    kwargs = MODULE_CONFIGS[config]
    ours, theirs = BatchNorm2d(3, dtype=dtype, **kwargs), nn.BatchNorm2d(3, dtype=dtype, **kwargs)
    run_side_by_side(ours, theirs, (4, 3, 5, 6), dtype)


def test_batchnorm_running_stats_by_hand():
    """Closed form: one step from (0, 1) with momentum 0.1 and the unbiased variance."""
    bn = BatchNorm1d(1)
    x = torch.tensor([[1.0], [2.0], [3.0], [6.0]])
    bn(x)
    torch.testing.assert_close(bn.running_mean, torch.tensor([0.1 * 3.0]))
    unbiased_var = ((1 - 3) ** 2 + (2 - 3) ** 2 + 0 + (6 - 3) ** 2) / 3
    torch.testing.assert_close(bn.running_var, torch.tensor([0.9 + 0.1 * unbiased_var]))
    assert bn.num_batches_tracked.item() == 1
    assert bn.num_batches_tracked.dtype == torch.long


def test_batchnorm_loads_torch_state_dict():
    theirs = nn.BatchNorm2d(3)
    theirs.train()
    for seed in range(3):
        theirs(randn((2, 3, 4, 4), torch.float32, seed=seed))
    with torch.no_grad():
        theirs.weight.mul_(2.0)
    ours = BatchNorm2d(3)
    ours.load_state_dict(theirs.state_dict())
    ours.eval()
    theirs.eval()
    x = randn((2, 3, 4, 4), torch.float32, seed=7)
    torch.testing.assert_close(ours(x), theirs(x))


def test_batchnorm_reset_running_stats_and_parameters():
    bn = BatchNorm1d(2)
    bn(randn((4, 2), torch.float32, shift=3.0))
    with torch.no_grad():
        bn.weight.fill_(5.0)
    bn.reset_parameters()
    torch.testing.assert_close(bn.running_mean, torch.zeros(2))
    torch.testing.assert_close(bn.running_var, torch.ones(2))
    assert bn.num_batches_tracked.item() == 0
    torch.testing.assert_close(bn.weight.detach(), torch.ones(2))


# ---------------------------------------------------------------- layer norm


LN_CASES = [((4, 5), (5,)), ((2, 3, 4), (4,)), ((2, 3, 4), (3, 4))]


@pytest.mark.parametrize(("shape", "normalized_shape"), LN_CASES)
@pytest.mark.parametrize("affine", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_layer_norm_matches_torch(shape, normalized_shape, affine, dtype):
    x = randn(shape, dtype, seed=1, scale=3.0, shift=1.0)
    w = randn(normalized_shape, dtype, seed=2) if affine else None
    b = randn(normalized_shape, dtype, seed=3) if affine else None
    torch.testing.assert_close(
        layer_norm(x, normalized_shape, w, b, eps=1e-3),
        F.layer_norm(x, normalized_shape, w, b, eps=1e-3),
    )


def test_layer_norm_gradcheck():
    x = randn((3, 4), seed=1).requires_grad_()
    w, b = randn(4, seed=2).requires_grad_(), randn(4, seed=3).requires_grad_()
    assert torch.autograd.gradcheck(lambda x, w, b: layer_norm(x, (4,), w, b), (x, w, b))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"normalized_shape": 4},
        {"normalized_shape": (3, 4), "eps": 1e-3},
        {"normalized_shape": [4], "elementwise_affine": False},
        {"normalized_shape": 4, "bias": False},
    ],
    ids=["int", "tuple", "no_affine", "no_bias"],
)
def test_layernorm_module_matches_torch_in_train_and_eval(kwargs):
    ours, theirs = (
        LayerNorm(**kwargs, dtype=torch.float64),
        nn.LayerNorm(**kwargs, dtype=torch.float64),
    )
    assert ours.normalized_shape == theirs.normalized_shape
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours).split("(", 1)[1] == repr(theirs).split("(", 1)[1]
    if ours.weight is not None:
        with torch.no_grad():
            for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
                p.copy_(randn(p.shape, seed=p.numel()))
                q.copy_(p)
    for mode in ("train", "eval"):
        getattr(ours, mode)()
        getattr(theirs, mode)()
        x = randn((2, 3, 4), seed=5, scale=2.0).requires_grad_()
        x2 = x.detach().clone().requires_grad_()
        out, expected = ours(x), theirs(x2)
        torch.testing.assert_close(out, expected)
        out.pow(2).sum().backward()
        expected.pow(2).sum().backward()
        torch.testing.assert_close(x.grad, x2.grad)


# ---------------------------------------------------------------- properties


@settings(max_examples=30, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(2, 8), st.integers(1, 4)), elements=st.floats(-1e3, 1e3)),
    st.floats(1e-5, 1e-1),
)
def test_property_batch_norm_training_output_is_standardised(a, eps):
    """Per feature: mean 0, biased variance sigma^2 / (sigma^2 + eps) (~1 unless sigma^2 ~ eps)."""
    out = batch_norm(torch.from_numpy(a), None, None, training=True, eps=eps).numpy()
    sigma2 = a.var(axis=0)  # NumPy's default is the biased variance
    scale = np.abs(a).max() + 1.0
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-9 * scale / np.sqrt(eps))
    np.testing.assert_allclose(out.var(axis=0), sigma2 / (sigma2 + eps), rtol=1e-6, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, (6, 3), elements=st.floats(-100, 100)))
def test_property_batchnorm1d_module_training_output_has_zero_mean_unit_variance(a):
    x = torch.from_numpy(a) + torch.tensor([0.0, 1.0, 2.0], dtype=torch.float64) * torch.arange(6.0)[:, None]
    sigma2 = x.var(dim=0, unbiased=False)
    out = BatchNorm1d(3, eps=1e-12, dtype=torch.float64)(x).detach()
    torch.testing.assert_close(out.mean(dim=0), torch.zeros(3, dtype=torch.float64), atol=1e-6, rtol=0)
    expected_var = sigma2 / (sigma2 + 1e-12)
    torch.testing.assert_close(out.var(dim=0, unbiased=False), expected_var, atol=1e-6, rtol=0)


# ---------------------------------------------------------------- bad input


def test_batchnorm_wrong_input_dims():
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
        BatchNorm1d(3)(torch.zeros(2, 3, 4, 4))
    with pytest.raises(ValueError, match=r"expected 4D input \(got 2D input\)"):
        BatchNorm2d(3)(torch.zeros(2, 3))


def test_batch_norm_one_value_per_channel_in_training():
    with pytest.raises(
        ValueError,
        match=r"Expected more than 1 value per channel when training, got input size \[1, 3\]",
    ):
        BatchNorm1d(3)(torch.zeros(1, 3))
    BatchNorm1d(3).eval()(torch.zeros(1, 3))  # fine in evaluation


def test_batch_norm_bad_shapes_and_missing_running_stats():
    with pytest.raises(ValueError, match=r"^Invalid running_mean shape: \(4,\) \(must be \(3,\)\)$"):
        batch_norm(torch.zeros(2, 3), torch.zeros(4), torch.ones(3), training=True)
    with pytest.raises(ValueError, match=r"^Invalid weight shape: \(2,\) \(must be \(3,\)\)$"):
        batch_norm(torch.zeros(2, 3), None, None, torch.ones(2), training=True)
    with pytest.raises(ValueError, match=r"^Invalid input shape: \(3,\) \(must be \(N, C, \.\.\.\)\)$"):
        batch_norm(torch.zeros(3), None, None, training=True)
    with pytest.raises(
        ValueError, match=r"^Invalid running_mean/running_var: None \(must be given when training=False\)$"
    ):
        batch_norm(torch.zeros(2, 3), None, None, training=False)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"num_features": 0}, ValueError, "Invalid num_features value: 0 (must be >= 1)"),
        ({"num_features": 2.5}, TypeError, "Invalid num_features: 2.5 (must be an integer)"),
        ({"num_features": 3, "eps": -1.0}, ValueError, "Invalid eps value: -1.0 (must be >= 0)"),
        ({"num_features": 3, "momentum": 1.5}, ValueError, "Invalid momentum value: 1.5 (must be in [0, 1])"),
        ({"num_features": 3, "momentum": "0.1"}, TypeError, "Invalid momentum: '0.1' (must be a real number)"),
    ],
)
def test_batchnorm_constructor_validation(kwargs, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        BatchNorm1d(**kwargs)


def test_layer_norm_bad_shapes():
    with pytest.raises(
        ValueError,
        match=r"^Invalid normalized_shape value: \(5,\) \(must be the input's trailing dimensions, \(4,\)\)$",
    ):
        layer_norm(torch.zeros(3, 4), (5,))
    with pytest.raises(
        ValueError,
        match=r"^Invalid normalized_shape value: \(2, 3, 4\) \(must be the input's trailing dimensions, \(3, 4\)\)$",
    ):
        layer_norm(torch.zeros(3, 4), (2, 3, 4))
    with pytest.raises(ValueError, match=r"^Invalid normalized_shape value: 0 \(must be >= 1\)$"):
        LayerNorm(0)
    with pytest.raises(TypeError, match=r"^Invalid normalized_shape: 2\.5 \(must be an integer\)$"):
        LayerNorm((3, 2.5))
    with pytest.raises(
        ValueError, match=r"^Invalid normalized_shape value: \(\) \(must hold at least one dimension\)$"
    ):
        LayerNorm(())
    with pytest.raises(ValueError, match=r"^Invalid eps value: -0.1 \(must be >= 0\)$"):
        LayerNorm(3, eps=-0.1)


# ---------------------------------------------------------------- CUDA


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_parity():
    for ours, theirs, shape in [
        (BatchNorm1d(3, device="cuda"), nn.BatchNorm1d(3, device="cuda"), (8, 3)),
        (BatchNorm2d(3, device="cuda"), nn.BatchNorm2d(3, device="cuda"), (4, 3, 5, 5)),
        (LayerNorm(5, device="cuda"), nn.LayerNorm(5, device="cuda"), (4, 3, 5)),
    ]:
        for step in range(3):
            x = randn(shape, torch.float32, seed=step, scale=2.0, shift=1.0).cuda()
            torch.testing.assert_close(ours(x), theirs(x))
        for (key, a), b in zip(ours.state_dict().items(), theirs.state_dict().values(), strict=True):
            torch.testing.assert_close(a, b, msg=key)
        ours.eval()
        theirs.eval()
        x = randn(shape, torch.float32, seed=9).cuda()
        torch.testing.assert_close(ours(x), theirs(x))
