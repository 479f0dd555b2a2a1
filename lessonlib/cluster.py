r"""k-means clustering: k-means++ seeding, then Lloyd's iterations, in torch.

Notation: $m$ points $x_1, \dots, x_m \in \mathbb{R}^n$, $k$ centres
$\mu_1, \dots, \mu_k$, and an assignment $c_i \in \{1, \dots, k\}$ of each
point. k-means looks for the centres that minimise the inertia, the sum of
squared distances of the points to their nearest centre:

$$
J = \sum_{i=1}^{m} \lVert x_i - \mu_{c_i} \rVert^2
$$

Lloyd's algorithm alternates two steps, neither of which can increase $J$:

$$
c_i \leftarrow \operatorname*{arg\,min}_j \lVert x_i - \mu_j \rVert^2,
\qquad
\mu_j \leftarrow \frac{1}{|\{i : c_i = j\}|} \sum_{i : c_i = j} x_i
$$

The same names and attributes as ``sklearn.cluster.KMeans``
(``cluster_centers_``, ``labels_``, ``inertia_``, ``n_iter_``).
"""

import math

import torch
from torch import Tensor

from lessonlib._checks import (
    check_instance,
    check_integer,
    check_ndim,
    check_queries,
    check_real,
    check_seed_or_generator,
    check_tensor,
)


def _check_points(X: Tensor) -> None:
    check_tensor("X", X)
    check_ndim("X", X, 2, "(m, n)")


def kmeans_plus_plus(
    X: Tensor, n_clusters: int, generator: torch.Generator | None = None, n_local_trials: int | None = None
) -> Tensor:
    r"""Pick initial centres far apart: (greedy) k-means++ seeding.

    The first centre is a data point drawn uniformly; each next one is a data
    point drawn with probability proportional to its squared distance
    $D(x)^2$ to the nearest centre chosen so far:

    $$
    P(\mu_{j+1} = x_i) = \frac{D(x_i)^2}{\sum_{l=1}^{m} D(x_l)^2}
    $$

    The greedy variant draws $L$ candidates this way and keeps the one that
    leaves the smallest potential $\phi = \sum_i D(x_i)^2$.

    Args:
        X: Points, shape ``(m, n)``.
        n_clusters: $k$, the number of centres.
        generator: A ``torch.Generator`` on ``X``'s device, or ``None`` for
            the global one.
        n_local_trials: $L$, the candidates per step. ``None`` means
            $2 + \lfloor \ln k \rfloor$ (scikit-learn's choice); 1 is the
            plain k-means++ of the paper.

    Returns:
        The centres, shape ``(k, n)``, each a row of ``X``.

    Raises:
        TypeError: ``X`` is not a tensor, ``n_clusters`` or ``n_local_trials``
            not an integer, or ``generator`` not a ``torch.Generator``.
        ValueError: ``X`` is not 2-D, or ``n_clusters`` or ``n_local_trials``
            is less than 1.

    Examples:
        >>> X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
        >>> C = kmeans_plus_plus(X, 2, torch.Generator().manual_seed(0))
        >>> sorted(C[:, 0].tolist())
        [0.0, 10.0]

    References:
        D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful
        seeding", SODA 2007, https://dl.acm.org/doi/10.5555/1283383.1283494

    Note:
        scikit-learn's ``init='k-means++'`` is the greedy variant with the
        same default $L$; its random draws differ, so its centres do too.
    """
    _check_points(X)
    check_integer("n_clusters", n_clusters, minimum=1)
    if n_local_trials is None:
        n_local_trials = 2 + int(math.log(n_clusters))
    check_integer("n_local_trials", n_local_trials, minimum=1)
    if generator is not None:
        check_instance("generator", generator, torch.Generator, "a torch.Generator or None")
    m = X.shape[0]
    first = torch.randint(m, (1,), generator=generator, device=X.device)
    centers = X[first]
    for _ in range(1, n_clusters):
        D2 = torch.cdist(X, centers).square().min(dim=1).values  # D(x)², shape (m,)
        if D2.sum() == 0:  # fewer distinct points than centres: draw uniformly
            D2 = torch.ones_like(D2)
        candidates = torch.multinomial(D2, n_local_trials, replacement=True, generator=generator)
        # D(x)² if each candidate joined the centres (L × m); keep the least potential
        D2_with = torch.minimum(D2, torch.cdist(X[candidates], X).square())
        best = candidates[D2_with.sum(dim=1).argmin()]
        centers = torch.cat([centers, X[best][None]])
    return centers


class KMeans:
    r"""k-means clustering with k-means++ seeding and Lloyd's iterations.

    Each of ``n_init`` runs seeds the centres with [`kmeans_plus_plus`][lessonlib.cluster.kmeans_plus_plus]
    (greedy, $2 + \lfloor \ln k \rfloor$ candidates per step),
    then iterates Lloyd's two steps until the centres move less than the
    tolerance (or ``max_iter`` is reached); the run with the least inertia is
    kept.

    Args:
        n_clusters: $k$, the number of clusters.
        n_init: The number of runs from different seeds.
        max_iter: The most Lloyd iterations per run.
        tol: Convergence tolerance, relative to the data: a run stops when
            $\sum_j \lVert \mu_j^{\text{new}} - \mu_j \rVert^2 \le
            \text{tol} \cdot \frac{1}{n}\sum_{d} \operatorname{Var}(X_{:, d})$.
        seed: Seed for a fresh ``torch.Generator`` made at each [`fit`][lessonlib.cluster.KMeans.fit]
            (so that refitting gives the same result).
        generator: A ``torch.Generator`` on the data's device to draw from
            instead (its state advances). With neither, torch's global
            generator is used.

    Attributes:
        cluster_centers_: The centres $\mu_j$, shape ``(k, n)``. (All five
            are set by [`fit`][lessonlib.cluster.KMeans.fit].)
        labels_: The cluster of each training point, shape ``(m,)``, int64.
        inertia_: $J$ for those centres and labels, a float.
        n_iter_: The number of Lloyd iterations of the kept run.
        centers_history_: The centres before the first iteration and after
            each one, shape ``(n_iter_ + 1, k, n)``: for drawing the
            iterations.

    Raises:
        TypeError: a count or ``seed`` is not an integer, ``tol`` not a real
            number, or ``generator`` not a ``torch.Generator``.
        ValueError: an argument is out of range, or both ``seed`` and
            ``generator`` are given.

    Examples:
        >>> X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
        >>> km = KMeans(n_clusters=2, seed=0).fit(X)
        >>> km.cluster_centers_[km.cluster_centers_[:, 0].argsort()]
        tensor([[ 0.0000,  0.5000],
                [10.0000,  0.5000]])
        >>> km.inertia_
        1.0
        >>> km.predict(torch.tensor([[9.0, 9.0]])) == km.labels_[2]
        tensor([True])
        >>> km.centers_history_.shape
        torch.Size([3, 2, 2])

    References:
        S. P. Lloyd, "Least squares quantization in PCM", IEEE Transactions on
        Information Theory 28(2), 1982, https://doi.org/10.1109/TIT.1982.1056489

        D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful
        seeding", SODA 2007, https://dl.acm.org/doi/10.5555/1283383.1283494

    Note:
        ``n_init=1`` matches scikit-learn's ``n_init='auto'`` with k-means++,
        the seeding is its greedy k-means++, and ``tol`` is relative to the data's variance as there. A cluster
        that loses all its points keeps its old centre (scikit-learn moves it
        to a far point instead). The labels are recomputed from the final
        centres, so ``labels_``, ``inertia_`` and ``cluster_centers_`` agree
        even when ``max_iter`` stops a run early.
    """

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        n_init: int = 1,
        max_iter: int = 300,
        tol: float = 1e-4,
        seed: int | None = None,
        generator: torch.Generator | None = None,
    ) -> None:
        check_integer("n_clusters", n_clusters, minimum=1)
        check_integer("n_init", n_init, minimum=1)
        check_integer("max_iter", max_iter, minimum=1)
        check_real("tol", tol, at_least=0)
        check_seed_or_generator(seed, generator)
        self.n_clusters, self.n_init, self.max_iter, self.tol = n_clusters, n_init, max_iter, tol
        self.seed, self.generator = seed, generator

    def fit(self, X: Tensor) -> "KMeans":
        r"""Cluster ``X``: ``n_init`` runs of k-means++ then Lloyd; keep the best.

        Args:
            X: Points, shape ``(m, n)``, a floating dtype.

        Returns:
            ``self``.

        Raises:
            TypeError: ``X`` is not a tensor.
            ValueError: ``X`` is not 2-D, or has fewer points than ``n_clusters``.
        """
        _check_points(X)
        if X.shape[0] < self.n_clusters:
            raise ValueError(
                f"Invalid X shape: {tuple(X.shape)} (must have at least n_clusters = {self.n_clusters} rows)"
            )
        generator = self.generator
        if self.seed is not None:
            generator = torch.Generator(device=X.device).manual_seed(self.seed)
        runs = [self._lloyd(X, kmeans_plus_plus(X, self.n_clusters, generator)) for _ in range(self.n_init)]
        centers, labels, inertia, history = min(runs, key=lambda run: float(run[2]))  # the first of the best
        self.cluster_centers_, self.labels_, self.inertia_ = centers, labels, float(inertia)
        self.n_iter_, self.centers_history_ = len(history) - 1, torch.stack(history)
        return self

    def _lloyd(self, X: Tensor, centers: Tensor) -> tuple[Tensor, Tensor, Tensor, list[Tensor]]:
        tol = self.tol * X.var(dim=0, correction=0).mean()
        history = [centers]
        for _ in range(self.max_iter):
            labels = torch.cdist(X, centers).argmin(dim=1)  # assign: nearest centre
            counts = torch.bincount(labels, minlength=self.n_clusters)
            sums = torch.zeros_like(centers).index_add_(0, labels, X)
            means = sums / counts.clamp(min=1)[:, None]  # update: mean of each cluster
            new_centers = torch.where(counts[:, None] > 0, means, centers)
            shift = (new_centers - centers).square().sum()
            centers = new_centers
            history.append(centers)
            if shift <= tol:
                break
        labels = torch.cdist(X, centers).argmin(dim=1)
        inertia = (X - centers[labels]).square().sum()
        return centers, labels, inertia, history

    def predict(self, X: Tensor) -> Tensor:
        r"""The index of the nearest centre for each point.

        Args:
            X: Points, shape ``(q, n)``.

        Returns:
            Cluster indices, shape ``(q,)``, int64.

        Raises:
            TypeError: ``X`` is not a tensor.
            ValueError: called before [`fit`][lessonlib.cluster.KMeans.fit], or
                ``X`` has the wrong shape.
        """
        check_queries(self, "cluster_centers_", X)
        return torch.cdist(X, self.cluster_centers_).argmin(dim=1)

    def fit_predict(self, X: Tensor) -> Tensor:
        """Fit, then return ``labels_``."""
        return self.fit(X).labels_
