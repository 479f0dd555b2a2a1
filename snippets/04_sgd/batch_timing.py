"""One batch of 100 examples in one call, against 100 calls of one example: the same gradient, timed."""

import os
import platform

import torch

from lessonlib.book.bench import best_time
from lessonlib.book.device import get_device
from lessonlib.book.publish import publish

# downhill: output varies (timings depend on the machine and on what else it is doing)
device = get_device()
torch.set_num_threads(1)  # one thread: less disturbed by other work (the build runs two snippets at once)
print(f"machine: {platform.machine()} {platform.processor() or ''}".rstrip()
      + f", {os.cpu_count()} CPU cores; torch {torch.__version__} on {device}, using {torch.get_num_threads()} thread(s)")

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10)).to(device)
X, y = torch.randn(100, 64, device=device), torch.randn(100, 10, device=device)


def gradient_in_one_call():
    model.zero_grad()
    torch.nn.functional.mse_loss(model(X), y).backward()  # the mean over the 100 examples
    return [p.grad.clone() for p in model.parameters()]


def gradient_in_100_calls():
    model.zero_grad()
    for j in range(100):  # one example at a time; backward() adds into .grad
        (torch.nn.functional.mse_loss(model(X[j : j + 1]), y[j : j + 1]) / 100).backward()
    return [p.grad.clone() for p in model.parameters()]


gradient_in_one_call(), gradient_in_100_calls()  # warm up: the first calls pay one-off costs
t_one, g_one = best_time(gradient_in_one_call)
t_many, g_many = best_time(gradient_in_100_calls)
same = all(torch.allclose(a, b, atol=1e-6) for a, b in zip(g_one, g_many))
print(f"same gradient both ways: {same}")
print(f"one call with a batch of 100: {1e3 * t_one:8.3f} ms")
print(f"100 calls with one example:   {1e3 * t_many:8.3f} ms")
print(f"the single call is {t_many / t_one:.0f} times faster")
publish(same_gradient=same, speedup=t_many / t_one)
