"""lessonlib.activations against torch.nn.functional, with gradients and stability checks."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from lessonlib import activations as A

DTYPES = [torch.float32, torch.float64]
SHAPES = [(7,), (3, 5), (2, 3, 4)]
ELEMENTWISE = [
    (A.relu, F.relu),
    (A.sigmoid, torch.sigmoid),
    (A.tanh, torch.tanh),
    (A.gelu, F.gelu),
    (lambda x: A.gelu(x, approximate="tanh"), lambda x: F.gelu(x, approximate="tanh")),
]
ELEMENTWISE_IDS = ["relu", "sigmoid", "tanh", "gelu", "gelu_tanh"]


def randn(shape, dtype, scale=4.0, seed=0, device="cpu"):
    g = torch.Generator().manual_seed(seed)
    return (scale * torch.randn(shape, generator=g, dtype=dtype)).to(device)


@pytest.mark.parametrize(("ours", "theirs"), ELEMENTWISE, ids=ELEMENTWISE_IDS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_elementwise_matches_torch(ours, theirs, dtype):
    for shape in SHAPES:
        x = randn(shape, dtype)
        torch.testing.assert_close(ours(x), theirs(x))


@pytest.mark.parametrize(("ours", "theirs"), ELEMENTWISE, ids=ELEMENTWISE_IDS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_elementwise_matches_torch_at_special_points(ours, theirs, dtype):
    x = torch.tensor([-1e4, -100.0, -89.0, -20.0, -1e-8, 0.0, 1e-8, 20.0, 89.0, 100.0, 1e4], dtype=dtype)
    torch.testing.assert_close(ours(x), theirs(x))


@pytest.mark.parametrize(("ours", "theirs"), ELEMENTWISE, ids=ELEMENTWISE_IDS)
def test_elementwise_gradient_matches_torch_including_zero(ours, theirs):
    # Zero is where a two-branch formula can pick up the wrong one-sided derivative.
    x = torch.tensor([-3.0, -0.5, 0.0, 0.5, 3.0], dtype=torch.float64, requires_grad=True)
    (grad_ours,) = torch.autograd.grad(ours(x).sum(), x)
    (grad_theirs,) = torch.autograd.grad(theirs(x).sum(), x)
    torch.testing.assert_close(grad_ours, grad_theirs)


def test_relu_keeps_nan():
    assert torch.isnan(A.relu(torch.tensor([float("nan")]))).all()


@pytest.mark.parametrize("fn", [A.softmax, A.log_softmax], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_family_matches_torch_along_every_dim(fn, dtype):
    theirs = {A.softmax: F.softmax, A.log_softmax: F.log_softmax}[fn]
    for shape in SHAPES:
        x = randn(shape, dtype, scale=10.0)
        for dim in range(-len(shape), len(shape)):
            torch.testing.assert_close(fn(x, dim=dim), theirs(x, dim=dim))


@pytest.mark.parametrize("fn", [A.softmax, A.log_softmax], ids=["softmax", "log_softmax"])
def test_softmax_family_dtype_argument_matches_torch(fn):
    theirs = {A.softmax: F.softmax, A.log_softmax: F.log_softmax}[fn]
    x = randn((3, 4), torch.float32)
    out = fn(x, dim=1, dtype=torch.float64)
    assert out.dtype == torch.float64
    torch.testing.assert_close(out, theirs(x, dim=1, dtype=torch.float64))


@pytest.mark.parametrize(
    "fn",
    [
        A.relu,
        A.sigmoid,
        A.tanh,
        A.gelu,
        lambda x: A.gelu(x, approximate="tanh"),
        lambda x: A.softmax(x, dim=1),
        lambda x: A.log_softmax(x, dim=1),
        lambda x: A.softmax(x, dim=0),
    ],
    ids=["relu", "sigmoid", "tanh", "gelu", "gelu_tanh", "softmax1", "log_softmax1", "softmax0"],
)
def test_gradcheck(fn):
    x = randn((3, 4), torch.float64, scale=2.0, seed=1).requires_grad_()
    assert torch.autograd.gradcheck(fn, (x,))


def test_softmax_of_1000_and_0_is_exactly_one_hot():
    assert torch.equal(A.softmax(torch.tensor([1000.0, 0.0]), dim=0), torch.tensor([1.0, 0.0]))


@pytest.mark.parametrize("dtype", DTYPES)
def test_log_softmax_is_finite_with_finite_gradients_at_1e4(dtype):
    x = torch.tensor([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]], dtype=dtype, requires_grad=True)
    out = A.log_softmax(x, dim=1)
    assert torch.isfinite(out).all()
    torch.testing.assert_close(out, F.log_softmax(x, dim=1))
    out.sum().backward()
    assert torch.isfinite(x.grad).all()


@pytest.mark.parametrize("fn", [A.sigmoid, A.tanh, A.gelu], ids=["sigmoid", "tanh", "gelu"])
def test_saturating_activations_have_finite_gradients_at_1e4(fn):
    x = torch.tensor([-1e4, 1e4], requires_grad=True)
    fn(x).sum().backward()
    assert torch.isfinite(x.grad).all()


finite_arrays = arrays(
    np.float64,
    array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6),
    elements=st.floats(-1e4, 1e4, allow_nan=False),
)


@settings(max_examples=30, deadline=None)
@given(finite_arrays)
def test_property_softmax_rows_sum_to_one(a):
    p = A.softmax(torch.from_numpy(a), dim=1)
    assert (p >= 0).all() and (p <= 1).all()
    torch.testing.assert_close(p.sum(dim=1), torch.ones(a.shape[0], dtype=torch.float64))


@settings(max_examples=30, deadline=None)
@given(finite_arrays)
def test_property_log_softmax_is_finite_and_non_positive(a):
    log_p = A.log_softmax(torch.from_numpy(a), dim=1)
    assert torch.isfinite(log_p).all() and (log_p <= 0).all()


@settings(max_examples=30, deadline=None)
@given(finite_arrays)
def test_property_sigmoid_and_tanh_are_bounded(a):
    x = torch.from_numpy(a)
    assert ((A.sigmoid(x) >= 0) & (A.sigmoid(x) <= 1)).all()
    assert ((A.tanh(x) >= -1) & (A.tanh(x) <= 1)).all()


def test_gelu_rejects_unknown_approximation():
    with pytest.raises(ValueError, match=r"^Invalid approximate value: 'fast' \(must be 'none' or 'tanh'\)$"):
        A.gelu(torch.zeros(2), approximate="fast")


@pytest.mark.parametrize(("ours", "theirs"), ELEMENTWISE, ids=ELEMENTWISE_IDS)
@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_elementwise_parity(ours, theirs):
    x = randn((64, 32), torch.float32, device="cuda")
    out = ours(x)
    assert out.device.type == "cuda"
    torch.testing.assert_close(out, theirs(x))


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_softmax_parity():
    x = randn((64, 32), torch.float32, scale=20.0, device="cuda")
    torch.testing.assert_close(A.softmax(x, dim=1), F.softmax(x, dim=1))
    torch.testing.assert_close(A.log_softmax(x, dim=1), F.log_softmax(x, dim=1))
