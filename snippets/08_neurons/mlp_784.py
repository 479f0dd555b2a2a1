"""The 784-256-128-10 network in PyTorch, and its parameters counted layer by layer."""

import torch
from torch import nn

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish

device = get_device()
torch.manual_seed(0)

model = nn.Sequential(
    nn.Linear(784, 256),  # a 28×28 image, flattened, to 256 hidden units
    nn.ReLU(),
    nn.Linear(256, 128),  # 256 to 128 hidden units
    nn.ReLU(),
    nn.Linear(128, 10),  # 128 to 10 logits, one per digit
).to(device)
print(model)

total = 0
for name, p in model.named_parameters():
    total += p.numel()
    print(f"{name:<10} shape {str(tuple(p.shape)):<11} {p.numel():>8,} parameters")
print(f"total: {total:,}")
print(f"by formula: 784·256+256 + 256·128+128 + 128·10+10 = {784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10:,}")

x = torch.rand(32, 784, device=device)  # a batch of 32 stand-in images
logits = model(x)
print(f"input {tuple(x.shape)} -> logits {tuple(logits.shape)}")

publish(parameter_count=total, first_layer_parameters=sum(p.numel() for p in model[0].parameters()))
