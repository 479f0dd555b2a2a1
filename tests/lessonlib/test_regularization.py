"""lessonlib.regularization: penalties against closed forms, torch.optim and scikit-learn."""

import re

import numpy as np
import pytest
import torch
from sklearn.linear_model import ElasticNet
from torch import nn

from lessonlib.regularization import EarlyStopping, elastic_net_penalty, l1_penalty, l2_penalty


def params(dtype=torch.float64):
    g = torch.Generator().manual_seed(0)
    return [torch.randn(shape, generator=g, dtype=dtype, requires_grad=True) for shape in [(3, 4), (4,), (2, 2, 2)]]


def flat(ps):
    return np.concatenate([p.detach().numpy().ravel() for p in ps])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_penalties_match_numpy_closed_forms(dtype):
    ps = params(dtype)
    theta = flat(ps).astype(np.float64)
    torch.testing.assert_close(l1_penalty(ps).item(), float(np.abs(theta).sum()), rtol=1e-6, atol=0)
    torch.testing.assert_close(l2_penalty(ps).item(), float((theta**2).sum()), rtol=1e-6, atol=0)
    for r in (0.0, 0.3, 1.0):
        expected = r * np.abs(theta).sum() + 0.5 * (1 - r) * (theta**2).sum()
        torch.testing.assert_close(elastic_net_penalty(ps, l1_ratio=r).item(), float(expected), rtol=1e-6, atol=0)


def test_penalties_accept_a_generator_such_as_model_parameters():
    model = nn.Linear(3, 2)
    expected = sum(float((p.detach() ** 2).sum()) for p in model.parameters())
    torch.testing.assert_close(l2_penalty(model.parameters()).item(), expected)
    torch.testing.assert_close(
        elastic_net_penalty(model.parameters(), 0.5).item(),
        0.5 * l1_penalty(model.parameters()).item() + 0.25 * expected,
    )


def test_empty_parameters_give_zero():
    assert l1_penalty([]).item() == 0.0
    assert l2_penalty(iter([])).item() == 0.0


def test_penalty_gradients_match_closed_forms():
    ps = params()
    grads = torch.autograd.grad(l1_penalty(ps) + l2_penalty(ps), ps)
    for p, g in zip(ps, grads, strict=True):
        torch.testing.assert_close(g, torch.sign(p.detach()) + 2 * p.detach())


def test_half_lambda_l2_is_sgd_weight_decay():
    """Convention: 0.5 * lam * l2_penalty has gradient lam * theta, SGD's weight_decay=lam."""
    lam, lr = 0.3, 0.1
    ours = params()
    theirs = [p.detach().clone().requires_grad_() for p in ours]
    (0.5 * lam * l2_penalty(ours)).backward()
    with torch.no_grad():
        for p in ours:
            p -= lr * p.grad
    for p in theirs:
        p.grad = torch.zeros_like(p)  # a zero loss gradient: only the decay acts
    torch.optim.SGD(theirs, lr=lr, weight_decay=lam).step()
    for p, q in zip(ours, theirs, strict=True):
        torch.testing.assert_close(p.detach(), q.detach())


@pytest.mark.parametrize("l1_ratio", [0.2, 0.5, 0.9])
def test_elastic_net_convention_is_sklearns(l1_ratio):
    """At scikit-learn's ElasticNet solution our objective is stationary in non-zero coordinates."""
    rng = np.random.default_rng(0)
    n, d, alpha = 40, 6, 0.1
    X = rng.standard_normal((n, d))
    y = X @ np.array([2.0, -1.0, 0.0, 0.5, 0.0, 3.0]) + 0.1 * rng.standard_normal(n)
    fit = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    w = torch.tensor(fit.coef_, requires_grad=True)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    objective = ((yt - Xt @ w) ** 2).sum() / (2 * n) + alpha * elastic_net_penalty([w], l1_ratio)
    (grad,) = torch.autograd.grad(objective, w)
    nonzero = w.detach() != 0
    assert nonzero.sum() >= 3
    torch.testing.assert_close(grad[nonzero], torch.zeros_like(grad[nonzero]), atol=1e-7, rtol=0)


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (-0.1, ValueError, "Invalid l1_ratio value: -0.1 (must be in [0, 1])"),
        (1.1, ValueError, "Invalid l1_ratio value: 1.1 (must be in [0, 1])"),
        (float("nan"), ValueError, "Invalid l1_ratio value: nan (must be finite)"),
        ("0.5", TypeError, "Invalid l1_ratio: '0.5' (must be a real number)"),
    ],
)
def test_elastic_net_bad_ratio(bad, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        elastic_net_penalty(params(), l1_ratio=bad)


# ---------------------------------------------------------------- EarlyStopping


def run(stopper, metrics):
    return [stopper.step(m) for m in metrics]


def test_patience_counts_consecutive_bad_epochs():
    stopper = EarlyStopping(patience=3)
    assert run(stopper, [5.0, 4.0, 4.5, 4.2, 3.9, 4.0, 4.0, 4.0]) == [False] * 7 + [True]
    assert stopper.best_score == 3.9
    assert stopper.best_epoch == 4
    assert stopper.num_bad_epochs == 3


def test_patience_zero_stops_at_the_first_bad_epoch():
    assert run(EarlyStopping(patience=0), [2.0, 1.0, 1.0]) == [False, False, True]


def test_min_delta_demands_a_large_enough_improvement():
    stopper = EarlyStopping(patience=2, min_delta=0.1)
    # 0.95 and 0.91 are within 0.1 of the best (1.0): not improvements; 0.85 is.
    assert run(stopper, [1.0, 0.95, 0.85, 0.8, 0.76]) == [False, False, False, False, True]
    assert stopper.best_score == 0.85
    assert stopper.best_epoch == 2


def test_an_improvement_exactly_min_delta_does_not_count():
    stopper = EarlyStopping(patience=1, min_delta=0.5)
    assert run(stopper, [2.0, 1.5]) == [False, True]


def test_mode_max_for_accuracy_and_tensor_metrics():
    stopper = EarlyStopping(patience=2, mode="max")
    assert run(stopper, [torch.tensor(0.5), torch.tensor(0.7), 0.6, 0.65]) == [
        False,
        False,
        False,
        True,
    ]
    assert stopper.best_score == pytest.approx(0.7)
    assert stopper.best_epoch == 1


def test_nan_metric_is_never_an_improvement():
    stopper = EarlyStopping(patience=1)
    assert run(stopper, [1.0, float("nan")]) == [False, True]


def test_restore_loads_a_deep_copy_of_the_best_state():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    stopper = EarlyStopping(patience=2)
    stopper.step(1.0, model)
    best = {k: v.clone() for k, v in model.state_dict().items()}
    with torch.no_grad():  # training moves on, in place, as an optimizer would
        for p in model.parameters():
            p.add_(1.0)
        model(torch.randn(5, 3))  # updates the running statistics too
    stopper.step(2.0, model)  # worse: nothing saved
    for key, value in stopper.best_state.items():
        torch.testing.assert_close(value, best[key], msg=key)
        assert value.data_ptr() != model.state_dict()[key].data_ptr()
    stopper.restore(model)
    for key, value in model.state_dict().items():
        torch.testing.assert_close(value, best[key], msg=key)


def test_restore_before_any_saved_state():
    with pytest.raises(RuntimeError, match=r"no best state saved"):
        EarlyStopping().restore(nn.Linear(1, 1))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"patience": -1}, ValueError, "Invalid patience value: -1 (must be >= 0)"),
        ({"patience": 2.5}, TypeError, "Invalid patience: 2.5 (must be an integer)"),
        ({"patience": True}, TypeError, "Invalid patience: True (must be an integer)"),
        ({"min_delta": -0.1}, ValueError, "Invalid min_delta value: -0.1 (must be >= 0)"),
        ({"mode": "lowest"}, ValueError, "Invalid mode value: 'lowest' (must be 'min' or 'max')"),
    ],
)
def test_early_stopping_validation(kwargs, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        EarlyStopping(**kwargs)


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_penalties_and_restore():
    ps = [p.detach().cuda() for p in params(torch.float32)]
    torch.testing.assert_close(l2_penalty(ps).cpu(), l2_penalty([p.cpu() for p in ps]))
    model = nn.Linear(3, 2).cuda()
    stopper = EarlyStopping(patience=1)
    stopper.step(0.5, model)
    with torch.no_grad():
        model.weight.zero_()
    stopper.restore(model)
    assert stopper.best_state["weight"].device.type == "cuda"
    torch.testing.assert_close(model.weight.detach(), stopper.best_state["weight"])
