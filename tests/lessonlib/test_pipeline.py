"""lessonlib.pipeline against the run written out: scikit-learn's digits, torch.nn, torch.optim.AdamW, a DataLoader."""

import re

import pytest
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lessonlib.pipeline import train_digits


def _oracle(lr, weight_decay, epochs, batch_size, hidden, seed):
    """The documented run, from scikit-learn's digits: a 60/20/20 split by one permutation, AdamW, eval at the end."""
    bunch = load_digits()
    X, y = torch.as_tensor(bunch.data / 16.0, dtype=torch.float32).double(), torch.as_tensor(bunch.target)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(0))  # the split's one shuffle
    n_train, n_val = int(0.6 * len(y)), int(0.2 * len(y))
    train, val = order[:n_train], order[n_train : n_train + n_val]
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, hidden, bias=False), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, 10))
    model = model.double()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    shuffle = torch.Generator().manual_seed(seed)
    loader = DataLoader(TensorDataset(X[train], y[train]), batch_size=batch_size, shuffle=True, generator=shuffle)
    model.train()  # once: evaluating between epochs in eval mode must not change the run
    for _ in range(epochs):
        for xb, yb in loader:
            opt.zero_grad()
            F.cross_entropy(model(xb), yb).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        logits = model(X[val])
    return model, F.cross_entropy(logits, y[val]).item(), (logits.argmax(dim=1) == y[val]).double().mean().item()


@pytest.mark.parametrize(("lr", "weight_decay", "batch_size"), [(3e-3, 1e-2, 64), (1e-2, 0.0, 100)])
def test_train_digits_is_the_run_written_out(lr, weight_decay, batch_size):
    run = train_digits(lr, weight_decay=weight_decay, epochs=3, batch_size=batch_size, hidden=32, seed=1)
    model, loss, accuracy = _oracle(lr, weight_decay, 3, batch_size, 32, seed=1)
    assert run.val_loss[-1] == pytest.approx(loss, rel=1e-9)
    assert run.val_accuracy[-1] == pytest.approx(accuracy, abs=1e-6)  # float32 mean of 359 zeros and ones
    for ours, theirs in zip(run.model.state_dict().values(), model.state_dict().values(), strict=True):
        torch.testing.assert_close(ours, theirs)
    assert not run.model.training


def test_one_score_per_epoch_and_the_loss_falls_at_first():
    run = train_digits(epochs=3, hidden=16)
    assert len(run.val_loss) == len(run.val_accuracy) == 3
    assert run.val_loss[0] < 2.3 and run.val_loss[1] < run.val_loss[0]  # below ln 10, a uniform guess
    assert all(0.0 <= a <= 1.0 for a in run.val_accuracy)


def test_the_same_arguments_give_the_same_run():
    a, b = train_digits(epochs=1, hidden=8), train_digits(epochs=1, hidden=8)
    assert a.val_loss == b.val_loss


BAD = [
    ({"lr": -1e-3}, ValueError, "Invalid learning rate: -0.001"),
    ({"lr": "fast"}, TypeError, "Invalid learning rate: 'fast' (must be a real number)"),
    ({"weight_decay": -0.1}, ValueError, "Invalid weight_decay value: -0.1"),
    ({"epochs": 0}, ValueError, "Invalid epochs value: 0 (must be >= 1)"),
    ({"batch_size": 32.0}, TypeError, "Invalid batch_size: 32.0 (must be an integer)"),
    ({"hidden": 0}, ValueError, "Invalid hidden value: 0 (must be >= 1)"),
    ({"seed": None}, TypeError, "Invalid seed: None (must be an integer)"),
]


@pytest.mark.parametrize(("change", "error", "message"), BAD, ids=[m for _, _, m in BAD])
def test_train_digits_refuses_bad_arguments(change, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        train_digits(**change)
