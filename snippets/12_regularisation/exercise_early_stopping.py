"""Exercise: early stopping by hand on a list of validation losses, checked with EarlyStopping."""

from lessonlib.book.publish import publish
from lessonlib.regularization import EarlyStopping

val_losses = [0.90, 0.70, 0.62, 0.63, 0.61, 0.607, 0.612, 0.64, 0.66, 0.58]
stopper = EarlyStopping(patience=3, min_delta=0.005)
for epoch, loss in enumerate(val_losses):
    stop = stopper.step(loss)
    best = f"best {stopper.best_score:.3f} (epoch {stopper.best_epoch})"
    print(f"epoch {epoch}: val loss {loss:.3f}   {best}   bad epochs {stopper.num_bad_epochs}"
          + ("   -> stop" if stop else ""))
    if stop:
        break
print(f"stopped after epoch {epoch}; restore the weights of epoch {stopper.best_epoch}")
publish(stop_epoch=epoch, best_epoch=stopper.best_epoch)
