"""lessonlib.optim.Adafactor: float32 and its factored state (the table in test_optimizer.py runs it against torch)."""

import pytest
import torch

from lessonlib.optim import Adafactor

from ._parity import flat, run_side_by_side

RICH = {"lr": 0.05, "beta2_decay": -0.7, "d": 1.5, "weight_decay": 0.05}


def test_matches_torch_in_float32_where_eps1_defaults_to_float32_machine_epsilon():
    # bitwise equal today; assert_close's float32 defaults (rtol 1.3e-6) leave room for reordering
    ours, theirs = flat(Adafactor, **RICH), flat(torch.optim.Adafactor, **RICH)
    run_side_by_side(ours, theirs, dtype=torch.float32, tol={})


def test_state_is_a_row_and_a_column_per_matrix():
    theta = torch.zeros(64, 32, requires_grad=True)
    opt = Adafactor([theta])
    theta.grad = torch.ones_like(theta)
    opt.step()
    shapes = {key: tuple(value.shape) for key, value in opt.state[theta].items()}
    assert shapes == {"step": (), "row_var": (64, 1), "col_var": (1, 32)}


def test_update_function_says_which_state_a_tensor_needs():
    # a matrix keeps row and column factors, a vector its full second moment; the wrong one is named
    from lessonlib.optim.adafactor import adafactor_update

    options = dict(lr=0.01, beta2_decay=-0.8, eps1=1e-30, eps2=1e-3, d=1.0, weight_decay=0.0, maximize=False)
    matrix, vector = torch.ones(2, 3), torch.ones(3)
    with pytest.raises(ValueError, match=r"^Invalid row_var/col_var: None \(a tensor of shape \(2, 3\) needs both\)$"):
        adafactor_update(matrix, matrix, None, None, torch.zeros(2, 3), 1, **options)
    with pytest.raises(ValueError, match=r"^Invalid v: None \(a tensor of shape \(3,\) keeps a full second moment\)$"):
        adafactor_update(vector, vector, None, None, None, 1, **options)
