r"""k-nearest-neighbour classification, vectorised with ``torch.cdist`` and ``topk``.

Notation: $m$ training examples $x_1, \dots, x_m \in \mathbb{R}^n$ with
labels $y_i$; $N_k(x)$ is the set of the $k$ training examples nearest to a
query $x$ in Euclidean distance.

$$
p(c \mid x) = \frac{1}{k} \sum_{i \in N_k(x)} \mathbb{1}[y_i = c],
\qquad
\hat y(x) = \operatorname*{arg\,max}_c \; p(c \mid x)
$$

The same names and semantics as ``sklearn.neighbors.KNeighborsClassifier``
with its defaults (``weights='uniform'``, Euclidean ``metric``), so a test can
compare the two.
"""

import torch
from torch import Tensor

from lessonlib._checks import check_integer, check_ndim, check_queries, check_tensor


class KNeighborsClassifier:
    r"""Classify a point by a majority vote of its $k$ nearest training examples.

    "Training" only stores the data; all the work is in
    [`predict_proba`][lessonlib.neighbors.KNeighborsClassifier.predict_proba]:
    the distance from every query to every training example ($\text{queries}
    \times m$, by ``torch.cdist``), the $k$ smallest per row (``topk``), then a
    vote counted with one-hot labels.

    Args:
        n_neighbors: $k$, the number of neighbours that vote ($k \ge 1$).

    Attributes:
        classes_: The sorted distinct training labels, shape ``(C,)``; set
            by [`fit`][lessonlib.neighbors.KNeighborsClassifier.fit].

    Raises:
        TypeError: ``n_neighbors`` is not an integer.
        ValueError: ``n_neighbors`` is less than 1.

    Examples:
        >>> X = torch.tensor([[0.0], [1.0], [2.0], [10.0], [11.0]])
        >>> y = torch.tensor([0, 0, 1, 1, 1])
        >>> knn = KNeighborsClassifier(n_neighbors=3).fit(X, y)
        >>> knn.predict(torch.tensor([[0.4], [9.0]]))
        tensor([0, 1])
        >>> knn.predict_proba(torch.tensor([[0.4]]))
        tensor([[0.6667, 0.3333]])

    References:
        T. Cover and P. Hart, "Nearest neighbor pattern classification", IEEE
        Transactions on Information Theory 13(1), 1967,
        https://doi.org/10.1109/TIT.1967.1053964

    Note:
        A tie in the vote goes to the smallest label (``argmax`` returns the
        first maximum), as in scikit-learn. Ties in *distance* (two training
        points exactly as far away) are broken by ``topk``'s order, which may
        differ from scikit-learn's.
    """

    def __init__(self, n_neighbors: int = 5) -> None:
        check_integer("n_neighbors", n_neighbors, minimum=1)
        self.n_neighbors = n_neighbors

    def fit(self, X: Tensor, y: Tensor) -> "KNeighborsClassifier":
        r"""Store the training set.

        Args:
            X: Training inputs, shape ``(m, n)``.
            y: Training labels, shape ``(m,)``.

        Returns:
            ``self``.

        Raises:
            TypeError: ``X`` or ``y`` is not a tensor.
            ValueError: ``X`` is not 2-D, ``y`` does not have ``m`` entries, or
                ``n_neighbors`` exceeds ``m``.
        """
        check_tensor("X", X)
        check_ndim("X", X, 2, "(m, n)")
        check_tensor("y", y)
        if y.shape != (X.shape[0],):
            raise ValueError(f"Invalid y shape: {tuple(y.shape)} (must be ({X.shape[0]},), one label per row of X)")
        if self.n_neighbors > X.shape[0]:
            raise ValueError(
                f"Invalid X shape: {tuple(X.shape)} (must have at least n_neighbors = {self.n_neighbors} rows)"
            )
        self.X_ = X
        self.classes_, self.y_index_ = torch.unique(y, return_inverse=True)
        return self

    def predict_proba(self, X: Tensor) -> Tensor:
        r"""The fraction of the $k$ nearest neighbours in each class.

        Args:
            X: Queries, shape ``(q, n)``.

        Returns:
            $p(c \mid x)$, shape ``(q, C)``, columns in the order of ``classes_``.

        Raises:
            TypeError: ``X`` is not a tensor.
            ValueError: called before
                [`fit`][lessonlib.neighbors.KNeighborsClassifier.fit], or ``X``
                has the wrong shape.
        """
        check_queries(self, "X_", X)
        # exact differences rather than the ‖a‖² - 2a·b + ‖b‖² shortcut, which
        # can reorder near-equal distances
        D = torch.cdist(X, self.X_, compute_mode="donot_use_mm_for_euclid_dist")
        neighbours = D.topk(self.n_neighbors, dim=1, largest=False).indices  # q × k
        votes = torch.nn.functional.one_hot(self.y_index_[neighbours], num_classes=len(self.classes_))  # q × k × C
        return votes.sum(dim=1).to(X.dtype) / self.n_neighbors

    def predict(self, X: Tensor) -> Tensor:
        r"""The majority class among the $k$ nearest neighbours.

        Args:
            X: Queries, shape ``(q, n)``.

        Returns:
            Labels, shape ``(q,)``, taken from ``classes_``; a tied vote goes to
                the smallest label.
        """
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(dim=1)]
