"""The four ingredients of learning in PyTorch: data, a model, a loss and a learning algorithm."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish

device = get_device()
torch.manual_seed(0)

# 1. Data: m = 100 pairs (x, y) from the line y = 2x + 1, with a little noise.
X = torch.rand(100, 1) * 2 - 1
Y = 2 * X + 1 + 0.1 * torch.randn(100, 1)
X, Y = X.to(device, torch.float64), Y.to(device, torch.float64)  # float64: the same digits on every CPU

# 2. A model with two parameters, a weight w and a bias b: ŷ = w x + b.
model = torch.nn.Linear(1, 1).to(device, torch.float64)
# 3. A loss that turns the predictions on a batch into one number.
loss_fn = torch.nn.MSELoss()
# 4. A learning algorithm: gradient descent on batches of 20 examples.
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

losses = {}
for step in range(301):
    batch = torch.randint(0, 100, (20,))  # a batch: 20 (X, Y) pairs drawn from the data set
    loss = loss_fn(model(X[batch]), Y[batch])  # forward: predictions, then one scalar
    optimizer.zero_grad()
    loss.backward()  # the gradient of the loss with respect to w and b
    optimizer.step()  # w ← w − α ∂L/∂w,  b ← b − α ∂L/∂b
    if step % 50 == 0:
        losses[step] = loss.item()
        print(f"step {step:3d}: loss on this batch = {loss.item():.4f}")

w, b = model.weight.item(), model.bias.item()
print(f"learned: y = {w:.3f} x + {b:.3f}   (the data came from y = 2 x + 1)")
publish(loss_start=losses[0], loss_step_50=losses[50], loss_end=losses[300], w=w, b=b)
