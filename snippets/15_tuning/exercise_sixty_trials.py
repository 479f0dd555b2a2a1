"""Exercise: how many random trials make it 95 % likely that one lands in the best 5 % of the space?"""

import math

import torch

from lessonlib.book.publish import publish

# P(no trial in the best 5 %) = 0.95^N, so we need 0.95^N <= 0.05.
N = math.ceil(math.log(0.05) / math.log(0.95))
print(f"smallest N with 1 - 0.95^N >= 0.95: N = {N}, where 1 - 0.95^N = {1 - 0.95**N:.4f}")

# Check by simulation: 20 000 random searches of N trials each, on a score that is uniform in [0, 1].
gen = torch.Generator().manual_seed(0)
trials = torch.rand(20_000, N, generator=gen)
hit = (trials.min(dim=1).values < 0.05).double().mean().item()
print(f"simulated: {hit:.3f} of the searches put a trial in the best 5 %")
print(f"with N = 16 trials, as in the chapter: {1 - 0.95**16:.3f}")
publish(trials_needed=N, chance_with_sixteen=1 - 0.95**16, simulated_chance=hit)
