"""Two independent switches: model.train()/model.eval() change what layers do, torch.no_grad() what autograd records."""

import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(6, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Dropout(p=0.5), nn.Linear(6, 2))
batch = torch.randn(16, 6)
x = batch[:4]

model.train()  # dropout drops, batch norm uses (and updates) the statistics of the batch
print("train mode, the same input twice, same output:", torch.equal(model(x), model(x)))
print("train mode, example 0 in a batch of 4 or of 16, same output:", torch.allclose(model(x)[0], model(batch)[0]))

model.eval()  # dropout does nothing, batch norm uses its running statistics
print("eval mode,  the same input twice, same output:", torch.equal(model(x), model(x)))
print("eval mode,  example 0 alone or in a batch of 16, same output:", torch.allclose(model(x[:1])[0], model(batch)[0]))

# eval() does not stop autograd: a graph is still recorded (and memory held) ...
out = model(x)
print("eval mode:              requires_grad", out.requires_grad, "grad_fn", type(out.grad_fn).__name__)
# ... that is no_grad's job; and no_grad does not switch off dropout.
with torch.no_grad():
    out = model(x)
print("eval mode + no_grad():  requires_grad", out.requires_grad, "grad_fn", out.grad_fn)
model.train()
with torch.no_grad():
    print("train mode + no_grad(): dropout still random:", not torch.equal(model(x), model(x)))
