"""Exercise: the best validation score of many equally good configurations is too optimistic."""

import torch

true_loss, noise = 0.30, 0.02  # every configuration is equally good; each validation score has this noise
gen = torch.Generator().manual_seed(0)
print("   N   best validation score   same configuration on fresh data")
for N in [1, 10, 100]:
    val = true_loss + noise * torch.randn(5000, N, generator=gen, dtype=torch.float64)  # 5000 searches of N trials
    fresh = true_loss + noise * torch.randn(5000, generator=gen, dtype=torch.float64)  # the winner, re-measured
    print(f"{N:4d}   {val.min(dim=1).values.mean().item():21.4f}   {fresh.mean().item():32.4f}")
