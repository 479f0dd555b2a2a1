"""Every lessonlib optimizer, through the skeleton they share, against its `torch.optim` twin.

One table holds what differs between optimizers (their configurations, the options that are all on at once in the
harder runs, the options of a second parameter group, the mistakes they refuse); each test runs every row. What only
one optimizer has is tested in its own file (`test_adam.py`, ...).
"""

import re
from dataclasses import dataclass

import pytest
import torch

from lessonlib.optim import SGD, Adafactor, Adagrad, Adam, AdamW, Optimizer, RMSprop

from ._parity import assert_closure_matches, assert_state_matches, cuda, flat, run_side_by_side, two_groups


@dataclass(frozen=True)
class Twin:
    ours: type
    theirs: type
    configs: tuple[dict, ...]  # each run for 500 steps, state compared after
    rich: dict  # many options at once: the groups, scheduler, reload, closure and CUDA runs use it
    first: dict  # the first of two parameter groups overrides these
    bad: tuple[tuple[dict, str], ...]  # a mistake and lessonlib's message for it; torch refuses it too
    torchs_words: bool = True  # lessonlib's messages are torch.optim's, word for word


TWINS = [
    Twin(
        SGD,
        torch.optim.SGD,
        configs=(
            {},  # the defaults: lr 1e-3, no momentum
            {"lr": 0.05, "momentum": 0.9},
            {"lr": 0.05, "momentum": 0.9, "dampening": 0.5},
            {"lr": 0.05, "momentum": 0.9, "nesterov": True},
            {"lr": 0.05, "weight_decay": 0.1, "maximize": True},
            {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1, "maximize": True},
            {"lr": 0.05, "momentum": 0.5, "dampening": 0.3, "weight_decay": 0.05},
        ),
        rich={"lr": 0.02, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
        first={"lr": 0.05, "momentum": 0.0, "nesterov": False},
        bad=(
            ({"lr": -1.0}, "Invalid learning rate: -1.0"),
            ({"lr": torch.tensor([0.1, 0.2])}, "Tensor lr must be 1-element"),
            ({"momentum": -0.5}, "Invalid momentum value: -0.5"),
            ({"weight_decay": -0.1}, "Invalid weight_decay value: -0.1"),
            ({"nesterov": True}, "Nesterov momentum requires a momentum and zero dampening"),
            (
                {"nesterov": True, "momentum": 0.9, "dampening": 0.1},
                "Nesterov momentum requires a momentum and zero dampening",
            ),
        ),
    ),
    Twin(
        Adagrad,
        torch.optim.Adagrad,
        configs=(
            {},  # the defaults: lr 1e-2, eps 1e-10
            {"lr": 0.1, "lr_decay": 0.01},
            {"lr": 0.1, "initial_accumulator_value": 0.5},
            {"lr": 0.1, "weight_decay": 0.1, "maximize": True},
            {"lr": 0.2, "lr_decay": 0.001, "weight_decay": 0.05, "initial_accumulator_value": 0.1, "eps": 1e-3},
        ),
        rich={"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.01, "initial_accumulator_value": 0.1},
        first={"lr": 0.05, "lr_decay": 0.0},
        bad=(
            ({"lr": -1.0}, "Invalid learning rate: -1.0"),
            ({"lr": torch.tensor([0.1, 0.2])}, "Tensor lr must be 1-element"),
            ({"lr_decay": -0.1}, "Invalid lr_decay value: -0.1"),
            ({"weight_decay": -0.1}, "Invalid weight_decay value: -0.1"),
            ({"initial_accumulator_value": -1.0}, "Invalid initial_accumulator_value value: -1.0"),
            ({"eps": -1e-10}, "Invalid epsilon value: -1e-10"),
        ),
    ),
    Twin(
        RMSprop,
        torch.optim.RMSprop,
        configs=(
            {},  # the defaults: lr 1e-2, alpha 0.99, eps 1e-8
            {"lr": 0.005, "momentum": 0.9},
            {"lr": 0.005, "centered": True},
            {"lr": 0.005, "momentum": 0.5, "centered": True, "alpha": 0.9},
            {"lr": 0.005, "weight_decay": 0.1, "eps": 1e-3, "maximize": True},
            {"lr": 0.005, "momentum": 0.5, "centered": True, "weight_decay": 0.1, "maximize": True},
        ),
        rich={"lr": 0.005, "alpha": 0.95, "momentum": 0.5, "centered": True, "weight_decay": 0.01},
        first={"lr": 0.01, "alpha": 0.9},
        bad=(
            ({"lr": -1.0}, "Invalid learning rate: -1.0"),
            ({"lr": torch.tensor([0.1, 0.2])}, "Tensor lr must be 1-element"),
            ({"eps": -1e-8}, "Invalid epsilon value: -1e-08"),
            ({"momentum": -0.5}, "Invalid momentum value: -0.5"),
            ({"weight_decay": -0.1}, "Invalid weight_decay value: -0.1"),
            ({"alpha": -0.99}, "Invalid alpha value: -0.99"),
        ),
    ),
    Twin(
        Adam,
        torch.optim.Adam,
        configs=(
            {},  # the defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8
            {"lr": 0.01, "amsgrad": True},
            {"lr": 0.01, "weight_decay": 0.1},
            {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True},
            {"lr": 0.02, "betas": (0.5, 0.9), "eps": 1e-3, "amsgrad": True, "weight_decay": 0.1, "maximize": True},
        ),
        rich={"lr": 0.01, "betas": (0.8, 0.99), "amsgrad": True, "weight_decay": 0.01},
        first={"lr": 0.05, "betas": (0.5, 0.9), "amsgrad": False},
        bad=(
            ({"lr": -1.0}, "Invalid learning rate: -1.0"),
            ({"lr": float("nan")}, "Invalid learning rate: nan"),
            ({"lr": torch.tensor([0.1, 0.2])}, "Tensor lr must be 1-element"),
            ({"eps": -1e-8}, "Invalid epsilon value: -1e-08"),
            ({"betas": (1.0, 0.999)}, "Invalid beta parameter at index 0: 1.0"),
            ({"betas": (0.9, -0.1)}, "Invalid beta parameter at index 1: -0.1"),
            ({"weight_decay": -0.1}, "Invalid weight_decay value: -0.1"),
            ({"betas": (0, 0.999)}, "betas must be either both floats or both Tensors"),
        ),
    ),
    Twin(
        AdamW,
        torch.optim.AdamW,
        configs=(
            {},  # the defaults: lr 1e-3, weight_decay 1e-2
            {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True},
            {"lr": 0.02, "betas": (0.5, 0.9), "eps": 1e-3, "weight_decay": 0.5, "maximize": True},
        ),
        rich={"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.1},
        first={"lr": 0.05, "weight_decay": 0.0},
        bad=(
            ({"lr": -1.0}, "Invalid learning rate: -1.0"),
            ({"eps": -1.0}, "Invalid epsilon value: -1.0"),
            ({"betas": (0.9, 1.0)}, "Invalid beta parameter at index 1: 1.0"),
            ({"weight_decay": -0.01}, "Invalid weight_decay value: -0.01"),
        ),
    ),
    Twin(
        Adafactor,
        torch.optim.Adafactor,
        configs=(
            {},  # the defaults: lr 1e-2 (relative step min(0.01, 1/√t)), beta2_decay -0.8, eps (None, 1e-3)
            {"lr": 0.5},  # relative step 1/√t once t > 4
            {"lr": 0.05, "weight_decay": 0.1},
            {"lr": 0.05, "beta2_decay": -0.5, "eps": (0.3, 1e-2)},  # ε1 large enough to act
            {"lr": 0.05, "d": 2.0, "maximize": True},
            {"lr": 0.05, "beta2_decay": -0.6, "eps": (1e-20, 0.5), "d": 1.5, "weight_decay": 0.05, "maximize": True},
        ),
        rich={"lr": 0.05, "beta2_decay": -0.7, "d": 1.5, "weight_decay": 0.05},
        first={"lr": 0.5, "weight_decay": 0.0},  # one group on the relative step 1/√t, one capped at α
        # torch.optim.Adafactor words these its own way ("Learning rate should be >= 0 but is: -1.0");
        # lessonlib words each mistake as its other optimizers do
        bad=(
            ({"lr": -1.0}, "Invalid learning rate: -1.0"),
            ({"lr": torch.tensor([0.1, 0.2])}, "Tensor lr must be 1-element"),
            ({"beta2_decay": 0.5}, "Invalid beta2_decay value: 0.5 (must be <= 0)"),
            ({"eps": (-1.0, 1e-3)}, "Invalid epsilon1 value: -1.0"),
            ({"eps": (None, -1e-3)}, "Invalid epsilon2 value: -0.001"),
            ({"d": 0.5}, "Invalid d value: 0.5 (must be >= 1)"),
            ({"weight_decay": -0.1}, "Invalid weight_decay value: -0.1"),
        ),
        torchs_words=False,
    ),
]
NAMES = [twin.ours.__name__ for twin in TWINS]


def _rows(field):
    return [pytest.param(twin, item, id=f"{twin.ours.__name__}-{item}") for twin in TWINS for item in field(twin)]


@pytest.mark.parametrize(("twin", "kwargs"), _rows(lambda twin: twin.configs))
def test_matches_torch_for_500_steps(twin, kwargs):
    ours, theirs = run_side_by_side(
        flat(twin.ours, **kwargs), flat(twin.theirs, **kwargs), maximize=kwargs.get("maximize", False)
    )
    assert_state_matches(ours, theirs)  # also Adafactor's factored state's shapes, e.g. (2, 3, 1) and (2, 1, 4)


@pytest.mark.parametrize("twin", TWINS, ids=NAMES)
def test_groups_scheduler_and_state_dict_together(twin):
    # two groups with their own options, StepLR driving both, and a reload mid-run from its own state and then
    # from torch.optim's: each can go wrong alone, and one run checks them all
    ours, theirs = run_side_by_side(
        two_groups(twin.ours, twin.first, **twin.rich),
        two_groups(twin.theirs, twin.first, **twin.rich),
        reloads={200: "ours", 350: "torch"},
        scheduler=lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=100, gamma=0.5),
    )
    assert ours.param_groups[1]["lr"] == theirs.param_groups[1]["lr"] == twin.rich["lr"] * 0.5**5
    assert ours.param_groups[0]["lr"] == twin.first["lr"] * 0.5**5


@pytest.mark.parametrize("twin", TWINS, ids=NAMES)
def test_closure_returns_the_loss(twin):
    assert_closure_matches(twin.ours, twin.theirs, **twin.rich)


@pytest.mark.parametrize("twin", TWINS, ids=NAMES)
def test_tensor_lr_acts_as_its_value(twin):
    options = {**twin.rich, "lr": torch.tensor(twin.rich["lr"], dtype=torch.float64)}
    run_side_by_side(flat(twin.ours, **options), flat(twin.theirs, **twin.rich), steps=50)


@pytest.mark.cuda
@cuda
@pytest.mark.parametrize("twin", TWINS, ids=NAMES)
def test_matches_torch_on_cuda_in_float32(twin):
    # float32 rounding differs from float64; same kernels on both sides, so a loose margin suffices.
    run_side_by_side(
        flat(twin.ours, **twin.rich),
        flat(twin.theirs, **twin.rich, foreach=False),
        device="cuda",
        dtype=torch.float32,
        tol={"rtol": 1e-4, "atol": 1e-5},
    )


@pytest.mark.parametrize(("twin", "mistake"), _rows(lambda twin: twin.bad))
def test_rejects_bad_hyperparameters(twin, mistake):
    kwargs, message = mistake
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        twin.ours([torch.zeros(2, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$" if twin.torchs_words else None):
        twin.theirs([torch.zeros(2, requires_grad=True)], **kwargs)


@pytest.mark.parametrize("twin", TWINS, ids=NAMES)
def test_rejects_a_bare_tensor_and_says_what_to_pass(twin):
    with pytest.raises(TypeError, match=r"should be an iterable of Tensors or dicts, but got torch\.FloatTensor"):
        twin.ours(torch.zeros(2, requires_grad=True))


def test_every_optimizer_is_in_the_table():
    import lessonlib.optim

    exported = {getattr(lessonlib.optim, name) for name in lessonlib.optim.__all__}
    optimizers = {cls for cls in exported if isinstance(cls, type) and issubclass(cls, Optimizer)} - {Optimizer}
    assert optimizers == {twin.ours for twin in TWINS}


def test_an_optimizer_without_an_update_says_what_it_lacks():
    class Lazy(Optimizer):
        def __init__(self, params):
            super().__init__(params, {"lr": 0.1})

    theta = torch.zeros(2, requires_grad=True)
    theta.grad = torch.ones(2)
    with pytest.raises(NotImplementedError, match=r"^Lazy must define update\(group, param, grad, state\)$"):
        Lazy([theta]).step()


def test_a_parameter_that_needs_no_state_gets_no_entry():
    # as torch.optim.SGD without momentum: its state_dict has no entry for any parameter
    theta = torch.zeros(2, requires_grad=True)
    theta.grad = torch.ones(2)
    for cls in (SGD, torch.optim.SGD):
        opt = cls([theta], lr=0.1)
        opt.step()
        assert opt.state_dict()["state"] == {}
