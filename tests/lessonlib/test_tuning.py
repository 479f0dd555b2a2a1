"""lessonlib.tuning against itertools.product and against torch.nn networks trained one at a time by torch.optim.SGD."""

import itertools
import math
import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from lessonlib.data import train_val_test_split, two_moons
from lessonlib.tuning import grid_points, two_moons_objective


def test_grid_points_are_itertools_product():
    axes = [torch.tensor([-3.0, -1.0, 1.0]), torch.tensor([0.5, 0.25]), torch.tensor([7.0, 8.0, 9.0, 10.0])]
    points = grid_points(*axes)
    expected = list(itertools.product(*(a.tolist() for a in axes)))
    assert [p.shape for p in points] == [(24,)] * 3
    assert list(zip(*(p.tolist() for p in points), strict=True)) == expected


def test_grid_points_of_one_axis_is_that_axis():
    (values,) = grid_points(torch.tensor([2.0, 1.0]))
    assert values.tolist() == [2.0, 1.0]


def _data():
    """The data as the objective documents them: lessonlib's two moons (tested in test_data.py), split 100/200/100."""
    X, y = two_moons(400, noise=0.1, seed=0)
    return [t.double() for t in train_val_test_split(X, y.double(), proportions=(0.25, 0.5, 0.25), seed=0)]


def _oracle(lr, weight_decay, split, steps=100, width=8):
    """One 2-8-1 ReLU nn.Sequential in float64, the documented initial weights, torch.optim.SGD with weight decay."""
    X_train, X_val, X_test, y_train, y_val, y_test = _data()
    gen = torch.Generator().manual_seed(0)
    W1, W2 = torch.randn(2, width, generator=gen), torch.randn(width, 1, generator=gen) * math.sqrt(2 / width)
    net = nn.Sequential(nn.Linear(2, width), nn.ReLU(), nn.Linear(width, 1)).double()
    with torch.no_grad():
        net[0].weight.copy_(W1.T), net[0].bias.zero_(), net[2].weight.copy_(W2.T), net[2].bias.zero_()
    opt = torch.optim.SGD(net.parameters(), lr=lr, weight_decay=weight_decay)
    for _ in range(steps):
        opt.zero_grad()
        F.binary_cross_entropy_with_logits(net(X_train).squeeze(-1), y_train).backward()
        opt.step()
    X, y = {"train": (X_train, y_train), "val": (X_val, y_val), "test": (X_test, y_test)}[split]
    with torch.no_grad():
        logits = net(X).squeeze(-1)
        return F.binary_cross_entropy_with_logits(logits, y).item(), ((logits > 0).double() == y).double().mean().item()


@pytest.mark.parametrize("split", ["train", "val", "test"])
def test_each_candidate_is_the_network_torch_optim_sgd_trains_alone(split):
    lrs, wds = [0.01, 0.3, 3.0, 1.0], [1e-6, 1e-3, 1e-5, 1e-2]
    loss, accuracy = two_moons_objective(torch.tensor(lrs), torch.tensor(wds), split=split)
    assert loss.dtype == accuracy.dtype == torch.float64 and loss.shape == accuracy.shape == (4,)
    for j, (lr, wd) in enumerate(zip(lrs, wds, strict=True)):
        # the candidates' float32 rates, as the objective receives them
        expected_loss, expected_accuracy = _oracle(torch.tensor(lr).item(), torch.tensor(wd).item(), split)
        assert loss[j].item() == pytest.approx(expected_loss, rel=1e-9, abs=1e-12)
        assert accuracy[j].item() == expected_accuracy


def test_steps_and_width_are_the_oracles():
    loss, _ = two_moons_objective(torch.tensor([0.5], dtype=torch.float64), torch.tensor([0.0]), steps=7, width=3)
    assert loss.item() == pytest.approx(_oracle(0.5, 0.0, "val", steps=7, width=3)[0], rel=1e-9)


def test_a_diverged_candidate_scores_infinity_and_the_others_are_untouched():
    loss, _ = two_moons_objective(torch.tensor([1e4, 1.0]), torch.zeros(2))
    assert loss[0].item() == math.inf
    assert loss[1].item() == pytest.approx(_oracle(1.0, 0.0, "val")[0], rel=1e-9)


def test_zero_steps_scores_the_initial_network():
    loss, _ = two_moons_objective(torch.tensor([0.1, 10.0]), torch.tensor([0.0, 1.0]), steps=0)
    assert loss[0].item() == loss[1].item() == pytest.approx(_oracle(0.1, 0.0, "val", steps=0)[0], rel=1e-12)


BAD = [
    ({"lr": [0.1]}, TypeError, "Invalid lr: [0.1] (must be a torch.Tensor)"),
    ({"lr": torch.tensor([1])}, TypeError, "Invalid lr dtype: torch.int64 (must be floating point)"),
    ({"lr": torch.tensor(0.1)}, ValueError, "Invalid lr shape: () (must be 1-D, (M,))"),
    ({"weight_decay": torch.zeros(3)}, ValueError, "Invalid weight_decay shape: (3,) (must be lr's, (2,))"),
    ({"split": "validation"}, ValueError, "Invalid split value: 'validation' (must be 'train', 'val' or 'test')"),
    ({"steps": 10.0}, TypeError, "Invalid steps: 10.0 (must be an integer)"),
    ({"steps": -1}, ValueError, "Invalid steps value: -1 (must be >= 0)"),
    ({"width": 0}, ValueError, "Invalid width value: 0 (must be >= 1)"),
]


@pytest.mark.parametrize(("change", "error", "message"), BAD, ids=[m for _, _, m in BAD])
def test_two_moons_objective_refuses_bad_arguments(change, error, message):
    arguments = {"lr": torch.tensor([0.1, 1.0]), "weight_decay": torch.zeros(2)} | change
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        two_moons_objective(**arguments)


@pytest.mark.parametrize(
    ("axes", "error", "message"),
    [
        ((), ValueError, "Invalid axes value: () (must be at least one 1-D tensor)"),
        (([1.0, 2.0],), TypeError, "Invalid axes[0]: [1.0, 2.0] (must be a torch.Tensor)"),
        ((torch.zeros(2), torch.zeros(2, 2)), ValueError, "Invalid axes[1] shape: (2, 2) (must be 1-D, (k,))"),
    ],
)
def test_grid_points_refuses_bad_axes(axes, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        grid_points(*axes)
