"""Exercise: ridge regression is least squares on the data plus n made-up examples with target 0."""

import torch

from lessonlib.book.device import get_device

device = get_device()
gen = torch.Generator().manual_seed(0)
m, n, lam = 20, 5, 0.1
X = torch.randn(m, n, generator=gen, dtype=torch.float64).to(device)
y = torch.randn(m, generator=gen, dtype=torch.float64).to(device)

# Ridge: minimise ½·mean((Xw − y)²) + (λ/2)|w|², that is, solve (XᵀX/m + λI) w = Xᵀy/m.
eye = torch.eye(n, dtype=torch.float64, device=device)
ridge = torch.linalg.solve(X.T @ X / m + lam * eye, X.T @ y / m)

# Augmented data: append the n rows of √(mλ)·I, each with target 0; solve plain least squares.
X_aug = torch.cat([X, (m * lam) ** 0.5 * eye])
y_aug = torch.cat([y, torch.zeros(n, dtype=torch.float64, device=device)])
augmented = torch.linalg.lstsq(X_aug, y_aug[:, None]).solution[:, 0]

print("ridge:             ", [round(v, 4) for v in ridge.tolist()])
print("least squares, aug:", [round(v, 4) for v in augmented.tolist()])
print("the same up to 1e-10:", torch.allclose(ridge, augmented, rtol=0, atol=1e-10))
