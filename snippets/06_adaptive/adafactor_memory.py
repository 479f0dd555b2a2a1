"""Bytes of optimizer state for one weight matrix: Adam, AdamW, SGD with momentum and Adafactor, measured."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.optim import SGD, Adafactor, Adam, AdamW

device = get_device()


def state_bytes(opt):
    """Bytes held by the tensors in the optimizer's state (buffers and step counters)."""
    return sum(v.numel() * v.element_size() for s in opt.state.values() for v in s.values() if torch.is_tensor(v))


makers = {
    "SGD, momentum 0.9": lambda p: SGD(p, lr=0.01, momentum=0.9),
    "Adam": lambda p: Adam(p),
    "AdamW": lambda p: AdamW(p),
    "Adafactor": lambda p: Adafactor(p),
}
print(f"{'n × n float32':>14}{'weights':>14}" + "".join(f"{name:>20}" for name in makers))
ratio, share = {}, {}  # Adam's state / Adafactor's, Adafactor's state / the weights, by n
for n in [1024, 4096]:
    sizes = {}
    for name, make in makers.items():
        w = torch.zeros(n, n, device=device, requires_grad=True)
        w.grad = torch.zeros_like(w)
        opt = make([w])
        opt.step()  # the state is created on the first step
        sizes[name] = state_bytes(opt)
        del opt, w
    weights = n * n * 4
    ratio[n], share[n] = sizes["Adam"] / sizes["Adafactor"], sizes["Adafactor"] / weights
    print(f"{f'{n} × {n}':>14}{weights:>14,}" + "".join(f"{sizes[name]:>20,}" for name in makers))
    print(f"{'':>28}Adam's state is {ratio[n]:,.0f} times Adafactor's;"
          f" Adafactor's is {share[n]:.4%} of the weights")

opt = Adafactor([torch.zeros(3, 5, requires_grad=True)])
opt.param_groups[0]["params"][0].grad = torch.ones(3, 5)
opt.step()
shapes = {k: tuple(v.shape) for k, v in opt.state[opt.param_groups[0]["params"][0]].items()}
print(f"Adafactor's state for a 3 × 5 matrix: {shapes}")
publish(ratio_small=ratio[1024], ratio_large=ratio[4096], share_small=share[1024], share_large=share[4096])
