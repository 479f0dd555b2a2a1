"""The skeleton every lessonlib optimizer shares: one `step()`, per-parameter state and update supplied by each."""

from collections.abc import Callable
from typing import Any, overload

import torch


class Optimizer(torch.optim.Optimizer):
    """A `torch.optim.Optimizer` whose `step()` visits each parameter with a gradient and updates it alone.

    `step()` is written once, here: it re-evaluates the loss when given a
    closure, walks the parameter groups, skips a parameter without a gradient,
    creates its state on the first step that sees one (lazy state, so a
    parameter that is never trained costs no memory), and hands it to the
    optimizer's update. Each optimizer supplies two methods, the parts
    `torch.optim` calls `_init_group` and `_single_tensor_<name>`:

    - `init_state(group, param, state)` fills the empty dict `state` with
      the buffers the update needs, with the keys `torch.optim` uses, so the
      two `state_dict()`s load into each other (a state left empty is not
      kept, as `torch.optim.SGD` keeps none without momentum);
    - `update(group, param, grad, state)` takes one step on `param`, by calling
      the optimizer's update function (`adam_update`, `sgd_update`, ...),
      which is written one equation a line and is what the chapters quote.

    Hyperparameters are checked in each optimizer's `__init__`, as in
    `torch.optim`, and live in `group`; the update reads them from there, so
    a scheduler that changes `group["lr"]` changes the next step.

    Examples:
        >>> class SignDescent(Optimizer):
        ...     def __init__(self, params, lr=0.1):
        ...         super().__init__(params, {"lr": lr})
        ...     def update(self, group, param, grad, state):
        ...         param.add_(grad.sign(), alpha=-group["lr"])
        >>> theta = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = SignDescent([theta])
        >>> (theta**2).sum().backward()
        >>> opt.step()
        >>> theta.detach()
        tensor([ 0.9000, -1.9000])
    """

    def init_state(self, group: dict[str, Any], param: torch.Tensor, state: dict[str, Any]) -> None:
        """Fill the empty `state` of `param` before its first update (by default, nothing to fill)."""

    def update(self, group: dict[str, Any], param: torch.Tensor, grad: torch.Tensor, state: dict[str, Any]) -> None:
        """Take one step on `param` in place, from its gradient `grad`, the group's hyperparameters and `state`."""
        raise NotImplementedError(f"{type(self).__name__} must define update(group, param, grad, state)")

    @overload
    def step(self, closure: None = None) -> None: ...

    @overload
    def step(self, closure: Callable[[], float]) -> float: ...

    @torch.no_grad()
    def step(self, closure: Callable[[], float] | None = None) -> float | None:
        """Take one step; `closure`, if given, re-evaluates and returns the loss."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for param in group["params"]:
                grad = param.grad
                if grad is None:
                    continue
                state = self.state.get(param)
                if state is None:  # lazy state, on the first step that sees a gradient
                    state = {}
                    self.init_state(group, param, state)
                    if state:  # an optimizer that keeps nothing (SGD without momentum) adds no entry
                        self.state[param] = state
                self.update(group, param, grad, state)
        return loss
