r"""Learning-rate schedules: plain functions of the step.

Each builder checks its arguments once, when it is called, and returns a
function ``lr(t)`` of the integer step $t \ge 0$. A schedule knows nothing
about optimizers; `as_lambda_lr` hands one to any
``torch.optim.Optimizer`` through ``torch.optim.lr_scheduler.LambdaLR``.

Notation, shared by every docstring below: $\alpha_0$ is ``lr`` (the peak or
initial learning rate), $t$ the step, $T$ ``total_steps``, $W$
``warmup_steps``, $\gamma$ ``gamma``, $\alpha_{\min}$ ``min_lr``; $k$ is a
step size in `step_decay` and a decay rate elsewhere.

Examples:
    >>> schedule = warmup_cosine(lr=0.1, warmup_steps=2, total_steps=6)
    >>> [round(schedule(t), 4) for t in range(7)]
    [0.0, 0.05, 0.1, 0.0854, 0.05, 0.0146, 0.0]
"""

import math
from collections.abc import Callable

import torch

from lessonlib._checks import check_callable, check_instance, check_integer, check_lr, check_real

Schedule = Callable[[int], float]


def _lr(lr: float) -> float:
    """Check a learning rate (a finite real number >= 0, as `torch.optim` takes) and return it as a float."""
    check_lr(lr)
    return float(lr)


def _step(t: object) -> int:
    """Check the step a schedule is called with: an integer t >= 0."""
    return check_integer("t", t, minimum=0)


def _decay(lr: float, k: float, rule: Callable[[float, float, int], float]) -> Schedule:
    """The schedule alpha_t = ``rule(alpha_0, k, t)``, once ``lr`` and the decay rate ``k >= 0`` are checked."""
    alpha_0, k = _lr(lr), check_real("k", k, at_least=0)

    def schedule(t: int) -> float:
        return rule(alpha_0, k, _step(t))

    return schedule


def constant(lr: float) -> Schedule:
    r"""The same learning rate at every step.

    $$
    \alpha_t = \alpha_0
    $$

    Args:
        lr: $\alpha_0$, the learning rate, $\ge 0$.

    Returns:
        A function ``lr(t)`` of the step $t \ge 0$.

    Raises:
        TypeError: ``lr`` is not a real number.
        ValueError: ``lr`` is negative or not finite.

    Examples:
        >>> constant(0.1)(0), constant(0.1)(1000)
        (0.1, 0.1)
    """
    alpha_0 = _lr(lr)

    def schedule(t: int) -> float:
        _step(t)
        return alpha_0

    return schedule


def step_decay(lr: float, step_size: int, gamma: float = 0.5) -> Schedule:
    r"""Multiply the learning rate by $\gamma$ every $k$ steps ("halve every $k$ epochs").

    Here $k$ is the step size ``step_size``, a number of steps (or epochs).

    $$
    \alpha_t = \alpha_0 \, \gamma^{\lfloor t / k \rfloor}
    $$

    Args:
        lr: $\alpha_0$, the initial learning rate, $\ge 0$.
        step_size: $k$, the number of steps between two decays, $\ge 1$.
        gamma: $\gamma$, the factor applied at each decay, in $(0, 1]$.

    Returns:
        A function ``lr(t)`` of the step $t \ge 0$.

    Examples:
        >>> schedule = step_decay(lr=1.0, step_size=3)
        >>> [schedule(t) for t in range(7)]
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]

    Note:
        Equal to ``torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma)``
        when $t$ counts calls to its ``step()``.
    """
    alpha_0 = _lr(lr)
    k = check_integer("step_size", step_size, minimum=1)
    gamma = check_real("gamma", gamma, above=0, at_most=1)

    def schedule(t: int) -> float:
        t = _step(t)
        return alpha_0 * gamma ** (t // k)

    return schedule


def exponential_decay(lr: float, k: float) -> Schedule:
    r"""Decay the learning rate by the factor $e^{-k}$ each step.

    Here $k$ is the decay rate, per step.

    $$
    \alpha_t = \alpha_0 \, e^{-k t}
    $$

    Args:
        lr: $\alpha_0$, the initial learning rate, $\ge 0$.
        k: $k \ge 0$, the decay rate: each step multiplies the rate by
            $e^{-k}$ (``k=0`` is a constant schedule).

    Returns:
        A function ``lr(t)`` of the step $t \ge 0$.

    Examples:
        >>> schedule = exponential_decay(lr=1.0, k=math.log(2))
        >>> [schedule(t) for t in range(4)]
        [1.0, 0.5, 0.25, 0.125]

    Note:
        ``torch.optim.lr_scheduler.ExponentialLR`` writes the same schedule
        as $\alpha_0 \gamma^t$ with $\gamma = e^{-k}$.
    """
    return _decay(lr, k, lambda alpha_0, k, t: alpha_0 * math.exp(-k * t))


def inverse_time_decay(lr: float, k: float) -> Schedule:
    r"""Decay the learning rate as $1/t$: the classic Robbins-Monro rate.

    Here $k$ is the decay rate: the rate has halved at $t = 1/k$.

    $$
    \alpha_t = \frac{\alpha_0}{1 + k t}
    $$

    Args:
        lr: $\alpha_0$, the initial learning rate, $\ge 0$.
        k: $k \ge 0$, the decay rate: the rate is $\alpha_0 / 2$ at $t = 1/k$
            (``k=0`` is a constant schedule).

    Returns:
        A function ``lr(t)`` of the step $t \ge 0$.

    Examples:
        >>> schedule = inverse_time_decay(lr=1.0, k=0.5)
        >>> [schedule(t) for t in range(4)]
        [1.0, 0.666..., 0.5, 0.4]

    References:
        H. Robbins and S. Monro, "A Stochastic Approximation Method", 1951.
        https://doi.org/10.1214/aoms/1177729586
    """
    return _decay(lr, k, lambda alpha_0, k, t: alpha_0 / (1 + k * t))


def cosine_decay(lr: float, total_steps: int, min_lr: float = 0.0) -> Schedule:
    r"""Follow half a cosine from $\alpha_0$ down to $\alpha_{\min}$ over $T$ steps, then hold.

    $$
    \alpha_t = \alpha_{\min} + \tfrac{1}{2} (\alpha_0 - \alpha_{\min})
               \left(1 + \cos\left(\pi \frac{t}{T}\right)\right)
               \quad (t < T), \qquad \alpha_t = \alpha_{\min} \quad (t \ge T)
    $$

    Args:
        lr: $\alpha_0$, the learning rate at $t = 0$, $\ge 0$.
        total_steps: $T$, the number of steps the decay takes, $\ge 1$.
        min_lr: $\alpha_{\min}$, the final learning rate, in $[0, \alpha_0]$.

    Returns:
        A function ``lr(t)`` of the step $t \ge 0$.

    Examples:
        >>> schedule = cosine_decay(lr=1.0, total_steps=4)
        >>> [round(schedule(t), 4) for t in range(6)]
        [1.0, 0.8536, 0.5, 0.1464, 0.0, 0.0]

    References:
        I. Loshchilov and F. Hutter, "SGDR: Stochastic Gradient Descent with
        Warm Restarts", ICLR 2017. https://arxiv.org/abs/1608.03983

    Note:
        This is one SGDR cycle without the restart. Past $T$ the rate stays
        at $\alpha_{\min}$, whereas ``torch.optim.lr_scheduler.CosineAnnealingLR``
        climbs back up; the two agree for $0 \le t \le T$.
    """
    alpha_0 = _lr(lr)
    T = check_integer("total_steps", total_steps, minimum=1)
    alpha_min = check_real("min_lr", min_lr, at_least=0, at_most=alpha_0)

    def schedule(t: int) -> float:
        t = _step(t)
        if t >= T:
            return alpha_min
        return alpha_min + 0.5 * (alpha_0 - alpha_min) * (1 + math.cos(math.pi * t / T))

    return schedule


def warmup_cosine(lr: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> Schedule:
    r"""Warm up linearly from 0 to $\alpha_0$ over $W$ steps, then decay along a cosine to $\alpha_{\min}$.

    The two pieces are two simple schedules joined at $t = W$: a linear ramp,
    then `cosine_decay` over the remaining $T - W$ steps.

    $$
    \alpha_t = \begin{cases}
        \alpha_0 \, t / W & t < W \\
        \alpha_{\min} + \tfrac{1}{2} (\alpha_0 - \alpha_{\min})
            \left(1 + \cos\left(\pi \frac{t - W}{T - W}\right)\right) & W \le t < T \\
        \alpha_{\min} & t \ge T
    \end{cases}
    $$

    Args:
        lr: $\alpha_0$, the peak learning rate, reached at $t = W$, $\ge 0$.
        warmup_steps: $W$, the length of the warmup, $\ge 0$ (0: no warmup).
        total_steps: $T$, the step at which the decay ends, $> W$.
        min_lr: $\alpha_{\min}$, the final learning rate, in $[0, \alpha_0]$.

    Returns:
        A function ``lr(t)`` of the step $t \ge 0$.

    Examples:
        >>> schedule = warmup_cosine(lr=1.0, warmup_steps=4, total_steps=8)
        >>> [round(schedule(t), 4) for t in range(9)]
        [0.0, 0.25, 0.5, 0.75, 1.0, 0.8536, 0.5, 0.1464, 0.0]

    References:
        P. Goyal et al., "Accurate, Large Minibatch SGD: Training ImageNet in
        1 Hour", 2017. https://arxiv.org/abs/1706.02677

        I. Loshchilov and F. Hutter, "SGDR: Stochastic Gradient Descent with
        Warm Restarts", ICLR 2017. https://arxiv.org/abs/1608.03983

    Note:
        The warmup starts at exactly 0, so the very first step does not move
        the parameters. Some texts (and Goyal et al.'s gradual warmup) start
        from a small positive rate, e.g. $\alpha_0 (t + 1) / W$.
    """
    alpha_0 = _lr(lr)
    W = check_integer("warmup_steps", warmup_steps, minimum=0)
    T = check_integer("total_steps", total_steps, minimum=1)
    if T <= W:
        raise ValueError(f"Invalid total_steps value: {total_steps} (must be > warmup_steps = {warmup_steps})")
    decay = cosine_decay(alpha_0, T - W, min_lr)

    def schedule(t: int) -> float:
        t = _step(t)
        if t < W:
            return alpha_0 * t / W
        return decay(t - W)

    return schedule


def as_lambda_lr(optimizer: torch.optim.Optimizer, schedule: Schedule) -> torch.optim.lr_scheduler.LambdaLR:
    r"""Drive a torch optimizer's learning rate with a schedule: after $t$ calls to ``step()``, lr is $\alpha_t$.

    ``LambdaLR`` sets each group's lr to ``initial_lr * lambda(t)``. This
    function sets every group's ``initial_lr`` to 1.0 first, so the lr is
    ``1.0 * schedule(t)``, which is ``schedule(t)`` exactly; the ``lr`` the
    optimizer was built with is overwritten (it becomes ``schedule(0)`` at
    once). Every param group follows the same schedule.

    Args:
        optimizer: any ``torch.optim.Optimizer`` (torch's or lessonlib's).
        schedule: a function of the step, such as one built by this module.

    Returns:
        The ``LambdaLR``; call its ``step()`` after each ``optimizer.step()``.

    Examples:
        >>> w = torch.zeros(2, requires_grad=True)
        >>> optimizer = torch.optim.SGD([w], lr=123.0)
        >>> scheduler = as_lambda_lr(optimizer, step_decay(lr=0.1, step_size=2))
        >>> lrs = []
        >>> for t in range(5):
        ...     lrs.append(optimizer.param_groups[0]["lr"])
        ...     optimizer.step()
        ...     scheduler.step()
        >>> lrs
        [0.1, 0.1, 0.05, 0.05, 0.025]
    """
    check_instance("optimizer", optimizer, torch.optim.Optimizer, "a torch.optim.Optimizer")
    check_callable("schedule", schedule)
    for group in optimizer.param_groups:
        group["initial_lr"] = 1.0
    return torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
