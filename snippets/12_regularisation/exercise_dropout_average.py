"""Exercise: the mean of many dropout passes is the test-time output for a linear layer, not after a ReLU."""

import torch
from torch import nn

from lessonlib.book.device import get_device
from lessonlib.nn import Dropout

device = get_device()
torch.set_num_threads(1)  # tiny tensors: one thread is fastest
torch.manual_seed(0)
x = torch.randn(1, 10).to(device, torch.float64)  # float64: the averages print the same digits on every CPU
passes = 20_000

linear = nn.Sequential(Dropout(0.5), nn.Linear(10, 1)).to(device, torch.float64)
relu_net = nn.Sequential(
    nn.Linear(10, 20), nn.ReLU(), Dropout(0.5),
    nn.Linear(20, 20), nn.ReLU(), Dropout(0.5),
    nn.Linear(20, 1),
).to(device, torch.float64)

for name, net in [("dropout → linear", linear), ("ReLU network with dropout", relu_net)]:
    with torch.no_grad():
        net.train()
        average = net(x.expand(passes, -1)).mean().item()  # 20 000 passes, a fresh mask each
        net.eval()
        test_time = net(x).item()
    print(f"{name:26s} mean of {passes} passes {average:7.3f}   test time {test_time:7.3f}")
