"""lessonlib.optim.AdamW against torch.optim.AdamW and against decoupled decay written by hand."""

import re

import pytest
import torch

from lessonlib.optim import AdamW

from ._parity import (
    assert_state_matches,
    cuda,
    flat,
    make_params,
    run_side_by_side,
    set_grads,
    two_groups,
)

CONFIGS = [
    {},  # the defaults: lr 1e-3, weight_decay 1e-2
    {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True},
    {"lr": 0.02, "betas": (0.5, 0.9), "eps": 1e-3, "weight_decay": 0.5, "maximize": True},
]
RICH = {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.1}


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_matches_torch_for_500_steps(kwargs):
    ours, theirs = run_side_by_side(
        flat(AdamW, **kwargs),
        flat(torch.optim.AdamW, **kwargs),
        maximize=kwargs.get("maximize", False),
    )
    assert_state_matches(ours, theirs)


def test_groups_scheduler_and_state_dict_together():
    # Adam's tests take these one at a time; AdamW only adds a flag, so one run covers them
    first = {"lr": 0.05, "weight_decay": 0.0}
    ours, theirs = run_side_by_side(
        two_groups(AdamW, first, **RICH),
        two_groups(torch.optim.AdamW, first, **RICH),
        reloads={250: "ours"},
        scheduler=lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=100, gamma=0.5),
    )
    assert ours.param_groups[1]["lr"] == theirs.param_groups[1]["lr"] == 0.01 * 0.5**5


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


@pytest.mark.cuda
@cuda
def test_matches_torch_on_cuda_in_float32():
    # float32 rounding differs from float64; same kernels on both sides, so a loose margin suffices.
    run_side_by_side(
        flat(AdamW, **RICH),
        flat(torch.optim.AdamW, **RICH, foreach=False),
        device="cuda",
        dtype=torch.float32,
        tol={"rtol": 1e-4, "atol": 1e-5},
    )


BAD = [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"eps": -1.0}, "Invalid epsilon value: -1.0"),
    ({"betas": (0.9, 1.0)}, "Invalid beta parameter at index 1: 1.0"),
    ({"weight_decay": -0.01}, "Invalid weight_decay value: -0.01"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD, ids=[m for _, m in BAD])
def test_rejects_bad_hyperparameters_with_torchs_words(kwargs, message):
    for cls in (AdamW, torch.optim.AdamW):
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            cls([torch.zeros(2, requires_grad=True)], **kwargs)


def test_rejects_a_bare_tensor_and_says_what_to_pass():
    with pytest.raises(TypeError, match=r"should be an iterable of Tensors or dicts, but got torch\.FloatTensor"):
        AdamW(torch.zeros(2, requires_grad=True))
