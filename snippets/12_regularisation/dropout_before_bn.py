"""Dropout in front of batch norm: the variance learnt in training is not the one seen at test time."""

import torch
from torch import nn

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.nn import BatchNorm1d, Dropout

device = get_device()
torch.set_num_threads(1)  # tiny tensors: one thread is fastest
torch.manual_seed(0)
f64 = torch.float64  # float64 statistics: the same digits on every CPU
p = 0.5


def check(model, name):
    """Train-mode passes fill the running statistics; then compare the spread in both modes."""
    model.train()
    for _ in range(300):
        model(torch.randn(256, 8, device=device, dtype=f64))  # standard-normal features
    x = torch.randn(10_000, 8, device=device, dtype=f64)
    with torch.no_grad():
        train_std = model(x).std().item()
        model.eval()
        eval_std = model(x).std().item()
    bn = next(m for m in model if isinstance(m, BatchNorm1d))
    print(f"{name:22s} running var {bn.running_var.mean().item():4.2f}   "
          f"output std: train {train_std:4.2f}, eval {eval_std:4.2f}")
    return bn.running_var.mean().item(), eval_std


running_var, eval_std = check(nn.Sequential(Dropout(p), BatchNorm1d(8)).to(device, f64), "dropout → batch norm")
check(nn.Sequential(BatchNorm1d(8), Dropout(p)).to(device, f64), "batch norm → dropout")
print(f"dropout multiplies a zero-mean input's variance by 1/(1 − p) = {1 / (1 - p):g}, in training only")
publish(running_var_dropout_first=running_var, eval_std_dropout_first=eval_std)
