"""Batch norm on one mini-batch, by hand: per-feature mean and variance, normalise, then scale and shift."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.nn import batch_norm

device = get_device()
gen = torch.Generator().manual_seed(0)

# A mini-batch of N = 8 examples with C = 3 features on very different scales (float64, so that the
# printed digits do not depend on the CPU's float32 kernels).
f64 = dict(dtype=torch.float64)
x = (torch.randn(8, 3, generator=gen, **f64) * torch.tensor([1.0, 10.0, 0.1], **f64)
     + torch.tensor([5.0, -20.0, 0.0], **f64)).to(device)
gamma = torch.tensor([1.0, 2.0, 0.5], **f64, device=device)  # learned scale, one per feature
beta = torch.tensor([0.0, 1.0, -1.0], **f64, device=device)  # learned shift, one per feature
eps = 1e-5

mu_B = x.mean(dim=0)  # one mean per feature, over the batch
var_B = ((x - mu_B) ** 2).mean(dim=0)  # biased variance: divide by N
x_hat = (x - mu_B) / torch.sqrt(var_B + eps)
y = gamma * x_hat + beta

print("feature means before:", [round(v, 3) for v in mu_B.tolist()])
print("feature stds before: ", [round(v, 3) for v in var_B.sqrt().tolist()])
print("x_hat means:         ", [round(v, 3) + 0.0 for v in x_hat.mean(dim=0).tolist()])
print("x_hat stds (biased): ", [round(v, 3) for v in x_hat.std(dim=0, unbiased=False).tolist()])
print("y means (= β):       ", [round(v, 3) + 0.0 for v in y.mean(dim=0).tolist()])
print("y stds (= γ):        ", [round(v, 3) for v in y.std(dim=0, unbiased=False).tolist()])
same = batch_norm(x, None, None, gamma, beta, training=True, eps=eps)
print("lessonlib.nn.batch_norm agrees:", torch.allclose(same, y, atol=1e-5))

publish(
    smallest_std_before=var_B.sqrt().min(),
    largest_std_before=var_B.sqrt().max(),
    smallest_x_hat_std=x_hat.std(dim=0, unbiased=False).min(),  # the feature whose tiny variance ε affects
)
