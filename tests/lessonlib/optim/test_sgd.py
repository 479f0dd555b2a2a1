"""lessonlib.optim.SGD: what only SGD has (the table in test_optimizer.py runs it against torch.optim.SGD)."""

import pytest
import torch

from lessonlib.optim import SGD
from lessonlib.optim.sgd import sgd_update

from ._parity import loss_fn, make_params, set_grads


def test_rejects_a_nan_learning_rate():
    # torch.optim.SGD tests `lr < 0.0`, which lets NaN through; torch's other optimizers refuse it
    with pytest.raises(ValueError, match=r"^Invalid learning rate: nan$"):
        SGD([torch.zeros(2, requires_grad=True)], lr=float("nan"))


def test_momentum_is_the_closed_form_sum_of_past_gradients():
    # with a constant gradient g, v_t = g(1 + β + ... + β^{t-1}) and θ_t = θ_0 - αg Σ_k (1 - β^k)/(1 - β)
    lr, beta, g = 0.1, 0.9, torch.tensor([1.0, -2.0], dtype=torch.float64)
    theta, v = torch.zeros(2, dtype=torch.float64), None
    for _ in range(10):
        v = sgd_update(
            theta, g, v, lr=lr, momentum=beta, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False
        )
    expected = -lr * g * sum((1 - beta**k) / (1 - beta) for k in range(1, 11))
    torch.testing.assert_close(theta, expected, rtol=1e-12, atol=1e-12)


def test_harness_gradient_is_autograds():
    # the parity runs set .grad from a closed form; check it against autograd once, for every shape
    params = make_params()
    loss_fn(params).backward()
    expected = [p.grad for p in params[:-1]]
    set_grads(params)
    torch.testing.assert_close([p.grad for p in params[:-1]], expected, rtol=1e-12, atol=1e-12)
