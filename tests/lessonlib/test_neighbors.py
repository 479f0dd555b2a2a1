"""lessonlib.neighbors.KNeighborsClassifier against scikit-learn's."""

import re

import numpy as np
import pytest
import torch
from sklearn.neighbors import KNeighborsClassifier as SkKNN

from lessonlib.neighbors import KNeighborsClassifier


def _data(seed, m, q, n, n_classes, labels=None):
    rng = np.random.default_rng(seed)
    X, Xq = rng.normal(size=(m, n)), rng.normal(size=(q, n))  # continuous: no distance ties
    y = rng.integers(0, n_classes, size=m)
    if labels is not None:
        y = np.asarray(labels)[y]
    return X, y, Xq


@pytest.mark.parametrize("k", [1, 2, 4, 5, 10])
@pytest.mark.parametrize("m,n,n_classes", [(30, 2, 2), (200, 5, 3), (100, 3, 6)])
def test_predictions_match_sklearn(k, m, n, n_classes):
    X, y, Xq = _data(k * 1000 + m, m, 150, n, n_classes)
    ours = KNeighborsClassifier(n_neighbors=k).fit(torch.from_numpy(X), torch.from_numpy(y))
    theirs = SkKNN(n_neighbors=k).fit(X, y)
    torch.testing.assert_close(ours.predict(torch.from_numpy(Xq)), torch.from_numpy(theirs.predict(Xq)))
    torch.testing.assert_close(ours.predict_proba(torch.from_numpy(Xq)), torch.from_numpy(theirs.predict_proba(Xq)))


def test_even_k_vote_ties_go_to_the_smallest_label_like_sklearn():
    # with k = 2 and two classes, many queries see one vote each
    X, y, Xq = _data(7, 40, 300, 2, 2, labels=[3, 8])
    ours = KNeighborsClassifier(n_neighbors=2).fit(torch.from_numpy(X), torch.from_numpy(y))
    proba = ours.predict_proba(torch.from_numpy(Xq))
    tied = proba[:, 0] == 0.5
    assert tied.sum() > 10
    predicted = ours.predict(torch.from_numpy(Xq))
    assert (predicted[tied] == 3).all()
    expected = SkKNN(n_neighbors=2).fit(X, y).predict(Xq)
    torch.testing.assert_close(predicted, torch.from_numpy(expected))


def test_non_contiguous_labels_and_float32():
    X, y, Xq = _data(3, 60, 50, 3, 3, labels=[-4, 2, 9])
    ours = KNeighborsClassifier(3).fit(torch.from_numpy(X).float(), torch.from_numpy(y))
    got = ours.predict(torch.from_numpy(Xq).float())
    torch.testing.assert_close(got, torch.from_numpy(SkKNN(3).fit(X, y).predict(Xq)))
    torch.testing.assert_close(ours.classes_, torch.tensor([-4, 2, 9]))
    assert ours.predict_proba(torch.from_numpy(Xq).float()).dtype == torch.float32


def test_k_equal_to_m_predicts_the_majority_everywhere():
    X, y, Xq = _data(4, 9, 5, 2, 2)
    y[:] = [0, 1, 1, 1, 0, 1, 0, 1, 1]
    got = KNeighborsClassifier(9).fit(torch.from_numpy(X), torch.from_numpy(y))
    assert (got.predict(torch.from_numpy(Xq)) == 1).all()


# ---------------------------------------------------------------- input checks


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (0, ValueError, "Invalid n_neighbors value: 0 (must be >= 1)"),
        (-3, ValueError, "Invalid n_neighbors value: -3 (must be >= 1)"),
        (2.5, TypeError, "Invalid n_neighbors: 2.5 (must be an integer)"),
        (True, TypeError, "Invalid n_neighbors: True (must be an integer)"),
    ],
)
def test_invalid_n_neighbors_raises(bad, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        KNeighborsClassifier(n_neighbors=bad)


def test_k_greater_than_m_raises():
    with pytest.raises(ValueError, match=r"^Invalid X shape: \(5, 2\) \(must have at least n_neighbors = 6 rows\)$"):
        KNeighborsClassifier(6).fit(torch.zeros(5, 2), torch.zeros(5, dtype=torch.int64))


def test_bad_shapes_raise():
    knn = KNeighborsClassifier(1)
    with pytest.raises(ValueError, match=r"^Invalid X shape: \(5,\) \(must be 2-D, \(m, n\)\)$"):
        knn.fit(torch.zeros(5), torch.zeros(5))
    with pytest.raises(ValueError, match=r"^Invalid y shape: \(4,\) \(must be \(5,\), one label per row of X\)$"):
        knn.fit(torch.zeros(5, 2), torch.zeros(4))
    with pytest.raises(TypeError, match=r"^Invalid y: \[0, 1\] \(must be a torch.Tensor\)$"):
        knn.fit(torch.zeros(2, 2), [0, 1])
    with pytest.raises(ValueError, match="not fitted yet"):
        knn.predict(torch.zeros(2, 2))
    knn.fit(torch.zeros(5, 2), torch.zeros(5))
    with pytest.raises(ValueError, match=r"^Invalid X shape: \(3, 4\) \(must be \(q, 2\), like the training data\)$"):
        knn.predict(torch.zeros(3, 4))
