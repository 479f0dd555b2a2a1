"""Exercise: evaluating a batch-norm model without model.eval(), at three batch sizes."""

import torch
from torch.utils.data import DataLoader, TensorDataset

from lessonlib.book.publish import publish
from lessonlib.data import digits, train_val_test_split
from lessonlib.pipeline import train_digits

torch.set_num_threads(1)
X, y = digits()
X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X.double(), y, seed=0)  # float64, as the pipeline
model = train_digits(3e-3, weight_decay=1e-2, epochs=5).model  # the chapter's model and loop, 5 epochs of AdamW


@torch.no_grad()
def accuracy(batch_size):
    """Test accuracy, in whatever mode the model is in, with the test set cut into batches."""
    batches = DataLoader(TensorDataset(X_test, y_test), batch_size=batch_size)
    return sum((model(xb).argmax(dim=1) == yb).sum().item() for xb, yb in batches) / len(y_test)


model.eval()
eval_256, eval_4 = accuracy(256), accuracy(4)
print(f"eval mode:              test accuracy {eval_256:.4f} at batch size 256, {eval_4:.4f} at 4")
running_mean = model[1].running_mean.clone()
model.train()  # the mistake: still in training mode while evaluating
train_256, train_4 = accuracy(256), accuracy(4)
print(f"train mode (forgotten): test accuracy {train_256:.4f} at batch size 256, {train_4:.4f} at 4")
try:
    accuracy(1)
except ValueError as err:
    print("train mode, batch size 1: ValueError:", err)
moved = (model[1].running_mean - running_mean).abs().max().item()
print(f"and those passes moved batch norm's running mean (by up to {moved:.3f}): the test set leaked into the model")

publish(eval_acc_256=eval_256, eval_acc_4=eval_4, train_mode_acc_256=train_256, train_mode_acc_4=train_4,
        running_mean_moved=moved)
