"""Exercise: a log-uniform sampler, checked decade by decade."""

import math

import torch


def log_uniform(low, high, n, generator=None):
    """n draws whose logarithm is uniform between log(low) and log(high)."""
    if not (isinstance(low, (int, float)) and low > 0):
        raise ValueError(f"Invalid low: {low!r} (expected a number > 0)")
    if not (isinstance(high, (int, float)) and high > low):
        raise ValueError(f"Invalid high: {high!r} (expected a number > low = {low!r})")
    u = torch.rand(n, generator=generator, dtype=torch.float64)
    return torch.exp(math.log(low) + u * (math.log(high) - math.log(low)))


samples = log_uniform(1e-5, 1e-1, 100_000, generator=torch.Generator().manual_seed(0))
print(f"min {samples.min().item():.2e}, max {samples.max().item():.2e}")
for k in range(-5, -1):
    share = ((samples >= 10.0**k) & (samples < 10.0 ** (k + 1))).double().mean().item()
    print(f"share in [1e{k}, 1e{k + 1}): {share:.3f}")

for bad in [(0.0, 1e-1), (1e-2, 1e-3)]:
    try:
        log_uniform(*bad, 10)
    except ValueError as err:
        print("ValueError:", err)
