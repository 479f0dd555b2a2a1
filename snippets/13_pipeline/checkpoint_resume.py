"""What a checkpoint holds, and why resuming from one reproduces the uninterrupted run exactly."""

import tempfile
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lessonlib.book.publish import publish
from lessonlib.data import digits, train_val_test_split

torch.set_num_threads(1)
X, y = digits()
X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X, y, seed=0)
train_set = TensorDataset(X_train, y_train)
EPOCHS = 6


def fresh_run(seed):
    """A new model, optimizer, scheduler and shuffling generator, all drawn from one seed."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 10))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)
    generator = torch.Generator().manual_seed(seed)
    return model, optimizer, scheduler, generator


def train_epoch(model, optimizer, scheduler, generator):
    model.train()
    for xb, yb in DataLoader(train_set, batch_size=64, shuffle=True, generator=generator):
        optimizer.zero_grad()
        F.cross_entropy(model(xb), yb).backward()
        optimizer.step()
    scheduler.step()


# Run A: six epochs without a break.
run_a = fresh_run(seed=0)
for epoch in range(EPOCHS):
    train_epoch(*run_a)

# Run B: three epochs, a checkpoint, everything thrown away, then a fresh start from the file.
run_b = fresh_run(seed=0)
for epoch in range(3):
    train_epoch(*run_b)
model, optimizer, scheduler, generator = run_b
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "checkpoint.pt"
    torch.save({"epoch": 3, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(), "generator": generator.get_state()}, path)
    del model, optimizer, scheduler, generator, run_b

    checkpoint = torch.load(path, weights_only=True)
    print("checkpoint:", list(checkpoint))
    print("  model:", len(checkpoint["model"]), "tensors, e.g.", list(checkpoint["model"])[:4])
    state = checkpoint["optimizer"]["state"]
    print("  optimizer: per parameter", list(state[0]), "and lr", checkpoint["optimizer"]["param_groups"][0]["lr"])
    print("  scheduler: last_epoch", checkpoint["scheduler"]["last_epoch"])
    n_model = sum(t.numel() for k, t in checkpoint["model"].items() if "running" not in k and "num_batches" not in k)
    n_optim = sum(s["exp_avg"].numel() + s["exp_avg_sq"].numel() for s in state.values())
    print(f"  {n_model} parameters; {n_optim} numbers of optimizer state (m and v: two per parameter)")
    publish(n_parameters=n_model, n_optimizer_state=n_optim)

    for restore_generator in (True, False):
        model, optimizer, scheduler, generator = fresh_run(seed=1)  # other weights, to be overwritten
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
        if restore_generator:
            generator.set_state(checkpoint["generator"])
        for epoch in range(checkpoint["epoch"], EPOCHS):
            train_epoch(model, optimizer, scheduler, generator)
        same = all(torch.equal(a, b) for a, b in zip(run_a[0].state_dict().values(), model.state_dict().values()))
        what = "with" if restore_generator else "without"
        print(f"resumed {what} the shuffle generator's state: identical to run A: {same}")
