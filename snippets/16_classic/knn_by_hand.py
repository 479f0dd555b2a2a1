"""k-nearest neighbours by hand on seven points: distances, the k nearest, and the vote, for k = 1, 3, 5."""

import torch

from lessonlib.book.device import get_device
from lessonlib.neighbors import KNeighborsClassifier

device = get_device()

X = torch.tensor([[1.0, 1.0], [2.0, 1.5], [1.5, 3.0], [3.0, 3.0], [4.0, 2.5], [4.5, 4.0], [3.5, 1.0]], device=device)
y = torch.tensor([0, 0, 0, 1, 1, 1, 1], device=device)
query = torch.tensor([2.6, 2.4], device=device)

distances = ((X - query) ** 2).sum(dim=1).sqrt()  # Euclidean distance to every training point
order = distances.argsort()
print("rank  point        label  distance")
for rank, i in enumerate(order.tolist(), start=1):
    print(f"{rank:4d}  ({X[i, 0]:.1f}, {X[i, 1]:.1f})   {y[i].item():5d}  {distances[i].item():8.3f}")

knn = {k: KNeighborsClassifier(n_neighbors=k).fit(X, y) for k in (1, 3, 5)}
for k in (1, 3, 5):
    votes = torch.bincount(y[order[:k]], minlength=2)  # how many of the k nearest are in each class
    p = votes.float() / k
    by_hand = votes.argmax().item()
    library = knn[k].predict(query[None]).item()
    print(f"k = {k}: votes {votes.tolist()}, p(c | x) = [{p[0]:.3f}, {p[1]:.3f}], predicts {by_hand} (lessonlib: {library})")
