"""lessonlib.nn.dropout: inverted and classic dropout, statistically and against torch.

The statistical tests use a fixed generator, so they are deterministic; the
tolerances are still set at five standard deviations of the quantity tested,
so that they would pass for any seed with probability above 1 - 1e-6.
"""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from lessonlib.nn import Dropout, classic_dropout, dropout

N = 200_000  # entries per statistical test


def gen(seed=0, device="cpu"):
    return torch.Generator(device=device).manual_seed(seed)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_mask_rate_is_p(p):
    out = dropout(torch.ones(N, dtype=torch.float64), p=p, generator=gen())
    rate = (out == 0).double().mean().item()
    assert abs(rate - p) < 5 * math.sqrt(p * (1 - p) / N)


@pytest.mark.parametrize("p", [0.2, 0.5])
def test_mask_rate_matches_torch_within_sampling_error(p):
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        theirs = (F.dropout(torch.ones(N), p=p) == 0).double().mean().item()
    ours = (dropout(torch.ones(N), p=p, generator=gen(1)) == 0).double().mean().item()
    # The difference of two independent rates has variance 2 p (1 - p) / N.
    assert abs(ours - theirs) < 5 * math.sqrt(2 * p * (1 - p) / N)


@pytest.mark.parametrize("p", [0.25, 0.6])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_kept_entries_are_scaled_like_torch(p, dtype):
    x = torch.randn(1000, generator=gen(3), dtype=dtype)
    ours = dropout(x, p=p, generator=gen(4))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        theirs = F.dropout(x, p=p)
    kept_ours, kept_theirs = ours != 0, theirs != 0
    torch.testing.assert_close(ours[kept_ours], x[kept_ours] / (1 - p))
    torch.testing.assert_close(theirs[kept_theirs], x[kept_theirs] / (1 - p))
    assert ours.dtype == dtype


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_inverted_and_classic_give_the_same_expected_activation(p):
    """E[train output] = eval output for both forms; only where the 1 - p goes differs."""
    c = 3.0
    x = torch.full((N,), c, dtype=torch.float64)
    inverted_train = dropout(x, p=p, generator=gen(5)).mean().item()
    classic_train = classic_dropout(x, p=p, generator=gen(5)).mean().item()
    # Per-entry standard deviation: c sqrt(p / (1 - p)) (inverted), c sqrt(p (1 - p)) (classic).
    assert abs(inverted_train - c) < 5 * c * math.sqrt(p / (1 - p) / N)
    assert abs(classic_train - (1 - p) * c) < 5 * c * math.sqrt(p * (1 - p) / N)
    torch.testing.assert_close(dropout(x, p=p, training=False), x)
    torch.testing.assert_close(classic_dropout(x, p=p, training=False), (1 - p) * x)
    # Same generator, same mask: the two differ exactly by the factor 1 / (1 - p).
    torch.testing.assert_close(dropout(x, p=p, generator=gen(6)), classic_dropout(x, p=p, generator=gen(6)) / (1 - p))


def test_eval_and_p_zero_are_identity():
    x = torch.randn(50, generator=gen(7))
    assert torch.equal(dropout(x, p=0.5, training=False), x)
    assert torch.equal(dropout(x, p=0.0), x)
    assert torch.equal(classic_dropout(x, p=0.0), x)
    assert torch.equal(classic_dropout(x, p=0.0, training=False), x)


def test_same_generator_seed_same_mask():
    x = torch.ones(100)
    assert torch.equal(dropout(x, generator=gen(8)), dropout(x, generator=gen(8)))


def test_gradient_is_the_scaled_mask():
    x = torch.randn(500, generator=gen(9), dtype=torch.float64, requires_grad=True)
    out = dropout(x, p=0.3, generator=gen(10))
    out.sum().backward()
    expected = (out != 0).double() / 0.7
    torch.testing.assert_close(x.grad, expected)


def test_gradcheck_with_a_fixed_mask():
    x = torch.randn(4, 3, generator=gen(11), dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a: dropout(a, p=0.4, generator=gen(12)), (x,))
    assert torch.autograd.gradcheck(lambda a: classic_dropout(a, p=0.4, generator=gen(12)), (x,))


def test_inplace_writes_into_the_input():
    x = torch.ones(1000)
    out = dropout(x, p=0.5, inplace=True, generator=gen(13))
    assert out is x
    assert set(x.unique().tolist()) == {0.0, 2.0}


def test_module_train_and_eval_like_torch():
    ours, theirs = Dropout(p=0.3), nn.Dropout(p=0.3)
    assert repr(ours).split("(", 1)[1] == repr(theirs).split("(", 1)[1]
    x = torch.ones(N)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        out = ours(x)
    rate = (out == 0).double().mean().item()
    assert abs(rate - 0.3) < 5 * math.sqrt(0.3 * 0.7 / N)
    torch.testing.assert_close(out[out != 0], torch.full_like(out[out != 0], 1 / 0.7))
    ours.eval()
    theirs.eval()
    assert torch.equal(ours(x), theirs(x))
    assert torch.equal(ours(x), x)


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_p_outside_zero_one_is_rejected(p):
    # torch allows p = 1 (all zeros); lessonlib follows the issue and rejects it.
    message = rf"^Invalid p value: {p} \(must be in \[0, 1\)\)$"
    with pytest.raises(ValueError, match=message):
        dropout(torch.ones(3), p=p)
    with pytest.raises(ValueError, match=message):
        dropout(torch.ones(3), p=p, training=False)
    with pytest.raises(ValueError, match=message):
        classic_dropout(torch.ones(3), p=p)
    with pytest.raises(ValueError, match=message):
        Dropout(p)


def test_p_that_is_not_a_number_is_a_type_error():
    with pytest.raises(TypeError, match=r"^Invalid p: '0\.5' \(must be a real number\)$"):
        dropout(torch.ones(3), p="0.5")
    with pytest.raises(TypeError, match=r"^Invalid p: True \(must be a real number\)$"):
        Dropout(True)


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_parity():
    x = torch.ones(N, device="cuda")
    out = dropout(x, p=0.4, generator=gen(14, device="cuda"))
    assert out.device.type == "cuda"
    rate = (out == 0).double().mean().item()
    assert abs(rate - 0.4) < 5 * math.sqrt(0.4 * 0.6 / N)
    torch.testing.assert_close(out[out != 0], x[out != 0] / 0.6)
    module = Dropout(0.4).eval()
    assert torch.equal(module(x), x)
    torch.testing.assert_close(classic_dropout(x, 0.4, training=False), 0.6 * x)
