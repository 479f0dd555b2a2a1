"""Schedules against closed forms written here and against torch's LR schedulers."""

import math
import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lessonlib.schedules import (
    as_lambda_lr,
    constant,
    cosine_decay,
    exponential_decay,
    inverse_time_decay,
    step_decay,
    warmup_cosine,
)

STEPS = 200


def sgd(lr=1.0):
    w = torch.zeros(3, requires_grad=True)
    return torch.optim.SGD([w], lr=lr)


def lrs_of(optimizer, scheduler, steps=STEPS):
    """The lr each optimizer step used, for steps 0 .. steps-1."""
    lrs = []
    for _ in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


def lessonlib_lrs(schedule, steps=STEPS, initial_lr=123.0):
    optimizer = sgd(initial_lr)
    return lrs_of(optimizer, as_lambda_lr(optimizer, schedule), steps)


# --- closed forms, written independently of lessonlib ---------------------------------


def test_constant():
    assert [constant(0.3)(t) for t in range(5)] == [0.3] * 5


def test_step_decay_closed_form():
    schedule = step_decay(lr=0.8, step_size=3, gamma=0.1)
    expected = [0.8, 0.8, 0.8, 0.08, 0.08, 0.08, 0.008, 0.008, 0.008, 0.0008]
    assert [schedule(t) for t in range(10)] == pytest.approx(expected, rel=1e-12)


def test_step_decay_default_halves():
    schedule = step_decay(lr=1.0, step_size=2)
    assert [schedule(t) for t in range(6)] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]


def test_exponential_decay_closed_form():
    schedule = exponential_decay(lr=2.0, k=0.1)
    expected = [2.0, 2.0 * math.e**-0.1, 2.0 * math.e**-0.2, 2.0 * math.e**-0.3]
    assert [schedule(t) for t in range(4)] == pytest.approx(expected, rel=1e-12)


def test_inverse_time_decay_closed_form():
    schedule = inverse_time_decay(lr=3.0, k=0.5)
    assert [schedule(t) for t in range(5)] == pytest.approx([3.0, 2.0, 1.5, 1.2, 1.0], rel=1e-12)


def test_cosine_decay_closed_form():
    schedule = cosine_decay(lr=1.0, total_steps=4, min_lr=0.2)
    # cos(pi t / 4) = 1, sqrt(2)/2, 0, -sqrt(2)/2, -1
    half = 0.4
    expected = [1.0, 0.2 + half * (1 + 2**-0.5), 0.6, 0.2 + half * (1 - 2**-0.5), 0.2, 0.2, 0.2]
    assert [schedule(t) for t in range(7)] == pytest.approx(expected, rel=1e-12)


def test_warmup_cosine_closed_form():
    schedule = warmup_cosine(lr=0.4, warmup_steps=4, total_steps=6, min_lr=0.0)
    expected = [0.0, 0.1, 0.2, 0.3, 0.4, 0.2, 0.0, 0.0]
    assert [schedule(t) for t in range(8)] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_warmup_cosine_without_warmup_is_cosine_closed_form():
    schedule = warmup_cosine(lr=1.0, warmup_steps=0, total_steps=2)
    assert [schedule(t) for t in range(3)] == pytest.approx([1.0, 0.5, 0.0], abs=1e-15)


def test_schedules_accept_numpy_integers():
    assert step_decay(1.0, 2)(np.int64(2)) == 0.5


# --- against torch's schedulers, through a real SGD optimizer -------------------------


def test_step_decay_matches_torch_step_lr():
    optimizer = sgd(0.5)
    expected = lrs_of(optimizer, torch.optim.lr_scheduler.StepLR(optimizer, step_size=7, gamma=0.5))
    actual = lessonlib_lrs(step_decay(lr=0.5, step_size=7, gamma=0.5))
    torch.testing.assert_close(actual, expected, rtol=1e-12, atol=0.0)


def test_exponential_decay_matches_torch_exponential_lr():
    k = 0.03
    optimizer = sgd(0.5)
    expected = lrs_of(optimizer, torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=math.exp(-k)))
    actual = lessonlib_lrs(exponential_decay(lr=0.5, k=k))
    # ExponentialLR multiplies by gamma once a step: round-off grows with t.
    torch.testing.assert_close(actual, expected, rtol=1e-11, atol=0.0)


@pytest.mark.parametrize("min_lr", [0.0, 0.01])
def test_cosine_decay_matches_torch_cosine_annealing_lr(min_lr):
    T = STEPS - 1
    optimizer = sgd(0.5)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T, eta_min=min_lr)
    expected = lrs_of(optimizer, scheduler, T + 1)
    actual = lessonlib_lrs(cosine_decay(lr=0.5, total_steps=T, min_lr=min_lr), T + 1)
    # CosineAnnealingLR uses a recursive form; it agrees up to round-off.
    torch.testing.assert_close(actual, expected, rtol=1e-9, atol=1e-12)


def test_warmup_cosine_matches_torch_linear_then_cosine():
    W, T, lr = 10, 60, 0.2
    optimizer = sgd(lr)
    warmup = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: t / W)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T - W)
    scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[W])
    expected = lrs_of(optimizer, scheduler, T + 1)
    actual = lessonlib_lrs(warmup_cosine(lr=lr, warmup_steps=W, total_steps=T), T + 1)
    torch.testing.assert_close(actual, expected, rtol=1e-9, atol=1e-12)


def test_as_lambda_lr_follows_schedule_exactly_in_every_group():
    w1 = torch.zeros(2, requires_grad=True)
    w2 = torch.zeros(2, requires_grad=True)
    optimizer = torch.optim.SGD([{"params": [w1], "lr": 3.0}, {"params": [w2], "lr": 0.0}], lr=7.0)
    schedule = inverse_time_decay(lr=0.3, k=0.7)
    scheduler = as_lambda_lr(optimizer, schedule)
    for t in range(50):
        assert [group["lr"] for group in optimizer.param_groups] == [schedule(t), schedule(t)]
        optimizer.step()
        scheduler.step()


def test_as_lambda_lr_sets_the_step_sgd_takes():
    # f(w) = w^2 / 2 has gradient w, so SGD's step is w <- (1 - lr_t) w.
    w = torch.ones(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=99.0)
    scheduler = as_lambda_lr(optimizer, step_decay(lr=0.5, step_size=1))
    expected = 1.0
    for t in range(5):
        optimizer.zero_grad()
        (0.5 * w**2).sum().backward()
        optimizer.step()
        scheduler.step()
        expected *= 1 - 0.5 * 0.5**t
    torch.testing.assert_close(w.detach(), torch.tensor([expected], dtype=torch.float64))


def test_as_lambda_lr_replaces_a_previous_initial_lr():
    optimizer = sgd(1.0)
    torch.optim.lr_scheduler.StepLR(optimizer, step_size=1)  # leaves initial_lr = 1.0
    optimizer.param_groups[0]["initial_lr"] = 5.0
    as_lambda_lr(optimizer, constant(0.25))
    assert optimizer.param_groups[0]["lr"] == 0.25


# --- properties -----------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(
    lr=st.floats(0.0, 10.0),
    fraction=st.floats(0.0, 1.0),
    total_steps=st.integers(1, 500),
)
def test_cosine_decay_stays_in_range_and_never_increases(lr, fraction, total_steps):
    min_lr = lr * fraction
    schedule = cosine_decay(lr, total_steps, min_lr)
    values = [schedule(t) for t in range(total_steps + 3)]
    tol = 1e-12 * max(lr, 1.0)
    assert all(min_lr - tol <= v <= lr + tol for v in values)
    assert all(b <= a + tol for a, b in zip(values, values[1:]))
    assert values[0] == pytest.approx(lr) and values[-1] == min_lr


@settings(max_examples=50, deadline=None)
@given(lr=st.floats(1e-6, 10.0), warmup_steps=st.integers(0, 50), decay_steps=st.integers(1, 50))
def test_warmup_cosine_peaks_at_lr_at_the_end_of_warmup(lr, warmup_steps, decay_steps):
    schedule = warmup_cosine(lr, warmup_steps, warmup_steps + decay_steps)
    values = [schedule(t) for t in range(warmup_steps + decay_steps + 1)]
    assert max(values) == pytest.approx(lr, rel=1e-12)
    assert values[warmup_steps] == pytest.approx(lr, rel=1e-12)
    assert values[-1] == 0.0


# --- validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: constant(-1.0), ValueError, "Invalid learning rate: -1.0"),
        (lambda: constant(float("nan")), ValueError, "Invalid learning rate: nan"),
        (lambda: constant(float("inf")), ValueError, "Invalid learning rate: inf"),
        (lambda: constant("0.1"), TypeError, "Invalid learning rate: '0.1' (must be a real number)"),
        (lambda: constant(True), TypeError, "Invalid learning rate: True (must be a real number)"),
        (lambda: step_decay(0.1, step_size=0), ValueError, "Invalid step_size value: 0 (must be >= 1)"),
        (lambda: step_decay(0.1, step_size=2.5), TypeError, "Invalid step_size: 2.5 (must be an integer)"),
        (lambda: step_decay(0.1, step_size=2, gamma=0.0), ValueError, "Invalid gamma value: 0.0 (must be in (0, 1])"),
        (lambda: step_decay(0.1, step_size=2, gamma=1.5), ValueError, "Invalid gamma value: 1.5 (must be in (0, 1])"),
        (lambda: exponential_decay(-0.1, k=0.1), ValueError, "Invalid learning rate: -0.1"),
        (lambda: exponential_decay(0.1, k=-2.0), ValueError, "Invalid k value: -2.0 (must be >= 0)"),
        (lambda: inverse_time_decay(0.1, k=float("inf")), ValueError, "Invalid k value: inf (must be finite)"),
        (lambda: inverse_time_decay(0.1, k=None), TypeError, "Invalid k: None (must be a real number)"),
        (lambda: cosine_decay(0.1, total_steps=0), ValueError, "Invalid total_steps value: 0 (must be >= 1)"),
        (
            lambda: cosine_decay(0.1, total_steps=10, min_lr=-0.1),
            ValueError,
            "Invalid min_lr value: -0.1 (must be in [0, 0.1])",
        ),
        (
            lambda: cosine_decay(0.1, total_steps=10, min_lr=0.2),
            ValueError,
            "Invalid min_lr value: 0.2 (must be in [0, 0.1])",
        ),
        (
            lambda: warmup_cosine(0.1, warmup_steps=-1, total_steps=10),
            ValueError,
            "Invalid warmup_steps value: -1 (must be >= 0)",
        ),
        (
            lambda: warmup_cosine(0.1, warmup_steps=10, total_steps=10),
            ValueError,
            "Invalid total_steps value: 10 (must be > warmup_steps = 10)",
        ),
        (
            lambda: warmup_cosine(0.1, warmup_steps=1, total_steps=10, min_lr=1.0),
            ValueError,
            "Invalid min_lr value: 1.0 (must be in [0, 0.1])",
        ),
        (
            lambda: as_lambda_lr("sgd", constant(0.1)),
            TypeError,
            "Invalid optimizer: 'sgd' (must be a torch.optim.Optimizer)",
        ),
        (lambda: as_lambda_lr(sgd(), 0.1), TypeError, "Invalid schedule: 0.1 (must be callable)"),
    ],
)
def test_bad_arguments_raise_naming_the_parameter(build, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        build()


def test_a_learning_rate_of_zero_is_allowed_as_in_torch_optim():
    assert constant(0.0)(5) == 0.0
    assert warmup_cosine(0.0, warmup_steps=2, total_steps=4)(3) == 0.0


@pytest.mark.parametrize(
    "schedule",
    [
        constant(0.1),
        step_decay(0.1, 2),
        exponential_decay(0.1, 0.1),
        inverse_time_decay(0.1, 0.1),
        cosine_decay(0.1, 10),
        warmup_cosine(0.1, 2, 10),
    ],
)
def test_bad_steps_raise(schedule):
    with pytest.raises(ValueError, match=re.escape("Invalid t value: -1 (must be >= 0)")):
        schedule(-1)
    with pytest.raises(TypeError, match=re.escape("Invalid t: 1.0 (must be an integer)")):
        schedule(1.0)
