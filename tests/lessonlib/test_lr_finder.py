"""The LR range test on linear least squares, where the stability limit 2/L is known in closed form."""

import math
import re

import pytest
import torch

from lessonlib.lr_finder import RangeTestResult, lr_range_test

M, D = 128, 4


def mse(pred, target):
    return ((pred.squeeze(-1) - target) ** 2).mean()


def problem(seed=0):
    """Least squares f(w) = mean((Xw - y)^2): Hessian H = (2/m) X^T X, stability limit 2 / lambda_max(H)."""
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(M, D, generator=g, dtype=torch.float64)
    y = X @ torch.randn(D, generator=g, dtype=torch.float64) + 0.1 * torch.randn(M, generator=g, dtype=torch.float64)
    torch.manual_seed(seed)
    model = torch.nn.Linear(D, 1, bias=False).double()
    L = torch.linalg.eigvalsh(2 / M * X.T @ X).max().item()
    return X, y, model, L


def batches(X, y, size):
    return [(X[i : i + size], y[i : i + size]) for i in range(0, len(X), size)]


@pytest.mark.parametrize("batch_size", [M, 16])
@pytest.mark.parametrize("seed", [0, 1])
def test_suggestion_is_below_the_stability_limit(seed, batch_size):
    X, y, model, L = problem(seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    result = lr_range_test(model, mse, batches(X, y, batch_size), optimizer, start_lr=1e-6, end_lr=100.0)
    assert isinstance(result, RangeTestResult)
    assert result.diverged
    assert (2 / L) / 100 < result.suggested_lr < 2 / L


def test_full_batch_losses_follow_closed_form_gd_with_geometric_rates():
    X, y, model, L = problem()
    w = model.weight.detach().clone().reshape(-1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    N, start, end = 30, 1e-3, 1.0
    result = lr_range_test(model, mse, [(X, y)], optimizer, start_lr=start, end_lr=end, num_steps=N, smooth=0.9)

    expected_lrs = torch.logspace(math.log10(start), math.log10(end), N, dtype=torch.float64)
    assert len(result.lrs) == len(result.losses) == len(result.smoothed_losses) == N
    assert not result.diverged
    torch.testing.assert_close(torch.tensor(result.lrs, dtype=torch.float64), expected_lrs)

    expected_losses = []
    for alpha in expected_lrs:
        r = X @ w - y
        expected_losses.append((r @ r / M).item())
        w = w - alpha * (2 / M) * X.T @ r
    torch.testing.assert_close(result.losses, expected_losses)

    # Bias-corrected moving average, written as the weighted mean it is.
    beta = 0.9
    losses = torch.tensor(expected_losses, dtype=torch.float64)
    expected_smoothed = [
        (sum((1 - beta) * beta ** (i - j) * losses[j] for j in range(i + 1)) / (1 - beta ** (i + 1))).item()
        for i in range(N)
    ]
    torch.testing.assert_close(result.smoothed_losses, expected_smoothed)
    best = min(range(N), key=lambda i: expected_smoothed[i])
    assert result.suggested_lr == pytest.approx(expected_lrs[best].item() / 10)


def test_without_smoothing_the_smoothed_losses_are_the_losses():
    X, y, model, _ = problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    result = lr_range_test(model, mse, [(X, y)], optimizer, start_lr=1e-3, end_lr=0.1, num_steps=10, smooth=0.0)
    torch.testing.assert_close(result.smoothed_losses, result.losses)


def test_stops_early_once_the_loss_blows_up():
    X, y, model, L = problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    result = lr_range_test(
        model, mse, [(X, y)], optimizer, start_lr=1e-3, end_lr=1e4, num_steps=100, diverge_factor=4.0
    )
    assert result.diverged
    assert len(result.losses) < 100
    assert result.smoothed_losses[-1] > 4.0 * min(result.smoothed_losses)
    assert all(s <= 4.0 * min(result.smoothed_losses[: i + 1]) for i, s in enumerate(result.smoothed_losses[:-1]))
    assert result.lrs[-1] > 2 / L


def test_model_and_optimizer_are_restored():
    X, y, model, _ = problem()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    lr_range_test(model, mse, batches(X, y, 32), optimizer, start_lr=1e-4, end_lr=10.0, num_steps=50)
    for key, value in model.state_dict().items():
        torch.testing.assert_close(value, before[key], rtol=0, atol=0)
    assert optimizer.param_groups[0]["lr"] == 0.05
    assert optimizer.state_dict()["state"] == {}
    # The optimizer still drives the model's own parameters.
    assert optimizer.param_groups[0]["params"][0] is model.weight


def test_model_is_restored_when_the_loss_function_fails():
    X, y, model, _ = problem()
    before = model.weight.detach().clone()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    calls = []

    def failing_loss(pred, target):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("boom")
        return mse(pred, target)

    with pytest.raises(RuntimeError, match="boom"):
        lr_range_test(model, failing_loss, [(X, y)], optimizer, start_lr=0.01, end_lr=1.0)
    torch.testing.assert_close(model.weight.detach(), before, rtol=0, atol=0)


def test_data_starts_over_when_it_runs_out():
    X, y, model, _ = problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    result = lr_range_test(model, mse, batches(X, y, M // 2), optimizer, start_lr=1e-6, end_lr=1e-5, num_steps=5)
    assert len(result.losses) == 5
    with pytest.raises(ValueError, match=re.escape("(ran out of batches)")):
        lr_range_test(model, mse, iter(batches(X, y, M // 2)), optimizer, num_steps=5)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"model": lambda x: x}, TypeError, "Invalid model: <function> (must be a torch.nn.Module)"),
        ({"model": torch.nn.ReLU()}, ValueError, "Invalid model: ReLU (must have parameters)"),
        ({"optimizer": "sgd"}, TypeError, "Invalid optimizer: 'sgd' (must be a torch.optim.Optimizer)"),
        ({"loss_fn": 3}, TypeError, "Invalid loss_fn: 3 (must be callable)"),
        ({"start_lr": 0.0}, ValueError, "Invalid start_lr value: 0.0 (must be > 0)"),
        ({"start_lr": "1e-7"}, TypeError, "Invalid start_lr: '1e-7' (must be a real number)"),
        ({"end_lr": float("inf")}, ValueError, "Invalid end_lr value: inf (must be finite)"),
        ({"start_lr": 1.0, "end_lr": 0.1}, ValueError, "Invalid end_lr value: 0.1 (must be > start_lr = 1.0)"),
        ({"num_steps": 1}, ValueError, "Invalid num_steps value: 1 (must be >= 2)"),
        ({"num_steps": 10.0}, TypeError, "Invalid num_steps: 10.0 (must be an integer)"),
        ({"smooth": 1.0}, ValueError, "Invalid smooth value: 1.0 (must be in [0, 1))"),
        ({"smooth": None}, TypeError, "Invalid smooth: None (must be a real number)"),
        ({"diverge_factor": 1.0}, ValueError, "Invalid diverge_factor value: 1.0 (must be > 1)"),
        ({"diverge_factor": -2.0}, ValueError, "Invalid diverge_factor value: -2.0 (must be > 1)"),
        ({"data": []}, ValueError, "Invalid data: [] (ran out of batches)"),
    ],
)
def test_bad_arguments_raise_naming_the_parameter(kwargs, error, message):
    X, y, model, _ = problem()
    arguments = {
        "model": model,
        "loss_fn": mse,
        "data": [(X, y)],
        "optimizer": torch.optim.SGD(model.parameters(), lr=0.1),
    } | kwargs
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        lr_range_test(**arguments)


def test_a_loss_that_is_never_finite_raises():
    X, y, model, _ = problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match=re.escape("Invalid start_lr: 1e-07 (the loss was not finite")):
        lr_range_test(model, lambda pred, target: mse(pred, target) * math.inf, [(X, y)], optimizer)


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_moves_cpu_batches_to_the_model_device():
    X, y, model, L = problem()
    model.cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    result = lr_range_test(model, mse, batches(X, y, 16), optimizer, start_lr=1e-6, end_lr=100.0)
    assert (2 / L) / 100 < result.suggested_lr < 2 / L
    assert model.weight.device.type == "cuda"
