"""Mini-batch descent against hand-written gradient descent on linear least squares."""

import math
import re

import pytest
import torch

from lessonlib.minibatch import TrainingHistory, minibatch_descent

M, D = 10, 3


def data(seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(M, D, generator=g, dtype=torch.float64)
    y = X @ torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64) + 0.1 * torch.randn(M, generator=g, dtype=torch.float64)
    return X, y


def mse(pred, target):
    return ((pred - target) ** 2).mean()


def linear(w0):
    """A linear model y = Xw with its weight as a plain leaf tensor."""
    w = w0.clone().requires_grad_(True)
    return w, (lambda X: X @ w)


W0 = torch.tensor([0.3, 0.1, -0.2], dtype=torch.float64)


def hand_written_gd(X, y, w, alpha, batches):
    """w <- w - alpha (2/|b|) X_b^T (X_b w - y_b) for each batch of indices b; returns losses and ws."""
    losses, ws = [], [w.clone()]
    for b in batches:
        Xb, yb = X[b], y[b]
        r = Xb @ w - yb
        losses.append((r @ r / len(b)).item())
        w = w - alpha * (2 / len(b)) * Xb.T @ r
        ws.append(w.clone())
    return losses, ws


def test_full_batch_is_closed_form_gradient_descent():
    X, y = data()
    w, model = linear(W0)
    optimizer = torch.optim.SGD([w], lr=0.1)
    path = minibatch_descent(model, mse, X, y, optimizer, batch_size=M, epochs=20)
    losses, ws = hand_written_gd(X, y, W0, 0.1, [torch.arange(M)] * 20)
    torch.testing.assert_close(path.loss, losses)
    torch.testing.assert_close(torch.stack(path.params), torch.stack(ws))
    assert path.examples_seen == [M * (s + 1) for s in range(20)]
    # Full batch: the loss of step s is the full loss before it, so epoch_loss repeats it.
    torch.testing.assert_close(path.epoch_loss[:-1], path.loss)


def test_batch_size_one_without_shuffle_is_a_per_example_loop():
    X, y = data()
    w, model = linear(W0)
    optimizer = torch.optim.SGD([w], lr=0.05)
    path = minibatch_descent(model, mse, X, y, optimizer, batch_size=1, epochs=3, shuffle=False)
    losses, ws = hand_written_gd(X, y, W0, 0.05, [torch.tensor([j]) for _ in range(3) for j in range(M)])
    torch.testing.assert_close(path.loss, losses)
    torch.testing.assert_close(torch.stack(path.params), torch.stack(ws))
    assert path.examples_seen == list(range(1, 3 * M + 1))


def test_shuffled_minibatches_follow_torch_randperm_of_the_generator():
    X, y = data()
    w, model = linear(W0)
    optimizer = torch.optim.SGD([w], lr=0.05)
    path = minibatch_descent(
        model, mse, X, y, optimizer, batch_size=4, epochs=2, generator=torch.Generator().manual_seed(7)
    )
    g = torch.Generator().manual_seed(7)
    batches = [perm[i : i + 4] for perm in (torch.randperm(M, generator=g) for _ in range(2)) for i in (0, 4, 8)]
    losses, ws = hand_written_gd(X, y, W0, 0.05, batches)
    torch.testing.assert_close(path.loss, losses)
    torch.testing.assert_close(path.params[-1], ws[-1])
    assert path.examples_seen == [4, 8, 10, 14, 18, 20]


def test_same_generator_seed_same_trajectory():
    X, y = data()
    paths = []
    for _ in range(2):
        w, model = linear(W0)
        optimizer = torch.optim.SGD([w], lr=0.05, momentum=0.9)
        paths.append(minibatch_descent(model, mse, X, y, optimizer, 3, 4, generator=torch.Generator().manual_seed(1)))
    assert paths[0].loss == paths[1].loss
    torch.testing.assert_close(torch.stack(paths[0].params), torch.stack(paths[1].params), rtol=0, atol=0)


@pytest.mark.parametrize("batch_size", [1, 3, 4, 5, 10])
@pytest.mark.parametrize("drop_last", [False, True])
def test_number_of_steps_and_examples_seen(batch_size, drop_last):
    X, y = data()
    w, model = linear(W0)
    epochs = 3
    path = minibatch_descent(
        model, mse, X, y, torch.optim.SGD([w], lr=0.01), batch_size, epochs, drop_last=drop_last, record_params=False
    )
    per_epoch = M // batch_size if drop_last else math.ceil(M / batch_size)
    assert len(path.loss) == len(path.examples_seen) == epochs * per_epoch
    assert path.params == []
    assert len(path.epoch_loss) == epochs + 1
    used = per_epoch * batch_size if drop_last else M
    assert path.examples_seen[per_epoch - 1 :: per_epoch] == [used * (e + 1) for e in range(epochs)]


def test_epoch_loss_is_the_full_data_loss_after_each_epoch():
    X, y = data()
    w, model = linear(W0)
    optimizer = torch.optim.SGD([w], lr=0.05)
    path = minibatch_descent(model, mse, X, y, optimizer, batch_size=4, epochs=3, shuffle=False)
    steps = math.ceil(M / 4)
    for e in range(4):
        we = path.params[e * steps]
        torch.testing.assert_close(path.epoch_loss[e], ((X @ we - y) ** 2).mean().item())


def test_works_with_an_nn_module_and_adam():
    X, y = data()
    torch.manual_seed(0)
    model = torch.nn.Linear(D, 1).double()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    path = minibatch_descent(
        model, lambda p, t: mse(p.squeeze(-1), t), X, y, optimizer, 5, 30, generator=torch.Generator().manual_seed(0)
    )
    assert isinstance(path, TrainingHistory)
    assert path.params[0].shape == (D + 1,)
    assert path.epoch_loss[-1] < 0.1 * path.epoch_loss[0]
    torch.testing.assert_close(path.params[-1], torch.cat([model.weight.detach().reshape(-1), model.bias.detach()]))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"batch_size": 0}, ValueError, "Invalid batch_size value: 0 (must be >= 1)"),
        ({"batch_size": 11}, ValueError, "Invalid batch_size value: 11 (must be <= len(X) = 10)"),
        ({"batch_size": 2.0}, TypeError, "Invalid batch_size: 2.0 (must be an integer)"),
        ({"epochs": 0}, ValueError, "Invalid epochs value: 0 (must be >= 1)"),
        ({"epochs": True}, TypeError, "Invalid epochs: True (must be an integer)"),
        (
            {"y": torch.zeros(9, dtype=torch.float64)},
            ValueError,
            "Invalid y shape: (9,) (must have X's first dimension, 10)",
        ),
        ({"y": torch.zeros(10, device="meta")}, ValueError, "Invalid y device: meta (must be X's device, cpu)"),
        ({"X": torch.zeros(0, D)}, ValueError, "Invalid X shape: (0, 3) (must hold at least one example)"),
        ({"X": torch.tensor(1.0)}, ValueError, "Invalid X shape: () (must hold at least one example)"),
        ({"X": [[1.0, 2.0, 3.0]]}, TypeError, "Invalid X: [[1.0, 2.0, 3.0]] (must be a torch.Tensor)"),
        ({"y": None}, TypeError, "Invalid y: None (must be a torch.Tensor)"),
        ({"model": 3}, TypeError, "Invalid model: 3 (must be callable)"),
        ({"loss_fn": None}, TypeError, "Invalid loss_fn: None (must be callable)"),
        (
            {"loss_fn": lambda p, t: (p - t) ** 2},
            ValueError,
            "Invalid loss_fn: returned shape (10,) (must return a scalar)",
        ),
        ({"optimizer": "sgd"}, TypeError, "Invalid optimizer: 'sgd' (must be a torch.optim.Optimizer)"),
        ({"generator": 0}, TypeError, "Invalid generator: 0 (must be a torch.Generator or None)"),
    ],
)
def test_bad_arguments_raise_naming_the_parameter(kwargs, error, message):
    X, y = data()
    w, model = linear(W0)
    arguments = {
        "model": model,
        "loss_fn": mse,
        "X": X,
        "y": y,
        "optimizer": torch.optim.SGD([w], lr=0.1),
        "batch_size": 4,
        "epochs": 1,
    } | kwargs
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        minibatch_descent(**arguments)


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_runs_on_the_device_of_the_data():
    X, y = data()
    w, model = linear(W0.cuda())
    path = minibatch_descent(
        model, mse, X.cuda(), y.cuda(), torch.optim.SGD([w], lr=0.05), 4, 2, generator=torch.Generator("cuda")
    )
    assert path.params[-1].device.type == "cuda"
    assert path.epoch_loss[-1] < path.epoch_loss[0]
