"""lessonlib.descent against closed forms and torch.optim.SGD."""

import pytest
import torch

from lessonlib import functions as F
from lessonlib.descent import gradient_descent


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


def test_bad_input():
    w0 = torch.tensor(1.0)
    with pytest.raises(ValueError, match=r"Invalid learning rate: -0\.1"):
        gradient_descent(F.quartic, None, w0, lr=-0.1, steps=1)
    with pytest.raises(ValueError, match=r"Invalid steps: 2\.5"):
        gradient_descent(F.quartic, None, w0, lr=0.1, steps=2.5)
    with pytest.raises(TypeError, match="w0 must be a floating-point tensor, got dtype torch.int64"):
        gradient_descent(F.quartic, None, torch.tensor(1), lr=0.1, steps=1)
