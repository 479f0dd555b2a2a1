"""A search space for a small network, written as code: ranges, scales, and five random configurations."""

import math

import torch

# name: (low, high, scale). "log": uniform in log(value), "log-int" the same rounded to a whole number;
# "log2": a power of two, uniform in the exponent; "linear": uniform in the value; "int": a whole number, uniform.
SPACE = {
    "learning rate (Adam)": (1e-5, 1e-2, "log"),
    "batch size": (16, 512, "log2"),
    "epochs": (10, 300, "log-int"),
    "dropout p": (0.0, 0.5, "linear"),
    "weight decay": (1e-5, 1e-1, "log"),
    "width": (32, 1024, "log2"),
    "depth (hidden layers)": (1, 4, "int"),
}


def sample(space, gen):
    """One random configuration: each hyperparameter drawn on its own scale."""
    config = {}
    for name, (low, high, scale) in space.items():
        u = torch.rand(1, generator=gen, dtype=torch.float64).item()
        if scale in ("log", "log-int"):
            value = math.exp(math.log(low) + u * (math.log(high) - math.log(low)))
            config[name] = round(value) if scale == "log-int" else value
        elif scale == "log2":
            config[name] = 2 ** math.floor(math.log2(low) + u * (math.log2(high) - math.log2(low) + 1))
        elif scale == "linear":
            config[name] = low + u * (high - low)
        elif scale == "int":
            config[name] = math.floor(low + u * (high - low + 1))
        else:
            raise ValueError(f"Invalid scale: {scale!r} for {name!r}")
    return config


print(f"{'hyperparameter':<22}{'low':>8}{'high':>8}   scale")
for name, (low, high, scale) in SPACE.items():
    print(f"{name:<22}{low:>8g}{high:>8g}   {scale}")

gen = torch.Generator().manual_seed(0)
print("five random configurations:")
for _ in range(5):
    c = sample(SPACE, gen)
    print(f"  lr {c['learning rate (Adam)']:.1e}  batch {c['batch size']:3d}  epochs {c['epochs']:3d}  "
          f"dropout {c['dropout p']:.2f}  wd {c['weight decay']:.1e}  width {c['width']:4d}  "
          f"depth {c['depth (hidden layers)']}")
