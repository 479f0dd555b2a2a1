"""lessonlib.optim.Adam: L2 decay against an explicit L2 loss (the table in test_optimizer.py runs it against torch)."""

import torch

from lessonlib.optim import Adam

from ._parity import loss_fn, make_params


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
