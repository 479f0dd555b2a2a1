"""lessonlib.optim.RMSprop: its first step in closed form (the table in test_optimizer.py runs it against torch)."""

import pytest
import torch

from lessonlib.optim import RMSprop


@pytest.mark.parametrize("centered", [False, True])
def test_first_step_is_alpha_over_root_one_minus_beta(centered):
    # v_1 = (1 - β)g², so √v_1 = √(1 - β)|g|; centered, v_1 - ḡ_1² = (1 - β)βg²
    lr, beta, g = 0.01, 0.9, torch.tensor([1e-3, 5.0, -40.0], dtype=torch.float64)
    theta = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    theta.grad = g.clone()
    RMSprop([theta], lr=lr, alpha=beta, eps=0.0, centered=centered).step()
    scale = ((1 - beta) * beta) ** 0.5 if centered else (1 - beta) ** 0.5
    torch.testing.assert_close(theta.detach(), -lr * g.sign() / scale, rtol=1e-12, atol=0.0)
