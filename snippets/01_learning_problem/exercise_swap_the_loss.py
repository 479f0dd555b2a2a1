"""Exercise: change one ingredient, the loss, from squared error to absolute error, and keep the other three."""

import torch

from lessonlib.device import get_device

device = get_device()


def fit(loss_fn, outlier):
    torch.manual_seed(0)
    X = torch.rand(100, 1) * 2 - 1
    Y = 2 * X + 1 + 0.1 * torch.randn(100, 1)
    if outlier:
        Y[0] = 40.0  # one corrupted label
    X, Y = X.to(device), Y.to(device)
    model = torch.nn.Linear(1, 1).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(200):  # full batches, to compare the losses and not the noise of sampling
        loss = loss_fn(model(X), Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.weight.item(), model.bias.item()


for name, loss_fn in [("squared error (MSELoss)", torch.nn.MSELoss()), ("absolute error (L1Loss)", torch.nn.L1Loss())]:
    for outlier in [False, True]:
        w, b = fit(loss_fn, outlier)
        print(f"{name:<24} {'with' if outlier else 'no  '} outlier: y = {w:.2f} x + {b:.2f}")
