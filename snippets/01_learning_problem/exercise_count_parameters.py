"""Exercise: count the parameters of a two-layer network by hand, then check with PyTorch."""

import torch

from lessonlib.book.device import get_device

device = get_device()

n_in, width, n_out = 10, 32, 1
by_hand = (n_in * width + width) + (width * n_out + n_out)  # each Linear layer: a weight matrix and a bias vector

model = torch.nn.Sequential(torch.nn.Linear(n_in, width), torch.nn.ReLU(), torch.nn.Linear(width, n_out)).to(device)
by_torch = sum(p.numel() for p in model.parameters())
print(f"by hand: {n_in}·{width} + {width} + {width}·{n_out} + {n_out} = {by_hand}")
print(f"by PyTorch: {by_torch}")
print(f"the ReLU layer has {sum(p.numel() for p in model[1].parameters())} parameters")
