"""Batch norm's noise: an example's normalised value depends on its batch-mates, less so in large batches."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.nn import batch_norm

device = get_device()
gen = torch.Generator().manual_seed(0)

x = 1.0  # one example's value of one feature; the feature is standard normal over the data set
trials = 4000  # random batches per batch size
mean, std = {}, {}  # per batch size: the mean and spread of x's normalised value
print("batch size B   mean of x's output   its std over batches   √((1 + x²/2)/B)")
for B in [4, 16, 64, 256]:
    # Column k is one mini-batch: our example in row 0, B − 1 random batch-mates below it.
    # batch_norm normalises every column over its B rows, so all trials run in one call.
    mates = torch.randn(B - 1, trials, generator=gen)
    batches = torch.cat([torch.full((1, trials), x), mates]).to(device, torch.float64)  # float64: exact enough anywhere
    out = batch_norm(batches, None, None, training=True)[0]  # x's normalised value in each batch
    mean[B], std[B] = out.mean().item(), out.std().item()
    approx = ((1 + x**2 / 2) / B) ** 0.5
    print(f"{B:11d}   {mean[B]:18.3f}   {std[B]:20.3f}   {approx:15.3f}")
print("with the true mean and std (0 and 1), the output would always be", x)
publish(mean_batch_4=mean[4], std_batch_4=std[4], std_batch_16=std[16], std_batch_256=std[256])
