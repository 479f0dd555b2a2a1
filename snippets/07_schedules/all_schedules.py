"""Six learning-rate schedules over the same budget of T = 300 steps, on one plot."""

import matplotlib.pyplot as plt

from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.schedules import constant, cosine_decay, exponential_decay, inverse_time_decay, step_decay, warmup_cosine

use_book_style()

lr, T = 0.3, 300  # α₀ and the budget
schedules = {
    "constant": constant(lr),
    "step decay (halve every 60)": step_decay(lr, step_size=60, gamma=0.5),
    "exponential (k = 0.015)": exponential_decay(lr, k=0.015),
    "inverse time (k = 0.1)": inverse_time_decay(lr, k=0.1),
    "cosine": cosine_decay(lr, total_steps=T),
    "warmup (30) + cosine": warmup_cosine(lr, warmup_steps=30, total_steps=T),
}

checkpoints = [0, 10, 30, 60, 150, 240, 299]
print(f"{'schedule':<29}" + "".join(f"{'t = ' + str(t):>10}" for t in checkpoints))
fig, ax = plt.subplots(figsize=(9.5, 4.2))
for name, schedule in schedules.items():
    print(f"{name:<29}" + "".join(f"{schedule(t):10.4f}" for t in checkpoints))
    ax.plot(range(T), [schedule(t) for t in range(T)], lw=1.8, label=name)
ax.set(xlabel="step $t$", ylabel="learning rate $\\alpha_t$", title=f"Six schedules, α₀ = {lr}, T = {T} steps")
ax.legend(fontsize=9, loc="center left", bbox_to_anchor=(1.0, 0.5))
savefig(fig, "all_schedules")
