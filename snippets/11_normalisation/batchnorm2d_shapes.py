"""Batch norm after a convolution: one mean and one variance per channel, over N, H and W."""

import torch
from torch import nn

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.nn import BatchNorm2d

device = get_device()
torch.manual_seed(0)

# float64 throughout, so that the printed digits do not depend on the CPU's convolution kernels.
images = torch.randn(8, 3, 16, 16, dtype=torch.float64, device=device)  # N = 8 RGB images of 16 × 16 pixels
conv = nn.Conv2d(3, 4, kernel_size=3, padding=1).to(device, torch.float64)  # 4 output channels
bn = BatchNorm2d(4).to(device, torch.float64)

z = conv(images)
out = bn(z)
print("conv output (N, C, H, W):", tuple(z.shape))
print("gamma, beta, running mean shapes:", tuple(bn.weight.shape), tuple(bn.bias.shape), tuple(bn.running_mean.shape))
values_per_channel = z.numel() // z.shape[1]
print("values per channel statistic, N·H·W =", values_per_channel)
print("channel means of the output: ", [round(v, 4) + 0.0 for v in out.mean(dim=(0, 2, 3)).tolist()])
print("channel stds of the output:  ", [round(v, 4) for v in out.std(dim=(0, 2, 3), unbiased=False).tolist()])
# The same result by hand: move the channels last, flatten everything else, normalise each column.
columns = z.permute(0, 2, 3, 1).reshape(-1, 4)  # (N·H·W, C)
by_hand = (columns - columns.mean(dim=0)) / torch.sqrt(columns.var(dim=0, unbiased=False) + bn.eps)
print("equals per-channel normalisation of the (N·H·W, C) matrix:",
      torch.allclose(by_hand, out.permute(0, 2, 3, 1).reshape(-1, 4), atol=1e-5))
# Per example, the channels are *not* normalised together: that is layer norm's job.
image_means = out.mean(dim=(1, 2, 3))
print("mean of each image over (C, H, W):", [round(v, 4) + 0.0 for v in image_means.tolist()])

publish(values_per_channel=values_per_channel, largest_image_mean=image_means.abs().max())
