"""Why warmup helps: a network whose curvature is high at the start and falls as it trains."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.optim import SGD
from lessonlib.schedules import as_lambda_lr, cosine_decay, warmup_cosine

use_book_style()
device = get_device()

# The smallest deep network: one input, one hidden unit, no activation, prediction a·b·x. Fitting y = x on
# inputs with mean square 1, its loss is L(a, b) = ½(ab − 1)². Started with large weights, it sits where L is steep.
start, lr, T, warmup_steps = (3.0, 2.5), 0.5, 100, 20


def loss(theta):
    a, b = theta.unbind(-1)
    return 0.5 * (a * b - 1) ** 2


def stability_limit(theta):
    """2/λ_max of the Hessian [[b², 2ab − 1], [2ab − 1, a²]] at each point."""
    a, b = theta.unbind(-1)
    H = torch.stack([torch.stack([b**2, 2 * a * b - 1], -1), torch.stack([2 * a * b - 1, a**2], -1)], -2)
    return 2 / torch.linalg.eigvalsh(H)[..., -1]


def train(schedule):
    theta = torch.tensor(start, dtype=torch.float64, device=device, requires_grad=True)
    optimizer = SGD([theta], lr=lr)
    scheduler = as_lambda_lr(optimizer, schedule)
    path = [theta.detach().clone()]
    for t in range(T):
        optimizer.zero_grad()
        loss(theta).backward()
        optimizer.step()
        scheduler.step()
        path.append(theta.detach().clone())
        if not torch.isfinite(theta).all() or loss(theta) > 1e6:
            break  # diverged
    return torch.stack(path).cpu()


runs = {
    "no warmup: cosine from α₀": (cosine_decay(lr, total_steps=T), "C1"),
    f"warmup ({warmup_steps} steps) + cosine": (warmup_cosine(lr, warmup_steps=warmup_steps, total_steps=T), "C0"),
}
limit_at_start = stability_limit(torch.tensor(start, dtype=torch.float64)).item()
print(f"start (a, b) = {start}: L = {loss(torch.tensor(start)).item():.3f}, stable for α < 2/λ_max = {limit_at_start:.3f}")
print(f"peak rate α₀ = {lr}")
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
results = {}
for name, (schedule, color) in runs.items():
    path = train(schedule)
    losses = loss(path)
    left.semilogy(range(len(path)), losses, "o-", ms=2.5, lw=1.3, color=color, label=name)
    if len(path) <= T:
        verdict = f"diverged: L = {losses[-1].item():.1e} after {len(path) - 1} steps"
        results.update(no_warmup_steps=len(path) - 1, no_warmup_loss=losses[-1])
    else:
        verdict = f"L = {losses[10].item():.1e} after 10 steps; ends at (a, b) = ({path[-1, 0].item():.3f}, {path[-1, 1].item():.3f})"
        results.update(warmup_loss_10=losses[10], warmup_end_a=path[-1, 0], warmup_end_b=path[-1, 1])
    print(f"{name:<28} {verdict}")
    if len(path) > T:
        limits = stability_limit(path)
        right.semilogy(range(T), [schedule(t) for t in range(T)], color=color, label="$\\alpha_t$, warmup + cosine")
        right.semilogy(range(T + 1), limits, "--", color="0.3", lw=1.3, label="$2/\\lambda_{\\max}$ where it stands")
        below = bool((torch.tensor([schedule(t) for t in range(T)]) < limits[:-1]).all())
        print(f"  along it, 2/λ_max rose from {limits[0].item():.3f} to {limits[-1].item():.3f};"
              f" α_t stayed below it: {below}")
        results.update(limit_end=limits[-1], rate_stayed_below=below)
left.set(xlabel="step $t$", ylabel="$L(a, b)$", xlim=(-1, 30), ylim=(1e-10, 1e6), title="The first 30 steps, same peak rate")
left.legend(fontsize=9)
right.set(xlabel="step $t$", ylabel="learning rate", title="Warmup keeps α under the stability limit")
right.legend(fontsize=9)
savefig(fig, "warmup")
publish(limit_at_start=limit_at_start, **results)
