"""The heavy ball on ill-conditioned quadratics: the best rate with and without momentum, predicted and measured."""

import math

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.functions import quadratic
from lessonlib.optim import SGD

device = get_device()


def steps_to_shrink(bowl, lr, momentum, factor=1e-6, max_steps=20_000):
    """Steps until |w_t| < factor · |w_0|, running lessonlib's SGD from w_0 = (1, 1)."""
    w = torch.tensor([1.0, 1.0], dtype=torch.float64, device=device, requires_grad=True)
    opt = SGD([w], lr=lr, momentum=momentum)
    start = w.detach().norm().item()
    for t in range(1, max_steps + 1):
        w.grad = bowl.grad(w.detach())
        opt.step()
        if w.detach().norm().item() < factor * start:
            return t
    return None


print("              gradient descent           heavy ball (momentum)        steps to shrink |w| by 1e-6")
print("    κ      α = 2/(κ+1)    rate      α*       β*      rate     GD: rate^t  measured   HB: rate^t  measured")
advantage = {}  # steps of gradient descent (measured, else predicted) / steps of the heavy ball, by κ
extra = {}  # how many more steps the heavy ball needs than rate^t predicts, as a fraction, by κ
for kappa in [10.0, 100.0, 1000.0]:
    bowl = quadratic(kappa)  # curvatures λ_min = 1 and λ_max = κ
    gd_lr, gd_rate = 2 / (kappa + 1), (kappa - 1) / (kappa + 1)
    root = math.sqrt(kappa)
    hb_lr, hb_beta = (2 / (root + 1)) ** 2, ((root - 1) / (root + 1)) ** 2  # Polyak's tuning
    hb_rate = (root - 1) / (root + 1)
    gd_pred, hb_pred = (math.ceil(math.log(1e-6) / math.log(rate)) for rate in (gd_rate, hb_rate))
    gd_measured = steps_to_shrink(bowl, gd_lr, 0.0) if kappa < 1000 else None  # 7000 steps: skipped for time
    hb_measured = steps_to_shrink(bowl, hb_lr, hb_beta)
    gd_text = f"{gd_measured:8d}" if gd_measured else "       —"
    print(f"{kappa:5.0f}   {gd_lr:10.4f}   {gd_rate:.4f}   {hb_lr:.4f}   {hb_beta:.4f}   {hb_rate:.4f}"
          f"   {gd_pred:10d}  {gd_text}   {hb_pred:10d}  {hb_measured:8d}")
    advantage[kappa] = (gd_measured or gd_pred) / hb_measured
    extra[kappa] = hb_measured / hb_pred - 1

publish(advantage_kappa_10=advantage[10.0], advantage_kappa_100=advantage[100.0], advantage_kappa_1000=advantage[1000.0],
        extra_steps_kappa_10=extra[10.0], extra_steps_kappa_1000=extra[1000.0])
