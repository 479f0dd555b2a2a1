"""Run a lessonlib optimizer and its `torch.optim` twin side by side on the same problem.

The problem: a fixed random quadratic plus a quartic term over four parameters
(a scalar, a vector, a matrix and a 3-d tensor), so the gradient changes at
every step, and a fifth parameter that is never in the loss (its grad stays
None). Both optimizers start from equal copies; after every step all
parameters must agree.
"""

import copy
import functools
from collections.abc import Callable

import pytest
import torch

SHAPES = [(), (5,), (4, 3), (2, 3, 4)]
# Both sides run the same float64 kernels in the same order, so they agree to
# the last bit today; the margin only allows a future torch to reorder a sum.
TIGHT = {"rtol": 1e-10, "atol": 1e-12}
cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")

Factory = Callable[[list[torch.Tensor]], torch.optim.Optimizer]


def make_params(device: str = "cpu", dtype: torch.dtype = torch.float64) -> list[torch.Tensor]:
    """Four trained parameters (0-d, vector, matrix, 3-d) and a frozen vector, last."""
    gen = torch.Generator().manual_seed(0)
    values = [torch.randn(shape, generator=gen, dtype=torch.float64) for shape in [*SHAPES, (3,)]]
    return [v.to(device, dtype).requires_grad_() for v in values]


@functools.cache
def _quadratic(n: int, device: torch.device, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
    """A fixed positive definite A (n x n) and b (n), drawn in float64."""
    gen = torch.Generator().manual_seed(1)
    m = torch.randn(n, n, generator=gen, dtype=torch.float64)
    a = m @ m.T / n + 0.5 * torch.eye(n, dtype=torch.float64)
    b = torch.randn(n, generator=gen, dtype=torch.float64)
    return a.to(device, dtype), b.to(device, dtype)


def loss_fn(params: list[torch.Tensor]) -> torch.Tensor:
    """L(x) = ½xᵀAx + bᵀx + 0.05Σx⁴ over the trained parameters x (the frozen one is left out)."""
    x = torch.cat([p.reshape(-1) for p in params[:-1]])
    a, b = _quadratic(x.numel(), x.device, x.dtype)
    return 0.5 * x @ (a @ x) + b @ x + 0.05 * (x**4).sum()


def set_grads(params: list[torch.Tensor], sign: float = 1.0) -> None:
    """Set each trained parameter's `.grad` to sign·∇L in closed form: Ax + b + 0.2x³.

    The closed form is several times faster than autograd on a problem this
    small, which keeps 500-step runs cheap; `test_sgd.py::test_harness_gradient_is_autograds`
    checks it against autograd.
    """
    trained = params[:-1]
    x = torch.cat([p.detach().reshape(-1) for p in trained])
    a, b = _quadratic(x.numel(), x.device, x.dtype)
    g = (a @ x + b + 0.2 * x**3).mul_(sign)
    for p, g_p in zip(trained, g.split([p.numel() for p in trained]), strict=True):
        p.grad = g_p.view(p.shape)


def run_side_by_side(
    make_ours: Factory,
    make_theirs: Factory,
    *,
    steps: int = 500,
    maximize: bool = False,
    device: str = "cpu",
    dtype: torch.dtype = torch.float64,
    tol: dict | None = None,
    scheduler: Callable[[torch.optim.Optimizer], object] | None = None,
    reloads: dict[int, str] | None = None,
) -> tuple[torch.optim.Optimizer, torch.optim.Optimizer]:
    """Step both optimizers `steps` times and compare every parameter after each step.

    Row `i` of the compared histories holds every parameter, flattened, after
    step `i + 1`, so a failure names the first step and coordinate that differ.
    With `maximize`, both are given the negated gradient, so they still go downhill
    on `loss_fn`. `scheduler(opt)` builds an LR scheduler for each side, stepped
    after every optimizer step. After each step in `reloads` the lessonlib
    optimizer is replaced by a fresh one that loads a deep copy of the
    `state_dict` of the optimizer named there: `"ours"` (its own) or `"torch"`
    (the two are interchangeable); its scheduler is rebuilt and restored too.
    """
    tol = TIGHT if tol is None else tol
    ours_params, theirs_params = make_params(device, dtype), make_params(device, dtype)
    frozen_before = ours_params[-1].detach().clone()
    ours, theirs = make_ours(ours_params), make_theirs(theirs_params)
    schedulers = [scheduler(ours), scheduler(theirs)] if scheduler else []
    sign = -1.0 if maximize else 1.0
    ours_history, theirs_history = [], []
    for step in range(1, steps + 1):
        for opt, params in ((ours, ours_params), (theirs, theirs_params)):
            opt.zero_grad()
            set_grads(params, sign)
            opt.step()
        for sched in schedulers:
            sched.step()
        ours_history.append(torch.cat([p.detach().reshape(-1) for p in ours_params]))
        theirs_history.append(torch.cat([p.detach().reshape(-1) for p in theirs_params]))
        if reloads and step in reloads:
            saved = copy.deepcopy({"ours": ours, "torch": theirs}[reloads[step]].state_dict())
            ours = make_ours(ours_params)
            ours.load_state_dict(saved)
            if schedulers:  # a scheduler belongs to one optimizer: rebuild it, then restore it
                resumed = scheduler(ours)
                resumed.load_state_dict(schedulers[0].state_dict())
                schedulers[0] = resumed
    # one comparison of the whole history: row i holds every parameter after step i + 1
    torch.testing.assert_close(torch.stack(ours_history), torch.stack(theirs_history), **tol)
    for params in (ours_params, theirs_params):
        assert params[-1].grad is None
        assert torch.equal(params[-1].detach(), frozen_before)
    # the run went somewhere: the trained parameters moved away from the start
    assert not torch.allclose(ours_params[2].detach(), make_params(device, dtype)[2].detach())
    return ours, theirs


def two_groups(cls: type, first: dict, **kwargs) -> Factory:
    """A factory: the scalar and vector in a group with options `first`, the rest in another."""

    def make(params: list[torch.Tensor]) -> torch.optim.Optimizer:
        groups = [{"params": params[:2], **first}, {"params": params[2:]}]
        return cls(groups, **kwargs)

    return make


def flat(cls: type, **kwargs) -> Factory:
    """A factory putting all parameters in one group."""
    return lambda params: cls(params, **kwargs)


def assert_state_matches(ours: torch.optim.Optimizer, theirs: torch.optim.Optimizer) -> None:
    """Same state keys, values and hyperparameters as torch for every parameter given a gradient."""
    ours_sd, theirs_sd = ours.state_dict(), theirs.state_dict()
    frozen = len(SHAPES)  # index of the parameter that never gets a gradient; no state for it
    assert ours_sd["state"].keys() == theirs_sd["state"].keys() - {frozen}
    for index, state in ours_sd["state"].items():
        assert state.keys() == theirs_sd["state"][index].keys()
        torch.testing.assert_close(state, theirs_sd["state"][index], **TIGHT)
    for ours_group, theirs_group in zip(ours_sd["param_groups"], theirs_sd["param_groups"], strict=True):
        assert ours_group == {key: theirs_group[key] for key in ours_group}
        assert theirs_group.keys() - ours_group.keys() <= {
            "foreach",
            "fused",
            "capturable",
            "differentiable",
        }


def assert_closure_matches(ours_cls: type, theirs_cls: type, **kwargs) -> None:
    """`step(closure)` re-evaluates the loss with autograd and returns it, as torch's does."""
    ours_params, theirs_params = make_params(), make_params()
    ours, theirs = ours_cls(ours_params, **kwargs), theirs_cls(theirs_params, **kwargs)
    for _ in range(20):
        losses = []
        for opt, params in ((ours, ours_params), (theirs, theirs_params)):

            def closure(opt=opt, params=params) -> torch.Tensor:
                opt.zero_grad()
                loss = loss_fn(params)
                loss.backward()
                return loss

            losses.append(opt.step(closure))
        torch.testing.assert_close(losses[0], losses[1], **TIGHT)
        torch.testing.assert_close(ours_params, theirs_params, **TIGHT)
