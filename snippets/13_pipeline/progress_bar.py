"""What a tqdm progress bar shows during training, captured as text at three moments of a short run."""

import io

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

from lessonlib.data import digits, train_val_test_split

torch.set_num_threads(1)
X, y = digits()
X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X.double(), y, seed=0)  # float64, as the pipeline
loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True,
                    generator=torch.Generator().manual_seed(0))
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 10)).double()
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)

epochs = 3
# In a terminal, tqdm(total=...) is all you need. Here the bar draws into a string, in ASCII
# (a terminal gets smooth block characters), and its format leaves out the elapsed time, the
# time left and the rate, which differ from run to run.
bar = tqdm(total=epochs * len(loader), file=io.StringIO(), ncols=78, ascii=True,
           bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt}{postfix}")
model.train()
for epoch in range(1, epochs + 1):
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
        bar.update()
        bar.set_postfix(epoch=epoch, loss=f"{loss.item():.3f}")
        if bar.n in (1, 26, bar.total):
            print(bar)  # the line a terminal shows at this moment
bar.close()
