"""When X̃ᵀX̃ is singular: a feature that copies another breaks the normal equation; lstsq and ridge still answer."""

import torch

from lessonlib.data import linear_data
from lessonlib.linear import add_bias_column, fit_lstsq, fit_normal_equation, fit_ridge

# On the CPU: only there does lstsq use the SVD, which copes with a rank-deficient X̃ (on CUDA it has only QR).
device = torch.device("cpu")

X, Y, _ = linear_data(20, 1, noise=0.1, bias=1.0, seed=0)
X, Y = X.to(device, torch.float64), Y.to(device, torch.float64)
X2 = torch.cat([X, 2 * X], dim=1)  # a second feature that is exactly twice the first (say, a length in two units)
X_tilde = add_bias_column(X2)
print(f"X̃ is {X_tilde.shape[0]} × {X_tilde.shape[1]} but has rank {torch.linalg.matrix_rank(X_tilde).item()}")

try:
    W = fit_normal_equation(X2, Y)
    print(f"normal equation: no error, but W̃ = {W.tolist()} is decided by rounding errors")
except torch.linalg.LinAlgError as err:
    print("normal equation:", str(err).split(":")[1].strip())

W = fit_lstsq(X2, Y)  # of all the W̃ with the least loss, the one of smallest norm
print(f"lstsq:         w₁ = {W[0].item():.4f}, w₂ = {W[1].item():.4f}, b = {W[2].item():.4f}")
W_one = fit_normal_equation(X, Y)  # the same data with the copy left out
print(f"one feature:   w  = {W_one[0].item():.4f},              b = {W_one[1].item():.4f}")
print(f"lstsq's w₁ + 2·w₂ = {(W[0] + 2 * W[1]).item():.4f}: the same line, shared between two copies")
W_ridge = fit_ridge(X2, Y, lam=0.1)  # λ > 0 makes X̃ᵀX̃ + λD invertible
print(f"ridge (λ=0.1): w₁ = {W_ridge[0].item():.4f}, w₂ = {W_ridge[1].item():.4f}, b = {W_ridge[2].item():.4f}")
