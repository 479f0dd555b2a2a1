"""lessonlib.cluster.KMeans against scikit-learn's KMeans and a NumPy inertia."""

import re

import numpy as np
import pytest
import torch
from sklearn.cluster import KMeans as SkKMeans
from sklearn.datasets import make_blobs

from lessonlib.cluster import KMeans, kmeans_plus_plus


def _same_partition(a, b):
    """Labels equal up to a permutation of the cluster indices."""
    a, b = np.asarray(a), np.asarray(b)
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def _inertias(k, n, std, seed):
    X, _ = make_blobs(n_samples=400, centers=k, n_features=n, cluster_std=std, random_state=seed)
    ours = KMeans(k, n_init=10, seed=seed).fit(torch.from_numpy(X))
    theirs = SkKMeans(k, n_init=10, random_state=seed).fit(X)
    # the inertia is what it says: a NumPy recomputation from centres and labels
    centres, labels = ours.cluster_centers_.numpy(), ours.labels_.numpy()
    assert ours.inertia_ == pytest.approx(((X - centres[labels]) ** 2).sum(), rel=1e-12)
    return ours.inertia_, theirs.inertia_


@pytest.mark.parametrize("k,n,std", [(3, 2, 1.0), (5, 4, 1.5), (8, 3, 1.0)])
@pytest.mark.parametrize("seed", [0, 1])
def test_inertia_is_no_worse_than_sklearn_on_blobs(k, n, std, seed):
    ours, theirs = _inertias(k, n, std, seed)
    assert ours <= theirs * (1 + 1e-6)


@pytest.mark.parametrize("k,n,std,seed", [(8, 3, 2.0, 2), (6, 2, 1.0, 3)])
def test_inertia_is_close_to_sklearn_on_overlapping_blobs(k, n, std, seed):
    # blobs that touch have several local minima; either library may land in
    # a slightly worse one (seen: ±0.1 %)
    ours, theirs = _inertias(k, n, std, seed)
    assert ours <= theirs * (1 + 1e-2)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_labels_agree_with_sklearn_up_to_permutation_on_separated_blobs(seed):
    X, y = make_blobs(n_samples=300, centers=4, cluster_std=0.5, center_box=(-20, 20), random_state=seed)
    ours = KMeans(4, n_init=5, seed=seed).fit(torch.from_numpy(X))
    theirs = SkKMeans(4, n_init=5, random_state=seed).fit(X)
    assert _same_partition(ours.labels_, theirs.labels_)
    assert _same_partition(ours.labels_, y)
    # the same centres, matched through the labels
    order = [int(ours.labels_[theirs.labels_ == j][0]) for j in range(4)]
    torch.testing.assert_close(ours.cluster_centers_[order], torch.from_numpy(theirs.cluster_centers_))


def test_predict_is_the_nearest_centre():
    X, _ = make_blobs(n_samples=200, centers=3, random_state=4)
    km = KMeans(3, seed=0).fit(torch.from_numpy(X))
    torch.testing.assert_close(km.predict(torch.from_numpy(X)), km.labels_)
    Xq = np.random.default_rng(0).normal(scale=8, size=(50, 2))
    C = km.cluster_centers_.numpy()
    nearest = ((Xq[:, None, :] - C[None]) ** 2).sum(-1).argmin(1)
    torch.testing.assert_close(km.predict(torch.from_numpy(Xq)), torch.from_numpy(nearest))


def test_history_records_each_iteration_and_inertia_never_rises():
    X, _ = make_blobs(n_samples=300, centers=5, cluster_std=2.5, random_state=5)
    X = torch.from_numpy(X)
    km = KMeans(5, seed=3).fit(X)
    H = km.centers_history_
    assert H.shape == (km.n_iter_ + 1, 5, 2)
    torch.testing.assert_close(H[-1], km.cluster_centers_)
    # Lloyd's steps never increase J: J of each centre set (points at their nearest)
    J = [torch.cdist(X, C).square().min(dim=1).values.sum() for C in H]
    assert all(a >= b - 1e-9 for a, b in zip(J, J[1:]))
    # each recorded centre set after the first is the mean of its assigned points
    labels = torch.cdist(X, H[0]).argmin(dim=1)
    torch.testing.assert_close(H[1], torch.stack([X[labels == j].mean(0) for j in range(5)]))


def test_seed_makes_fit_reproducible_and_generator_is_used():
    X = torch.from_numpy(make_blobs(n_samples=150, centers=6, random_state=6)[0])
    a, b = KMeans(6, seed=11).fit(X), KMeans(6, seed=11).fit(X)
    torch.testing.assert_close(a.cluster_centers_, b.cluster_centers_)
    c = KMeans(6, generator=torch.Generator().manual_seed(11)).fit(X)
    torch.testing.assert_close(a.cluster_centers_, c.cluster_centers_)


def test_max_iter_stops_early_and_labels_match_final_centres():
    X = torch.from_numpy(make_blobs(n_samples=300, centers=6, cluster_std=3.0, random_state=7)[0])
    km = KMeans(6, max_iter=1, seed=0).fit(X)
    assert km.n_iter_ == 1
    torch.testing.assert_close(km.labels_, km.predict(X))


@pytest.mark.parametrize("n_local_trials", [None, 1, 5])
def test_kmeans_plus_plus_picks_distinct_data_points(n_local_trials):
    X = torch.from_numpy(make_blobs(n_samples=100, centers=3, random_state=8)[0])
    C = kmeans_plus_plus(X, 10, torch.Generator().manual_seed(0), n_local_trials)
    assert C.shape == (10, 2)
    assert all((X == c).all(dim=1).any() for c in C)
    assert len(torch.unique(C, dim=0)) == 10  # D² is 0 at a chosen point


def test_kmeans_plus_plus_seeds_one_centre_per_separated_blob():
    X, y = make_blobs(n_samples=300, centers=5, cluster_std=0.3, center_box=(-50, 50), random_state=9)
    g = torch.Generator().manual_seed(0)
    for _ in range(5):
        C = kmeans_plus_plus(torch.from_numpy(X), 5, g)
        owners = {int(y[(X == c.numpy()).all(axis=1)][0]) for c in C}
        assert owners == set(range(5))


def test_duplicate_points_fewer_than_k_distinct():
    X = torch.tensor([[0.0, 0.0]] * 5 + [[1.0, 1.0]] * 5)
    km = KMeans(3, seed=0).fit(X)
    assert km.inertia_ == 0.0


# ---------------------------------------------------------------- input checks


@pytest.mark.parametrize("name", ["n_clusters", "n_init", "max_iter"])
@pytest.mark.parametrize(
    ("bad", "error", "rule"),
    [
        (0, ValueError, " value: 0 (must be >= 1)"),
        (-1, ValueError, " value: -1 (must be >= 1)"),
        (2.0, TypeError, ": 2.0 (must be an integer)"),
        (True, TypeError, ": True (must be an integer)"),
    ],
)
def test_invalid_counts_raise(name, bad, error, rule):
    kwargs = {"n_clusters": 2, name: bad}
    with pytest.raises(error, match=f"^{re.escape(f'Invalid {name}{rule}')}$"):
        KMeans(**kwargs)


def test_invalid_tol_and_seed_generator_raise():
    with pytest.raises(ValueError, match=r"^Invalid tol value: -0.1 \(must be >= 0\)$"):
        KMeans(2, tol=-0.1)
    with pytest.raises(TypeError, match=r"^Invalid tol: None \(must be a real number\)$"):
        KMeans(2, tol=None)
    with pytest.raises(
        ValueError, match=r"^Invalid generator: given with seed=1 \(must be None when a seed is given\)$"
    ):
        KMeans(2, seed=1, generator=torch.Generator())


def test_kmeans_plus_plus_checks_its_arguments():
    with pytest.raises(ValueError, match=r"^Invalid n_clusters value: 0 \(must be >= 1\)$"):
        kmeans_plus_plus(torch.zeros(4, 2), 0)
    with pytest.raises(TypeError, match=r"^Invalid n_local_trials: 1.5 \(must be an integer\)$"):
        kmeans_plus_plus(torch.zeros(4, 2), 2, n_local_trials=1.5)
    with pytest.raises(TypeError, match=r"^Invalid generator: 0 \(must be a torch.Generator or None\)$"):
        kmeans_plus_plus(torch.zeros(4, 2), 2, generator=0)


def test_more_clusters_than_points_raises():
    with pytest.raises(ValueError, match=r"^Invalid X shape: \(4, 2\) \(must have at least n_clusters = 5 rows\)$"):
        KMeans(5).fit(torch.zeros(4, 2))


def test_bad_shapes_raise():
    with pytest.raises(ValueError, match=r"^Invalid X shape: \(4,\) \(must be 2-D, \(m, n\)\)$"):
        KMeans(2).fit(torch.zeros(4))
    with pytest.raises(TypeError, match=r"^Invalid X: \[\[0.0, 0.0\]\] \(must be a torch.Tensor\)$"):
        KMeans(2).fit([[0.0, 0.0]])
    with pytest.raises(ValueError, match="not fitted yet"):
        KMeans(2).predict(torch.zeros(4, 2))
    km = KMeans(2, seed=0).fit(torch.rand(10, 2, generator=torch.Generator().manual_seed(0)))
    with pytest.raises(ValueError, match=r"^Invalid X shape: \(3, 5\) \(must be \(q, 2\), like the training data\)$"):
        km.predict(torch.zeros(3, 5))
