"""lessonlib.optim.Adagrad: its steps in closed form (the table in test_optimizer.py runs it against torch.optim)."""

import torch

from lessonlib.optim import Adagrad


def test_steps_shrink_as_one_over_root_t_under_a_constant_gradient():
    # v_t = t g², so the step t is α|g|/(√t|g| + ε) ≈ α/√t whatever the gradient's size
    lr, g = 0.1, torch.tensor([1e-3, 5.0, -40.0], dtype=torch.float64)
    theta = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    opt = Adagrad([theta], lr=lr, eps=0.0)
    for t in range(1, 6):
        before = theta.detach().clone()
        theta.grad = g.clone()
        opt.step()
        torch.testing.assert_close(before - theta.detach(), lr * g.sign() / t**0.5, rtol=1e-12, atol=0.0)
