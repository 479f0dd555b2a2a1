"""Exercise: the pipeline's learning rate swept across and beyond the typical range."""

import torch

from lessonlib.book.publish import publish
from lessonlib.pipeline import train_digits

torch.set_num_threads(1)

print("learning rate   val loss   val accuracy   (AdamW, 5 epochs)")
results = {}
for lr in [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]:
    run = train_digits(lr, weight_decay=1e-2, epochs=5)  # the chapter's data, model and loop; only the rate changes
    results[lr] = run.val_loss[-1], run.val_accuracy[-1]
    print(f"{lr:13g}   {results[lr][0]:8.3f}   {results[lr][1]:12.3f}")

best = min(results, key=lambda lr: results[lr][0])
publish(best_lr=best, val_loss_lr_1e5=results[1e-5][0], val_loss_lr_1e4=results[1e-4][0],
        val_loss_lr_1e3=results[1e-3][0], val_loss_lr_1e2=results[1e-2][0], val_loss_lr_1e1=results[1e-1][0])
