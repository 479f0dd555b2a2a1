"""PyTorch's form of momentum against Sutskever's: the same path at a constant learning rate, not under a schedule."""

import torch

from lessonlib.book.device import get_device
from lessonlib.optim import SGD

device = get_device()
torch.manual_seed(0)
H = torch.diag(torch.tensor([1.0, 4.0, 25.0], dtype=torch.float64)).to(device)  # L(θ) = ½ θᵀHθ
grad = lambda theta: H @ theta
beta = 0.9


def schedule(t, halve_at=None):
    """α_t: 0.03, halved from step `halve_at` on (never, by default)."""
    return 0.03 if halve_at is None or t < halve_at else 0.015


def compare(halve_at=None, steps=40):
    theta0 = torch.randn(3, dtype=torch.float64, device=device)
    # lessonlib's SGD (PyTorch's form): v_t = β v_{t-1} + g_t,  θ_t = θ_{t-1} - α_t v_t
    theta = theta0.clone().requires_grad_(True)
    opt = SGD([theta], lr=schedule(1), momentum=beta)
    # Sutskever et al.'s form: u_t = β u_{t-1} - α_t g_t,  θ_t = θ_{t-1} + u_t
    phi, u = theta0.clone(), torch.zeros(3, dtype=torch.float64, device=device)
    for t in range(1, steps + 1):
        for group in opt.param_groups:
            group["lr"] = schedule(t, halve_at)
        theta.grad = grad(theta.detach())
        opt.step()
        u = beta * u - schedule(t, halve_at) * grad(phi)
        phi = phi + u
    v = opt.state[theta]["momentum_buffer"]
    return (theta.detach() - phi).abs().max().item(), (u + schedule(steps, halve_at) * v).abs().max().item()


gap, buffers = compare()
print(f"constant α:           same iterates to 1e-12: {gap < 1e-12},  u_t = -α v_t to 1e-12: {buffers < 1e-12}")
gap, _ = compare(halve_at=20)
print(f"α halved at step 20:  max |θ_pytorch - θ_sutskever| = {gap:.1e}")

# Nesterov. Sutskever et al. take the gradient at the look-ahead point θ + βu:
#   u_t = β u_{t-1} - α ∇L(θ_{t-1} + β u_{t-1}),  θ_t = θ_{t-1} + u_t.
# PyTorch's nesterov=True steps along g_t + β v_t instead; its iterate is Sutskever's look-ahead point.
theta0 = torch.randn(3, dtype=torch.float64, device=device)
theta = theta0.clone().requires_grad_(True)
opt = SGD([theta], lr=0.03, momentum=beta, nesterov=True)
phi, u = theta0.clone(), torch.zeros(3, dtype=torch.float64, device=device)
for _ in range(40):
    theta.grad = grad(theta.detach())
    opt.step()
    u = beta * u - 0.03 * grad(phi + beta * u)
    phi = phi + u
gap = (theta.detach() - (phi + beta * u)).abs().max().item()
print(f"Nesterov:             PyTorch's θ_t equals Sutskever's θ_t + β u_t to 1e-12: {gap < 1e-12}")
