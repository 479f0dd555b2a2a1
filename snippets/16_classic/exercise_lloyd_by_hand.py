"""Exercise: Lloyd's algorithm by hand on six numbers, k = 2, starting from the centres 1 and 2."""

import torch

from lessonlib.book.publish import publish

x = torch.tensor([1.0, 2.0, 3.0, 10.0, 11.0, 20.0], dtype=torch.float64)
centres = torch.tensor([1.0, 2.0], dtype=torch.float64)
for it in range(1, 10):
    labels = (x[:, None] - centres[None, :]).abs().argmin(dim=1)  # assign to the nearest centre
    new = torch.stack([x[labels == j].mean() for j in range(2)])  # move each centre to its mean
    J = ((x - new[labels]) ** 2).sum().item()
    print(f"iteration {it}: clusters {[x[labels == j].tolist() for j in range(2)]}, centres {[round(c, 3) for c in new.tolist()]}, J = {J:.3f}")
    if torch.equal(new, centres):
        break
    centres = new
publish(final_centre_high=centres.max(), final_J=J)
