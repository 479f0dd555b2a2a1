"""Exercise: for a fixed cluster, the centre that minimises the sum of squared distances is the mean."""

import torch

gen = torch.Generator().manual_seed(0)
points = torch.randn(50, 2, generator=gen, dtype=torch.float64) * torch.tensor([3.0, 1.0], dtype=torch.float64) + 4
mu = torch.zeros(2, dtype=torch.float64, requires_grad=True)  # start far from the answer
for step in range(200):
    J = ((points - mu) ** 2).sum()  # the cluster's part of the k-means objective
    J.backward()
    with torch.no_grad():
        mu -= 0.005 * mu.grad  # the gradient is -2 Σ (x_i - μ) = 2m (μ - mean)
        mu.grad = None
print(f"gradient descent ends at μ = [{mu[0].item():.6f}, {mu[1].item():.6f}]")
print(f"the mean of the points  is [{points.mean(dim=0)[0].item():.6f}, {points.mean(dim=0)[1].item():.6f}]")
