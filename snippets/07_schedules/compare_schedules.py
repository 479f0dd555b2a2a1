"""The same regression trained with each schedule for T = 300 steps of SGD: the final loss compared."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.data import linear_data
from lessonlib.optim import SGD
from lessonlib.schedules import (
    as_lambda_lr,
    constant,
    cosine_decay,
    exponential_decay,
    inverse_time_decay,
    step_decay,
    warmup_cosine,
)

device = get_device()

m, n, B = 240, 10, 24  # 10 steps per epoch
X, y, _ = linear_data(m, n, noise=1.0, seed=0)
# float64 throughout: the excess loss below is a small difference of two losses near 0.9, and in float32 its third
# digit would be rounding noise that differs from one CPU to the next.
X = X.double() * torch.logspace(0, -0.7, n, dtype=torch.float64)  # features on scales from 1 down to 0.2
X1 = torch.cat([X, torch.ones(m, 1, dtype=torch.float64)], dim=1).to(device)  # the bias as a column of ones
y = y.double().to(device)
best = ((X1 @ torch.linalg.lstsq(X1, y[:, None]).solution[:, 0] - y) ** 2).mean().item()

lr, T, runs = 0.3, 300, 5
schedules = {
    f"constant α₀/10 = {lr / 10:g}": constant(lr / 10),
    f"constant α₀ = {lr:g}": constant(lr),
    "step decay (halve every 60)": step_decay(lr, step_size=60, gamma=0.5),
    "exponential (k = 0.015)": exponential_decay(lr, k=0.015),
    "inverse time (k = 0.1)": inverse_time_decay(lr, k=0.1),
    "cosine": cosine_decay(lr, total_steps=T),
    "warmup (30) + cosine": warmup_cosine(lr, warmup_steps=30, total_steps=T),
}


def train(schedule):
    """`runs` independent runs side by side, one row of w each; they differ only in the order of the examples."""
    gen = torch.Generator().manual_seed(0)
    w = torch.zeros(runs, n + 1, dtype=torch.float64, device=device, requires_grad=True)
    optimizer = SGD([w], lr=lr)
    scheduler = as_lambda_lr(optimizer, schedule)
    for t in range(T):
        if t % (m // B) == 0:  # a new epoch: a fresh order for each run
            order = torch.stack([torch.randperm(m, generator=gen) for _ in range(runs)]).to(device)
        idx = order[:, (t % (m // B)) * B:][:, :B]  # (runs, B): each run's batch
        pred = (X1[idx] * w[:, None, :]).sum(dim=-1)
        loss = ((pred - y[idx]) ** 2).mean(dim=1).sum()  # the sum over runs keeps their gradients apart
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()  # after optimizer.step(): α_t for the next step
    with torch.no_grad():
        return ((X1 @ w.T - y[:, None]) ** 2).mean(dim=0) - best  # excess loss of each run


print(f"least-squares loss L(θ*) = {best:.4f}; B = {B}, T = {T} steps, {runs} runs per schedule")
print(f"{'schedule':<29}{'L(θ_T) − L(θ*), mean':>22}{'worst run':>11}")
mean = {}
for name, schedule in schedules.items():
    excess = train(schedule).cpu()
    mean[name] = excess.mean().item()
    print(f"{name:<29}{excess.mean().item():22.2e}{excess.max().item():11.2e}")

publish(best_loss=best, cautious=mean["constant α₀/10 = 0.03"], high=mean["constant α₀ = 0.3"],
        step=mean["step decay (halve every 60)"], exponential=mean["exponential (k = 0.015)"],
        inverse_time=mean["inverse time (k = 0.1)"], cosine=mean["cosine"], warmup_cosine=mean["warmup (30) + cosine"],
        high_over_cosine=mean["constant α₀ = 0.3"] / mean["cosine"])
