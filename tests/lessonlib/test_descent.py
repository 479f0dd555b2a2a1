"""lessonlib.descent against closed forms and torch.optim.SGD."""

import re

import pytest
import torch

from lessonlib import functions as F
from lessonlib.descent import gradient_descent, optimizer_path


def test_x_squared_matches_the_closed_form():
    # w_t = w_0 (1 - 2 alpha)^t for L = w^2
    run = gradient_descent(lambda w: w**2, lambda w: 2 * w, torch.tensor(5.0, dtype=torch.float64), lr=0.1, steps=20)
    expected = 5.0 * 0.8 ** torch.arange(21, dtype=torch.float64)
    torch.testing.assert_close(run.w, expected)
    torch.testing.assert_close(run.loss, expected**2)
    assert run.final.item() == pytest.approx(5 * 0.8**20)


def test_quartic_first_step():
    run = gradient_descent(F.quartic, F.quartic.grad, torch.tensor([-1.5], dtype=torch.float64), lr=0.001, steps=1)
    assert run.w[1].item() == pytest.approx(-1.46625, abs=1e-12)


@pytest.mark.parametrize("fn", [F.quadratic(10.0), F.rosenbrock, F.himmelblau], ids=lambda f: f.name)
def test_matches_torch_sgd(fn):
    w0 = torch.tensor([-1.0, 1.5], dtype=torch.float64)
    run = gradient_descent(fn, fn.grad, w0, lr=1e-3, steps=50)
    w = w0.clone().requires_grad_(True)
    opt = torch.optim.SGD([w], lr=1e-3)
    for t in range(50):
        opt.zero_grad()
        fn(w).backward()
        opt.step()
        torch.testing.assert_close(run.w[t + 1], w.detach())


def test_autograd_when_no_gradient_is_given():
    fn = F.beale
    w0 = torch.tensor([1.0, 1.0], dtype=torch.float64)
    torch.testing.assert_close(
        gradient_descent(fn, None, w0, lr=0.01, steps=30).w, gradient_descent(fn, fn.grad, w0, lr=0.01, steps=30).w
    )


def test_divergence_is_recorded_not_hidden():
    run = gradient_descent(lambda w: w**2, lambda w: 2 * w, torch.tensor(1.0), lr=1.5, steps=10)
    assert run.w.shape == (11,)
    torch.testing.assert_close(run.w, (-2.0) ** torch.arange(11.0))


def test_a_learning_rate_of_zero_is_a_step_that_does_nothing():
    run = gradient_descent(F.quartic, None, torch.tensor([-1.5], dtype=torch.float64), lr=0.0, steps=3)
    torch.testing.assert_close(run.w, torch.full((4, 1), -1.5, dtype=torch.float64), rtol=0, atol=0)


BAD = [
    ({"lr": -0.1}, ValueError, "Invalid learning rate: -0.1"),
    ({"lr": float("nan")}, ValueError, "Invalid learning rate: nan"),
    ({"lr": float("inf")}, ValueError, "Invalid learning rate: inf"),
    ({"lr": True}, TypeError, "Invalid learning rate: True (must be a real number)"),
    ({"lr": "0.1"}, TypeError, "Invalid learning rate: '0.1' (must be a real number)"),
    ({"steps": 2.5}, TypeError, "Invalid steps: 2.5 (must be an integer)"),
    ({"steps": True}, TypeError, "Invalid steps: True (must be an integer)"),
    ({"steps": -1}, ValueError, "Invalid steps value: -1 (must be >= 0)"),
    ({"w0": torch.tensor(1)}, TypeError, "Invalid w0 dtype: torch.int64 (must be floating point)"),
    ({"w0": 1.0}, TypeError, "Invalid w0: 1.0 (must be a torch.Tensor)"),
]


@pytest.mark.parametrize(("change", "error", "message"), BAD, ids=[m for _, _, m in BAD])
def test_bad_arguments_are_refused_with_their_name_and_value(change, error, message):
    arguments = {"f": F.quartic, "grad": None, "w0": torch.tensor(1.0), "lr": 0.1, "steps": 1} | change
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        gradient_descent(**arguments)


# --- optimizer_path: any optimizer, against torch.optim run by hand and against closed forms -------------------------


def _by_hand(fn, start, make, steps):
    """The oracle: torch's own optimizer, stepped by hand with autograd, its iterates kept."""
    w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = make([w])
    ws = [w.detach().clone()]
    for _ in range(steps):
        opt.zero_grad()
        fn(w).backward()
        opt.step()
        ws.append(w.detach().clone())
    return torch.stack(ws)


OPTIMIZERS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=1e-3),
    "nesterov": lambda p: torch.optim.SGD(p, lr=1e-3, momentum=0.9, nesterov=True),
    "adam": lambda p: torch.optim.Adam(p, lr=0.05),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01),
}


@pytest.mark.parametrize("fn", [F.quadratic(25.0), F.rosenbrock, F.beale], ids=lambda f: f.name)
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_path_matches_torch_optim_stepped_by_hand(fn, name):
    w = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)
    path = optimizer_path(fn, w, OPTIMIZERS[name]([w]), 60, grad=fn.grad)
    expected = _by_hand(fn, [-1.2, 1.0], OPTIMIZERS[name], 60)
    torch.testing.assert_close(path.w, expected)
    torch.testing.assert_close(path.loss, torch.stack([fn(v) for v in expected]))
    torch.testing.assert_close(w.detach(), expected[-1])  # w is left at w_T


def test_optimizer_path_with_plain_sgd_follows_the_closed_form():
    # on ½(w₁² + κw₂²), plain steps shrink coordinate i by (1 - αλᵢ) each step
    bowl, lr = F.quadratic(10.0), 0.05
    w = torch.tensor([1.0, 1.0], dtype=torch.float64, requires_grad=True)
    path = optimizer_path(bowl, w, torch.optim.SGD([w], lr=lr), 30)  # no grad given: autograd
    t = torch.arange(31, dtype=torch.float64)[:, None]
    torch.testing.assert_close(path.w, torch.tensor([1 - lr, 1 - 10 * lr], dtype=torch.float64) ** t)
    assert path.w.shape == (31, 2) and path.loss.shape == (31,)


def test_optimizer_path_runs_several_independent_runs_at_once():
    # one coordinate per run, as the shallow-minimum example does: each follows its own scalar run
    loss, grad = (lambda w: w**4 - 4 * w**2), (lambda w: 4 * w**3 - 8 * w)
    w = torch.tensor([2.0, -0.5], dtype=torch.float64, requires_grad=True)
    path = optimizer_path(loss, w, torch.optim.SGD([w], lr=0.01, momentum=0.9), 40, grad=grad)
    for i, start in enumerate([2.0, -0.5]):
        alone = _by_hand(loss, [start], lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9), 40)
        torch.testing.assert_close(path.w[:, i], alone[:, 0])
    assert path.loss.shape == (41, 2)


def test_optimizer_path_of_zero_steps_is_the_start():
    w = torch.tensor([3.0, 0.5], dtype=torch.float64, requires_grad=True)
    path = optimizer_path(F.beale, w, torch.optim.Adam([w]), 0)
    torch.testing.assert_close(path.w, torch.tensor([[3.0, 0.5]], dtype=torch.float64), rtol=0, atol=0)
    torch.testing.assert_close(path.loss, torch.zeros(1, dtype=torch.float64), rtol=0, atol=0)


def _path_arguments(**change):
    w = torch.tensor([1.0, 1.0], requires_grad=True)
    return {"f": F.rosenbrock, "w": w, "optimizer": torch.optim.SGD([w], lr=0.1), "steps": 1} | change


PATH_BAD = [
    ({"f": 3}, TypeError, "Invalid f: 3 (must be callable)"),
    ({"grad": "grad"}, TypeError, "Invalid grad: 'grad' (must be callable)"),
    ({"w": [1.0, 1.0]}, TypeError, "Invalid w: [1.0, 1.0] (must be a torch.Tensor)"),
    ({"w": torch.tensor([1, 1])}, TypeError, "Invalid w dtype: torch.int64 (must be floating point)"),
    (
        {"w": torch.tensor([1.0, 1.0])},
        ValueError,
        "Invalid w value: requires_grad=False (must be a parameter the optimizer updates)",
    ),
    (
        {"w": torch.tensor([1.0, 1.0], requires_grad=True)},
        ValueError,
        "Invalid w value: not a parameter of the optimizer (must be one it updates: build it on [w])",
    ),
    ({"optimizer": "sgd"}, TypeError, "Invalid optimizer: 'sgd' (must be a torch.optim.Optimizer)"),
    ({"steps": 1.0}, TypeError, "Invalid steps: 1.0 (must be an integer)"),
    ({"steps": -1}, ValueError, "Invalid steps value: -1 (must be >= 0)"),
]


@pytest.mark.parametrize(("change", "error", "message"), PATH_BAD, ids=[m for _, _, m in PATH_BAD])
def test_optimizer_path_refuses_bad_arguments_with_their_name_and_value(change, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        optimizer_path(**_path_arguments(**change))
