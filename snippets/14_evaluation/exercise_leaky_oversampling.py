"""Exercise: over-sample before splitting, and copies of the test positives leak into the training set."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.data import imbalanced_binary
from lessonlib.metrics import precision_score, recall_score
from lessonlib.neighbors import KNeighborsClassifier

device = get_device()
gen = torch.Generator().manual_seed(0)


def oversample(X, y):
    """Add random copies of the positives (drawn with replacement) until both classes are the same size."""
    if len(X) != len(y):
        raise ValueError(f"Invalid y: {len(y)} labels for {len(X)} examples")
    pos, neg = (y == 1).nonzero().squeeze(1), (y == 0).nonzero().squeeze(1)
    extra = pos[torch.randint(len(pos), (len(neg) - len(pos),), generator=gen).to(y.device)]
    keep = torch.cat([neg, pos, extra])
    return X[keep], y[keep]


def split(X, y, test_fraction=0.5):
    order = torch.randperm(len(y), generator=gen).to(y.device)
    cut = int(len(y) * (1 - test_fraction))
    return X[order[:cut]], y[order[:cut]], X[order[cut:]], y[order[cut:]]


X, y = imbalanced_binary(4000, ratio=0.05, separation=2.0, seed=3)
X, y = X.to(device), y.to(device)

# Wrong: over-sample first, then split. A positive and its copies land on both sides.
X_train, y_train, X_test, y_test = split(*oversample(X, y))
y_pred = KNeighborsClassifier(n_neighbors=1).fit(X_train, y_train).predict(X_test)
leaky = recall_score(y_test, y_pred), precision_score(y_test, y_pred)
print(f"over-sample, then split: test recall {recall_score(y_test, y_pred):.3f}, "
      f"precision {precision_score(y_test, y_pred):.3f}  ({int(y_test.sum())} test positives)")

# Right: split first, over-sample only the training part, test on untouched data.
X_train, y_train, X_test, y_test = split(X, y)
X_train, y_train = oversample(X_train, y_train)
y_pred = KNeighborsClassifier(n_neighbors=1).fit(X_train, y_train).predict(X_test)
honest = recall_score(y_test, y_pred), precision_score(y_test, y_pred)
print(f"split, then over-sample: test recall {recall_score(y_test, y_pred):.3f}, "
      f"precision {precision_score(y_test, y_pred):.3f}  ({int(y_test.sum())} test positives)")

publish(leaky_recall=leaky[0], leaky_precision=leaky[1], honest_recall=honest[0], honest_precision=honest[1])
