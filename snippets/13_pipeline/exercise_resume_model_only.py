"""Exercise: resuming from a checkpoint that holds only the model's weights."""

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lessonlib.book.publish import publish
from lessonlib.data import digits, train_val_test_split

torch.set_num_threads(1)
X, y = digits()
X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X.double(), y, seed=0)  # float64, as the pipeline
EPOCHS = 6


def fresh_run():
    """A new model, optimizer, scheduler and shuffling generator, seeded."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 10)).double()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)
    return model, optimizer, scheduler, torch.Generator().manual_seed(0)


def train_epoch(model, optimizer, scheduler, generator):
    model.train()
    for xb, yb in DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True, generator=generator):
        optimizer.zero_grad()
        F.cross_entropy(model(xb), yb).backward()
        optimizer.step()
    scheduler.step()


def theta(model):
    return torch.cat([p.detach().flatten() for p in model.parameters()])


uninterrupted = fresh_run()
for _ in range(EPOCHS):
    train_epoch(*uninterrupted)

first_half = fresh_run()
for _ in range(3):
    train_epoch(*first_half)
weights, generator_state = first_half[0].state_dict(), first_half[3].get_state()  # the incomplete "checkpoint"

model, optimizer, scheduler, generator = fresh_run()  # optimizer and scheduler start from scratch
model.load_state_dict(weights)
generator.set_state(generator_state)
print(f"learning rate for epoch 4: {first_half[2].get_last_lr()[0]:.5f} in the interrupted run, "
      f"{scheduler.get_last_lr()[0]:.5f} after resuming")
adam_steps = first_half[1].state[first_half[0][0].weight]["step"].item()
print(f"Adam's state: {adam_steps:.0f} steps of moments in the interrupted run, "
      f"{len(optimizer.state)} parameters with any state after resuming")
for _ in range(3, EPOCHS):
    train_epoch(model, optimizer, scheduler, generator)
a, b = theta(uninterrupted[0]), theta(model)
print(f"after epoch 6: identical {torch.equal(a, b)}, relative distance {((a - b).norm() / a.norm()).item():.3f}")
val_loss = {}
with torch.no_grad():
    for name, net in [("uninterrupted", uninterrupted[0]), ("resumed", model)]:
        net.eval()
        val_loss[name] = F.cross_entropy(net(X_val), y_val).item()
        print(f"{name:>13}: validation loss {val_loss[name]:.4f}")

publish(adam_steps=round(adam_steps), val_loss_uninterrupted=val_loss["uninterrupted"],
        val_loss_resumed=val_loss["resumed"])
