"""Mini-batch SGD on one regression with learning rates about a factor of three apart: slow, good, noisy, diverged."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.data import linear_data
from lessonlib.losses import mse_loss
from lessonlib.minibatch import minibatch_descent
from lessonlib.optim import SGD

device = get_device()

m, n = 50, 5
X, y, _ = linear_data(m, n, noise=0.5, seed=0)
X, y = X.to(device, torch.float64), y.to(device, torch.float64)  # float64: the excess loss is a small difference


best = mse_loss(X @ torch.linalg.lstsq(X, y[:, None]).solution[:, 0], y).item()
start = mse_loss(0 * y, y).item() - best
print(f"B = 5, 10 epochs (100 steps); excess loss L(θ) − L(θ*) at the end (it starts at {start:.2f})")
final = {}
for lr in [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]:
    w = torch.zeros(n, dtype=torch.float64, device=device, requires_grad=True)
    path = minibatch_descent(lambda X: X @ w, mse_loss, X, y, SGD([w], lr=lr), batch_size=5, epochs=10,
                             generator=torch.Generator().manual_seed(0), record_params=False)
    final[lr] = path.epoch_loss[-1] - best
    print(f"α = {lr:<6} {final[lr]:10.3g}")

stable = {lr: loss for lr, loss in final.items() if loss < start}  # the rates that did not diverge
best_lr = min(stable, key=stable.get)
publish(start_excess=start, best_lr=best_lr, stable_spread=max(stable.values()) / min(stable.values()),
        largest_lr_excess=final[1.0])
