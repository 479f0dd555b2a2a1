"""lessonlib.optim.Adafactor against torch.optim.Adafactor."""

import re

import pytest
import torch

from lessonlib.optim import Adafactor

from ._parity import (
    assert_closure_matches,
    assert_state_matches,
    cuda,
    flat,
    run_side_by_side,
    two_groups,
)

CONFIGS = [
    {},  # the defaults: lr 1e-2 (relative step min(0.01, 1/√t)), beta2_decay -0.8, eps (None, 1e-3)
    {"lr": 0.5},  # relative step 1/√t once t > 4
    {"lr": 0.05, "weight_decay": 0.1},
    {"lr": 0.05, "beta2_decay": -0.5, "eps": (0.3, 1e-2)},  # ε1 large enough to act
    {"lr": 0.05, "d": 2.0, "maximize": True},
    {
        "lr": 0.05,
        "beta2_decay": -0.6,
        "eps": (1e-20, 0.5),
        "d": 1.5,
        "weight_decay": 0.05,
        "maximize": True,
    },
]
RICH = {"lr": 0.05, "beta2_decay": -0.7, "d": 1.5, "weight_decay": 0.05}


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_matches_torch_for_500_steps(kwargs):
    ours, theirs = run_side_by_side(
        flat(Adafactor, **kwargs),
        flat(torch.optim.Adafactor, **kwargs),
        maximize=kwargs.get("maximize", False),
    )
    assert_state_matches(ours, theirs)  # also checks the factored state's shapes, e.g. (2, 3, 1) and (2, 1, 4)


def test_matches_torch_in_float32_where_eps1_defaults_to_float32_machine_epsilon():
    # bitwise equal today; assert_close's float32 defaults (rtol 1.3e-6) leave room for reordering
    ours, theirs = flat(Adafactor, **RICH), flat(torch.optim.Adafactor, **RICH)
    run_side_by_side(ours, theirs, dtype=torch.float32, tol={})


def test_groups_scheduler_and_state_dict_together():
    # one run, as Adafactor's steps cost the most: two groups (one on the relative step
    # 1/√t, one capped at α), StepLR driving both, reloads from its own and torch's state
    first = {"lr": 0.5, "weight_decay": 0.0}
    ours, theirs = run_side_by_side(
        two_groups(Adafactor, first, **RICH),
        two_groups(torch.optim.Adafactor, first, **RICH),
        reloads={200: "ours", 350: "torch"},
        scheduler=lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=100, gamma=0.5),
    )
    assert ours.param_groups[1]["lr"] == theirs.param_groups[1]["lr"] == 0.05 * 0.5**5


def test_closure_returns_the_loss():
    assert_closure_matches(Adafactor, torch.optim.Adafactor, **RICH)


def test_state_is_a_row_and_a_column_per_matrix():
    theta = torch.zeros(64, 32, requires_grad=True)
    opt = Adafactor([theta])
    theta.grad = torch.ones_like(theta)
    opt.step()
    shapes = {key: tuple(value.shape) for key, value in opt.state[theta].items()}
    assert shapes == {"step": (), "row_var": (64, 1), "col_var": (1, 32)}


@pytest.mark.cuda
@cuda
def test_matches_torch_on_cuda_in_float32():
    # float32 rounding differs from float64; same kernels on both sides, so a loose margin suffices.
    run_side_by_side(
        flat(Adafactor, **RICH),
        flat(torch.optim.Adafactor, **RICH, foreach=False),
        device="cuda",
        dtype=torch.float32,
        tol={"rtol": 1e-4, "atol": 1e-5},
    )


BAD = [
    ({"lr": -1.0}, "Learning rate should be >= 0 but is: -1.0"),
    ({"lr": torch.tensor([0.1, 0.2])}, "Tensor lr must be 1-element"),
    ({"beta2_decay": 0.5}, "beta2_decay should be <= 0 but is: 0.5"),
    ({"eps": (-1.0, 1e-3)}, "epsilon1 should be >= 0 but is: -1.0"),
    ({"eps": (None, -1e-3)}, "epsilon2 should be >= 0 but is: -0.001"),
    ({"d": 0.5}, "Clipping threshold d should be >= 1 but is: 0.5"),
    ({"weight_decay": -0.1}, "weight_decay should be >= 0 but is: -0.1"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD, ids=[m for _, m in BAD])
def test_rejects_bad_hyperparameters_with_torchs_words(kwargs, message):
    for cls in (Adafactor, torch.optim.Adafactor):
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            cls([torch.zeros(2, requires_grad=True)], **kwargs)


def test_rejects_a_bare_tensor_and_says_what_to_pass():
    with pytest.raises(TypeError, match=r"should be an iterable of Tensors or dicts, but got torch\.FloatTensor"):
        Adafactor(torch.zeros(2, requires_grad=True))
