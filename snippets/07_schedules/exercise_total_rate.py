"""Exercise: the sum of the learning rates over T = 300 steps, for each schedule, by formula and by adding up."""

import math

from lessonlib.schedules import constant, cosine_decay, exponential_decay, inverse_time_decay, step_decay, warmup_cosine

lr, T = 0.3, 300
schedules = {
    "constant α₀/10": (constant(lr / 10), lr / 10 * T),  # the comparison's cautious constant
    "constant": (constant(lr), lr * T),
    "step decay (halve every 60)": (step_decay(lr, step_size=60, gamma=0.5), lr * 60 * (1 - 0.5**5) / (1 - 0.5)),
    "exponential (k = 0.015)": (exponential_decay(lr, k=0.015), lr * (1 - math.exp(-0.015 * T)) / (1 - math.exp(-0.015))),
    "inverse time (k = 0.1)": (inverse_time_decay(lr, k=0.1), None),  # no closed form: about (α₀/k)·ln(1 + kT)
    # Σ_{t=0}^{T-1} cos(πt/T) = 1: the terms cancel in pairs around t = T/2, all but the first.
    "cosine": (cosine_decay(lr, total_steps=T), lr * T / 2 + lr / 2),
    "warmup (30) + cosine": (warmup_cosine(lr, warmup_steps=30, total_steps=T), lr * 29 / 2 + lr * (T - 30) / 2 + lr / 2),
}
print(f"{'schedule':<29}{'Σ α_t, added up':>16}{'formula':>10}")
for name, (schedule, formula) in schedules.items():
    total = sum(schedule(t) for t in range(T))
    shown = f"{formula:10.3f}" if formula is not None else f"{'≈ ' + format(lr / 0.1 * math.log(1 + 0.1 * T), '.3f'):>10}"
    print(f"{name:<29}{total:16.3f}{shown}")
