"""lessonlib.optim.RMSprop against torch.optim.RMSprop."""

import re

import pytest
import torch

from lessonlib.optim import RMSprop

from ._parity import (
    assert_closure_matches,
    assert_state_matches,
    cuda,
    flat,
    run_side_by_side,
    two_groups,
)

CONFIGS = [
    {},  # the defaults: lr 1e-2, alpha 0.99, eps 1e-8
    {"lr": 0.005, "momentum": 0.9},
    {"lr": 0.005, "centered": True},
    {"lr": 0.005, "momentum": 0.5, "centered": True, "alpha": 0.9},
    {"lr": 0.005, "weight_decay": 0.1, "eps": 1e-3, "maximize": True},
    {"lr": 0.005, "momentum": 0.5, "centered": True, "weight_decay": 0.1, "maximize": True},
]
RICH = {"lr": 0.005, "alpha": 0.95, "momentum": 0.5, "centered": True, "weight_decay": 0.01}


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_matches_torch_for_500_steps(kwargs):
    ours, theirs = run_side_by_side(
        flat(RMSprop, **kwargs),
        flat(torch.optim.RMSprop, **kwargs),
        maximize=kwargs.get("maximize", False),
    )
    assert_state_matches(ours, theirs)


def test_param_groups_with_their_own_lr_and_alpha():
    first = {"lr": 0.01, "alpha": 0.9}
    run_side_by_side(two_groups(RMSprop, first, **RICH), two_groups(torch.optim.RMSprop, first, **RICH))


def test_state_dict_round_trip_mid_run():
    # reload from its own state at step 200, from torch.optim's at step 350
    reloads = {200: "ours", 350: "torch"}
    run_side_by_side(flat(RMSprop, **RICH), flat(torch.optim.RMSprop, **RICH), reloads=reloads)


def test_step_lr_scheduler_drives_both():
    ours, theirs = run_side_by_side(
        flat(RMSprop, **RICH),
        flat(torch.optim.RMSprop, **RICH),
        scheduler=lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=100, gamma=0.5),
    )
    assert ours.param_groups[0]["lr"] == theirs.param_groups[0]["lr"] == 0.005 * 0.5**5


def test_closure_returns_the_loss():
    assert_closure_matches(RMSprop, torch.optim.RMSprop, **RICH)


@pytest.mark.cuda
@cuda
def test_matches_torch_on_cuda_in_float32():
    # float32 rounding differs from float64; same kernels on both sides, so a loose margin suffices.
    run_side_by_side(
        flat(RMSprop, **RICH),
        flat(torch.optim.RMSprop, **RICH, foreach=False),
        device="cuda",
        dtype=torch.float32,
        tol={"rtol": 1e-4, "atol": 1e-5},
    )


BAD = [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"lr": torch.tensor([0.1, 0.2])}, "Tensor lr must be 1-element"),
    ({"eps": -1e-8}, "Invalid epsilon value: -1e-08"),
    ({"momentum": -0.5}, "Invalid momentum value: -0.5"),
    ({"weight_decay": -0.1}, "Invalid weight_decay value: -0.1"),
    ({"alpha": -0.99}, "Invalid alpha value: -0.99"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD, ids=[m for _, m in BAD])
def test_rejects_bad_hyperparameters_with_torchs_words(kwargs, message):
    for cls in (RMSprop, torch.optim.RMSprop):
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            cls([torch.zeros(2, requires_grad=True)], **kwargs)


def test_rejects_a_bare_tensor_and_says_what_to_pass():
    with pytest.raises(TypeError, match=r"should be an iterable of Tensors or dicts, but got torch\.FloatTensor"):
        RMSprop(torch.zeros(2, requires_grad=True))
