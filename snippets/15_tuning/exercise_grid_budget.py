"""Exercise: how many distinct values of each hyperparameter a grid and a random search try on one budget."""

import torch

from lessonlib.book.publish import publish

budget = 81
gen = torch.Generator().manual_seed(0)
for d in [1, 2, 4]:
    per_axis = round(budget ** (1 / d))  # a grid of per_axis**d points uses the whole budget
    random_points = torch.rand(budget, d, generator=gen)
    distinct = len(random_points[:, 0].unique())
    print(f"{d} hyperparameter(s): grid {per_axis}^{d} = {per_axis**d} runs try {per_axis} values of each; "
          f"random search tries {distinct}")

# One more hyperparameter on a grid multiplies the cost: 5 values each for 1 to 6 hyperparameters.
print("5 values per hyperparameter:", ", ".join(f"{d}: {5**d}" for d in range(1, 7)), "runs")
publish(grid_runs_four=5**4, grid_runs_six=5**6)
