"""Exercise: change one ingredient, the loss, from squared error to absolute error, and keep the other three."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish

device = get_device()


def fit(loss_fn, outlier):
    torch.manual_seed(0)
    X = torch.rand(100, 1) * 2 - 1
    Y = 2 * X + 1 + 0.1 * torch.randn(100, 1)
    if outlier:
        Y[0] = 40.0  # one corrupted label
    X, Y = X.to(device, torch.float64), Y.to(device, torch.float64)  # float64: the same digits on every CPU
    model = torch.nn.Linear(1, 1).to(device, torch.float64)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(200):  # full batches, to compare the losses and not the noise of sampling
        loss = loss_fn(model(X), Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.weight.item(), model.bias.item()


fits = {}
for name, loss_fn in [("squared error (MSELoss)", torch.nn.MSELoss()), ("absolute error (L1Loss)", torch.nn.L1Loss())]:
    for outlier in [False, True]:
        w, b = fits[name[:8], outlier] = fit(loss_fn, outlier)
        print(f"{name:<24} {'with' if outlier else 'no  '} outlier: y = {w:.2f} x + {b:.2f}")

publish(
    squared_b_clean=fits["squared ", False][1], squared_b_outlier=fits["squared ", True][1],
    absolute_b_clean=fits["absolute", False][1], absolute_b_outlier=fits["absolute", True][1],
)
