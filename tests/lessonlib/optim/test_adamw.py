"""lessonlib.optim.AdamW against decoupled decay written by hand (test_optimizer.py compares it with torch)."""

import torch

from lessonlib.optim import AdamW

from ._parity import make_params, set_grads


def test_matches_decoupled_decay_written_by_hand():
    lr, beta1, beta2, eps, lam = 0.01, 0.9, 0.999, 1e-8, 0.1
    ours_params, hand_params = make_params(), make_params()
    ours = AdamW(ours_params, lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=lam)
    theta = [p.detach() for p in hand_params[:-1]]
    m = [torch.zeros_like(p) for p in theta]
    v = [torch.zeros_like(p) for p in theta]
    for t in range(1, 501):
        ours.zero_grad()
        set_grads(ours_params)
        ours.step()
        set_grads(hand_params)
        for i, p in enumerate(hand_params[:-1]):
            g = p.grad
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            m_hat = m[i] / (1 - beta1**t)
            v_hat = v[i] / (1 - beta2**t)
            theta[i].copy_(theta[i] - lr * lam * theta[i] - lr * m_hat / (v_hat.sqrt() + eps))
    # the hand-written step rounds in another order (βm + (1-β)g against lerp): a few ulps a step
    torch.testing.assert_close(ours_params, hand_params, rtol=1e-9, atol=1e-9)
