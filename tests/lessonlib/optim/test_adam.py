"""lessonlib.optim.Adam against torch.optim.Adam, and L2 decay against an explicit L2 loss."""

import re

import pytest
import torch

from lessonlib.optim import Adam

from ._parity import (
    assert_closure_matches,
    assert_state_matches,
    cuda,
    flat,
    loss_fn,
    make_params,
    run_side_by_side,
    two_groups,
)

CONFIGS = [
    {},  # the defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8
    {"lr": 0.01, "amsgrad": True},
    {"lr": 0.01, "weight_decay": 0.1},
    {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True},
    {
        "lr": 0.02,
        "betas": (0.5, 0.9),
        "eps": 1e-3,
        "amsgrad": True,
        "weight_decay": 0.1,
        "maximize": True,
    },
]
RICH = {"lr": 0.01, "betas": (0.8, 0.99), "amsgrad": True, "weight_decay": 0.01}


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_matches_torch_for_500_steps(kwargs):
    ours, theirs = run_side_by_side(
        flat(Adam, **kwargs),
        flat(torch.optim.Adam, **kwargs),
        maximize=kwargs.get("maximize", False),
    )
    assert_state_matches(ours, theirs)


def test_param_groups_with_their_own_lr_and_betas():
    first = {"lr": 0.05, "betas": (0.5, 0.9), "amsgrad": False}
    run_side_by_side(two_groups(Adam, first, **RICH), two_groups(torch.optim.Adam, first, **RICH))


def test_state_dict_round_trip_mid_run():
    # reload from its own state at step 200, from torch.optim's at step 350
    reloads = {200: "ours", 350: "torch"}
    run_side_by_side(flat(Adam, **RICH), flat(torch.optim.Adam, **RICH), reloads=reloads)


def test_step_lr_scheduler_drives_both():
    ours, theirs = run_side_by_side(
        flat(Adam, **RICH),
        flat(torch.optim.Adam, **RICH),
        scheduler=lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=100, gamma=0.5),
    )
    assert ours.param_groups[0]["lr"] == theirs.param_groups[0]["lr"] == 0.01 * 0.5**5


def test_closure_returns_the_loss():
    assert_closure_matches(Adam, torch.optim.Adam, **RICH)


def test_tensor_lr_acts_as_its_value():
    run_side_by_side(
        lambda params: Adam(params, lr=torch.tensor(0.01, dtype=torch.float64)),
        flat(torch.optim.Adam, lr=0.01),
        steps=50,
    )


def test_l2_weight_decay_is_adam_on_the_loss_plus_an_l2_term():
    lam = 0.1
    ours_params, l2_params = make_params(), make_params()
    ours = Adam(ours_params, lr=0.01, weight_decay=lam)
    oracle = torch.optim.Adam(l2_params, lr=0.01)  # no decay: the L2 term is in its loss
    for _ in range(500):
        ours.zero_grad()
        loss_fn(ours_params).backward()
        ours.step()
        oracle.zero_grad()
        l2 = sum((p**2).sum() for p in l2_params[:-1])  # the frozen parameter stays out of the loss
        (loss_fn(l2_params) + lam / 2 * l2).backward()
        oracle.step()
    # autograd forms λθ as (λ/2)·2θ and adds it in another order: a few ulps per step, hence 1e-9
    torch.testing.assert_close(ours_params, l2_params, rtol=1e-9, atol=1e-9)


@pytest.mark.cuda
@cuda
def test_matches_torch_on_cuda_in_float32():
    # float32 rounding differs from float64; same kernels on both sides, so a loose margin suffices.
    run_side_by_side(
        flat(Adam, **RICH),
        flat(torch.optim.Adam, **RICH, foreach=False),
        device="cuda",
        dtype=torch.float32,
        tol={"rtol": 1e-4, "atol": 1e-5},
    )


BAD = [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"lr": float("nan")}, "Invalid learning rate: nan"),
    ({"lr": torch.tensor([0.1, 0.2])}, "Tensor lr must be 1-element"),
    ({"eps": -1e-8}, "Invalid epsilon value: -1e-08"),
    ({"betas": (1.0, 0.999)}, "Invalid beta parameter at index 0: 1.0"),
    ({"betas": (0.9, -0.1)}, "Invalid beta parameter at index 1: -0.1"),
    ({"weight_decay": -0.1}, "Invalid weight_decay value: -0.1"),
    ({"betas": (0, 0.999)}, "betas must be either both floats or both Tensors"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD, ids=[m for _, m in BAD])
def test_rejects_bad_hyperparameters_with_torchs_words(kwargs, message):
    for cls in (Adam, torch.optim.Adam):
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            cls([torch.zeros(2, requires_grad=True)], **kwargs)


def test_rejects_a_bare_tensor_and_says_what_to_pass():
    with pytest.raises(TypeError, match=r"should be an iterable of Tensors or dicts, but got torch\.FloatTensor"):
        Adam(torch.zeros(2, requires_grad=True))
