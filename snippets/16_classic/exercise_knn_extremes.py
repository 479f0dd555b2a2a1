"""Exercise: k-nearest neighbours at the extremes, k = m and a tied vote with k = 2."""

import torch

from lessonlib.neighbors import KNeighborsClassifier

X = torch.tensor([[0.0], [1.0], [2.0], [3.0], [4.0]])
y = torch.tensor([0, 1, 1, 0, 1])
queries = torch.tensor([[-10.0], [0.1], [2.0], [99.0]])

everyone = KNeighborsClassifier(n_neighbors=len(X)).fit(X, y)
proba = everyone.predict_proba(queries)
assert torch.equal(proba, proba[:1].expand_as(proba))  # the same for every query
print(f"k = m = {len(X)}: p(c | x) = {[round(p, 3) for p in proba[0].tolist()]} for every query, "
      f"predictions {everyone.predict(queries).tolist()}")

two = KNeighborsClassifier(n_neighbors=2).fit(X, y)
q = torch.tensor([[0.4]])  # its two nearest neighbours are x = 0 (class 0) and x = 1 (class 1)
print(f"k = 2 at x = 0.4: p(c | x) = {[round(p, 3) for p in two.predict_proba(q)[0].tolist()]}, prediction {two.predict(q).item()} "
      "(a tie goes to the smallest label)")
