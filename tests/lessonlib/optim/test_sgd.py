"""lessonlib.optim.SGD against torch.optim.SGD."""

import re

import pytest
import torch

from lessonlib.optim import SGD

from ._parity import (
    assert_closure_matches,
    assert_state_matches,
    cuda,
    flat,
    loss_fn,
    make_params,
    run_side_by_side,
    set_grads,
    two_groups,
)

CONFIGS = [
    {},  # the defaults: lr 1e-3, no momentum
    {"lr": 0.05, "momentum": 0.9},
    {"lr": 0.05, "momentum": 0.9, "dampening": 0.5},
    {"lr": 0.05, "momentum": 0.9, "nesterov": True},
    {"lr": 0.05, "weight_decay": 0.1, "maximize": True},
    {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1, "maximize": True},
    {"lr": 0.05, "momentum": 0.5, "dampening": 0.3, "weight_decay": 0.05},
]
RICH = {"lr": 0.02, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_matches_torch_for_500_steps(kwargs):
    ours, theirs = run_side_by_side(
        flat(SGD, **kwargs), flat(torch.optim.SGD, **kwargs), maximize=kwargs.get("maximize", False)
    )
    assert_state_matches(ours, theirs)


def test_param_groups_with_their_own_lr_and_momentum():
    first = {"lr": 0.05, "momentum": 0.0, "nesterov": False}
    run_side_by_side(two_groups(SGD, first, **RICH), two_groups(torch.optim.SGD, first, **RICH))


def test_state_dict_round_trip_mid_run():
    # reload from its own state at step 200, from torch.optim's at step 350
    reloads = {200: "ours", 350: "torch"}
    run_side_by_side(flat(SGD, **RICH), flat(torch.optim.SGD, **RICH), reloads=reloads)


def test_step_lr_scheduler_drives_both():
    ours, theirs = run_side_by_side(
        flat(SGD, **RICH),
        flat(torch.optim.SGD, **RICH),
        scheduler=lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=100, gamma=0.5),
    )
    assert ours.param_groups[0]["lr"] == theirs.param_groups[0]["lr"] == 0.02 * 0.5**5


def test_closure_returns_the_loss():
    assert_closure_matches(SGD, torch.optim.SGD, **RICH)


@pytest.mark.cuda
@cuda
def test_matches_torch_on_cuda_in_float32():
    # float32 rounding differs from float64; same kernels on both sides, so a loose margin suffices.
    run_side_by_side(
        flat(SGD, **RICH),
        flat(torch.optim.SGD, **RICH, foreach=False),
        device="cuda",
        dtype=torch.float32,
        tol={"rtol": 1e-4, "atol": 1e-5},
    )


BAD = [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"lr": torch.tensor([0.1, 0.2])}, "Tensor lr must be 1-element"),
    ({"momentum": -0.5}, "Invalid momentum value: -0.5"),
    ({"weight_decay": -0.1}, "Invalid weight_decay value: -0.1"),
    ({"nesterov": True}, "Nesterov momentum requires a momentum and zero dampening"),
    (
        {"nesterov": True, "momentum": 0.9, "dampening": 0.1},
        "Nesterov momentum requires a momentum and zero dampening",
    ),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD, ids=[m for _, m in BAD])
def test_rejects_bad_hyperparameters_with_torchs_words(kwargs, message):
    for cls in (SGD, torch.optim.SGD):
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            cls([torch.zeros(2, requires_grad=True)], **kwargs)


def test_rejects_a_nan_learning_rate():
    # torch.optim.SGD tests `lr < 0.0`, which lets NaN through; torch's other optimizers refuse it
    with pytest.raises(ValueError, match=r"^Invalid learning rate: nan$"):
        SGD([torch.zeros(2, requires_grad=True)], lr=float("nan"))


def test_rejects_a_bare_tensor_and_says_what_to_pass():
    with pytest.raises(TypeError, match=r"should be an iterable of Tensors or dicts, but got torch\.FloatTensor"):
        SGD(torch.zeros(2, requires_grad=True))


def test_harness_gradient_is_autograds():
    # the parity runs set .grad from a closed form; check it against autograd once, for every shape
    params = make_params()
    loss_fn(params).backward()
    expected = [p.grad for p in params[:-1]]
    set_grads(params)
    torch.testing.assert_close([p.grad for p in params[:-1]], expected, rtol=1e-12, atol=1e-12)
