"""lessonlib.optim.Adagrad against torch.optim.Adagrad."""

import re

import pytest
import torch

from lessonlib.optim import Adagrad

from ._parity import (
    assert_closure_matches,
    assert_state_matches,
    cuda,
    flat,
    run_side_by_side,
    two_groups,
)

CONFIGS = [
    {},  # the defaults: lr 1e-2, eps 1e-10
    {"lr": 0.1, "lr_decay": 0.01},
    {"lr": 0.1, "initial_accumulator_value": 0.5},
    {"lr": 0.1, "weight_decay": 0.1, "maximize": True},
    {
        "lr": 0.2,
        "lr_decay": 0.001,
        "weight_decay": 0.05,
        "initial_accumulator_value": 0.1,
        "eps": 1e-3,
    },
]
RICH = {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.01, "initial_accumulator_value": 0.1}


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_matches_torch_for_500_steps(kwargs):
    ours, theirs = run_side_by_side(
        flat(Adagrad, **kwargs),
        flat(torch.optim.Adagrad, **kwargs),
        maximize=kwargs.get("maximize", False),
    )
    assert_state_matches(ours, theirs)


def test_param_groups_with_their_own_lr_and_lr_decay():
    first = {"lr": 0.05, "lr_decay": 0.0}
    run_side_by_side(two_groups(Adagrad, first, **RICH), two_groups(torch.optim.Adagrad, first, **RICH))


def test_state_dict_round_trip_mid_run():
    # reload from its own state at step 200, from torch.optim's at step 350
    reloads = {200: "ours", 350: "torch"}
    run_side_by_side(flat(Adagrad, **RICH), flat(torch.optim.Adagrad, **RICH), reloads=reloads)


def test_step_lr_scheduler_drives_both():
    ours, theirs = run_side_by_side(
        flat(Adagrad, **RICH),
        flat(torch.optim.Adagrad, **RICH),
        scheduler=lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=100, gamma=0.5),
    )
    assert ours.param_groups[0]["lr"] == theirs.param_groups[0]["lr"] == 0.1 * 0.5**5


def test_closure_returns_the_loss():
    assert_closure_matches(Adagrad, torch.optim.Adagrad, **RICH)


@pytest.mark.cuda
@cuda
def test_matches_torch_on_cuda_in_float32():
    # float32 rounding differs from float64; same kernels on both sides, so a loose margin suffices.
    run_side_by_side(
        flat(Adagrad, **RICH),
        flat(torch.optim.Adagrad, **RICH, foreach=False),
        device="cuda",
        dtype=torch.float32,
        tol={"rtol": 1e-4, "atol": 1e-5},
    )


BAD = [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"lr": torch.tensor([0.1, 0.2])}, "Tensor lr must be 1-element"),
    ({"lr_decay": -0.1}, "Invalid lr_decay value: -0.1"),
    ({"weight_decay": -0.1}, "Invalid weight_decay value: -0.1"),
    ({"initial_accumulator_value": -1.0}, "Invalid initial_accumulator_value value: -1.0"),
    ({"eps": -1e-10}, "Invalid epsilon value: -1e-10"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD, ids=[m for _, m in BAD])
def test_rejects_bad_hyperparameters_with_torchs_words(kwargs, message):
    for cls in (Adagrad, torch.optim.Adagrad):
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            cls([torch.zeros(2, requires_grad=True)], **kwargs)


def test_rejects_a_bare_tensor_and_says_what_to_pass():
    with pytest.raises(TypeError, match=r"should be an iterable of Tensors or dicts, but got torch\.FloatTensor"):
        Adagrad(torch.zeros(2, requires_grad=True))
