"""One training run repeated: twice on the CPU, on this machine's device, in float64, and with another shuffle."""

import math
import os

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.data import digits, train_val_test_split

os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
torch.set_float32_matmul_precision("highest")
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)

X, y = digits()
X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X, y, seed=0)


def train(device, dtype=torch.float32, shuffle_seed=0, epochs=4):
    """Train the chapter's model; return its parameters (float64, on the CPU) and its test predictions."""
    torch.manual_seed(0)
    model = nn.Sequential(  # initialised on the CPU, whatever the device, then moved
        nn.Linear(64, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 10),
    ).to(device, dtype)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True,
                        generator=torch.Generator().manual_seed(shuffle_seed))  # a CPU generator, always
    for _ in range(epochs):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            F.cross_entropy(model(xb.to(device, dtype)), yb.to(device)).backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        predictions = model(X_test.to(device, dtype)).argmax(dim=1).cpu()
    theta = torch.cat([p.detach().cpu().double().flatten() for p in model.parameters()])
    return theta, predictions


def compare(name, other, reference, rounding=False):
    """Relative distance between two parameter vectors and how many test predictions agree.

    A distance made by rounding alone is itself rounding noise: only its order of magnitude is printed.
    """
    (theta, pred), (theta_ref, pred_ref) = other, reference
    distance = ((theta - theta_ref).norm() / theta_ref.norm()).item()
    if torch.equal(theta, theta_ref):
        exact = "bit for bit identical"
    elif rounding:
        exact = f"relative distance about 1e{round(math.log10(distance)):03d}"
    else:
        exact = f"relative distance {distance:.1e}"
    agree = (pred == pred_ref).sum().item()
    print(f"{name:<36} {exact:<29} predictions agree on {agree}/{len(pred_ref)}")
    return distance, len(pred_ref) - agree


cpu = torch.device("cpu")
reference = train(cpu)
accuracy = (reference[1] == y_test).double().mean().item()
print(f"reference: float32 on the CPU, test accuracy {accuracy:.4f}")
compare("the same run again", train(cpu), reference)
device = get_device()
compare(f"the same run on this device ({device.type})", train(device), reference, rounding=True)
rounding, rounding_changed = compare("in float64 instead of float32", train(cpu, torch.float64), reference, rounding=True)
seeds = {seed: compare(f"with shuffling seed {seed} instead of 0", train(cpu, shuffle_seed=seed), reference)
         for seed in (1, 2)}

publish(test_accuracy=accuracy, rounding_distance=rounding, rounding_order=round(math.log10(rounding)),
        rounding_predictions_changed=rounding_changed,
        seed_1_distance=seeds[1][0], seed_1_predictions_changed=seeds[1][1],
        seed_2_distance=seeds[2][0], seed_2_predictions_changed=seeds[2][1])
