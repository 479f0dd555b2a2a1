"""The numbers chapter 16 states, checked against scikit-learn, NumPy and closed forms (not against lessonlib).

The data come from lessonlib.data, as in the snippets; the classifiers, the clusterings and the distances are
recomputed here with scikit-learn and NumPy.
"""

import re

import numpy as np
import pytest
import torch
from sklearn.cluster import KMeans as SkKMeans
from sklearn.neighbors import KNeighborsClassifier as SkKNN
from sklearn.preprocessing import StandardScaler

from lessonlib.data import blobs, train_val_test_split, two_moons
from tests.conftest import ROOT

CHAPTER = "snippets/16_classic"
PAGE = ROOT / "docs/part-2/16-classic-methods.md"
SIX_CENTRES = [[-6.0, 0.0], [-2.0, 5.0], [2.0, 0.0], [6.0, 5.0], [6.0, -4.0], [-2.0, -5.0]]


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


@pytest.fixture(autouse=True)
def _one_thread():
    """The data are small; restore torch's thread count afterwards."""
    n_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n_threads)


def _moons(noise=0.3, features=None):
    X, y = two_moons(400, noise=noise, seed=0)
    if features is not None:
        X = features(X)
    parts = train_val_test_split(X, y, proportions=(0.5, 0.25, 0.25), seed=0)
    return [p.double().numpy() if p.is_floating_point() else p.numpy() for p in parts]


def _accuracy(k, X_train, y_train, X, y):
    return float((SkKNN(n_neighbors=k).fit(X_train, y_train).predict(X) == y).mean())


# --- k-nearest neighbours -------------------------------------------------------------------------------------------


def test_knn_by_hand(built_site):
    out = _output(built_site, "knn_by_hand.py")
    X = np.array([[1.0, 1.0], [2.0, 1.5], [1.5, 3.0], [3.0, 3.0], [4.0, 2.5], [4.5, 4.0], [3.5, 1.0]])
    y = np.array([0, 0, 0, 1, 1, 1, 1])
    q = np.array([[2.6, 2.4]])
    d = np.sqrt(((X - q) ** 2).sum(axis=1))
    rows = re.findall(r"^\s*(\d)\s+\(([\d.]+), ([\d.]+)\)\s+(\d)\s+([\d.]+)$", out, re.M)
    assert [float(r[4]) for r in rows] == [round(v, 3) for v in np.sort(d)]
    assert [int(r[3]) for r in rows] == y[np.argsort(d)].tolist()
    for k, expected in [(1, 1), (3, 0), (5, 1)]:
        sk = SkKNN(n_neighbors=k).fit(X, y)
        assert sk.predict(q)[0] == expected
        p = sk.predict_proba(q)[0]
        assert f"k = {k}: votes [{round(p[0] * k)}, {round(p[1] * k)}], p(c | x) = [{p[0]:.3f}, {p[1]:.3f}], predicts {expected} (lessonlib: {expected})" in out


def test_decision_regions(built_site):
    out = _output(built_site, "knn_decision_regions.py")
    X_train, _, X_test, y_train, _, y_test = _moons()
    assert len(X_train) == 200
    for k in (1, 5, 25):
        train, test = _accuracy(k, X_train, y_train, X_train, y_train), _accuracy(k, X_train, y_train, X_test, y_test)
        assert re.search(rf"^\s*{k}\s+{train:.3f}\s+{test:.3f}$", out, re.M)
    assert "1               1.000           0.850" in out and "25               0.895           0.920" in out


def test_choosing_k(built_site):
    out = _output(built_site, "choose_k.py")
    X_train, X_val, X_test, y_train, y_val, y_test = _moons()
    ks = [1, 3, 5, 7, 9, 11, 13, 15, 19, 23, 27, 33, 39, 47, 55, 65, 79, 95, 115, 139, 167, 199]
    val = {k: _accuracy(k, X_train, y_train, X_val, y_val) for k in ks}
    for k, train_shown, val_shown in re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M):
        k = int(k)
        assert float(train_shown) == round(_accuracy(k, X_train, y_train, X_train, y_train), 3)
        assert float(val_shown) == round(val[k], 3)
    best = max(ks, key=lambda k: (val[k], -k))
    assert best == 33 and round(val[33], 3) == 0.910
    assert f"best validation accuracy {val[best]:.3f} at k = {best}" in out
    assert f"test accuracy with k = 33: {_accuracy(33, X_train, y_train, X_test, y_test):.3f}" in out
    assert f"its share: {np.bincount(y_train).max() / len(y_train):.3f}" in out and "0.515" in out
    # the plateau of the figure: near 0.9 from k = 7 to k = 95
    assert all(0.88 <= val[k] <= 0.91 for k in ks if 7 <= k <= 95) and val[7] == val[95] == 0.9
    assert round(val[1], 3) == 0.83 and round(val[199], 3) == 0.51


def test_feature_scaling(built_site):
    out = _output(built_site, "feature_scaling.py")
    noise = 100 * torch.randn(400, 1, generator=torch.Generator().manual_seed(1))
    variants = {
        "two moons as they are": None,
        "x1 in other units (x1000)": lambda X: X * torch.tensor([1000.0, 1.0]),
        "plus an irrelevant feature": lambda X: torch.cat([X, noise], dim=1),
    }
    for name, features in variants.items():
        X_train, _, X_test, y_train, _, y_test = _moons(features=features)
        scaler = StandardScaler().fit(X_train)  # the biased std: the same neighbours as the snippet's unbiased one
        raw = _accuracy(15, X_train, y_train, X_test, y_test)
        standardised = _accuracy(15, scaler.transform(X_train), y_train, scaler.transform(X_test), y_test)
        assert re.search(rf"^{re.escape(name)}\s+{raw:.3f}\s+{standardised:.3f}$", out, re.M)
    for pair in ["0.930         0.920", "0.670         0.920", "0.550         0.900"]:
        assert pair in out


def test_curse_of_dimensionality(built_site):
    out = _output(built_site, "curse_of_dimensionality.py")
    gen = torch.Generator().manual_seed(0)
    ratios, accuracies = out.split("noise dimensions")
    shown = {int(n): float(r) for n, r in re.findall(r"^\s*(\d+)\s+(0\.\d{3})$", ratios, re.M)}
    assert sorted(shown) == [1, 2, 10, 100, 1000]
    for n in [1, 2, 10, 100, 1000]:
        points = torch.rand(1000, n, generator=gen, dtype=torch.float64).numpy()
        queries = torch.rand(100, n, generator=gen, dtype=torch.float64).numpy()
        D = np.sqrt(((queries[:, None, :] - points[None, :, :]) ** 2).sum(axis=-1))
        assert shown[n] == pytest.approx((D.min(axis=1) / D.max(axis=1)).mean(), abs=6e-4)
    X, y = two_moons(400, noise=0.3, seed=0)
    X = (X - X.mean(dim=0)) / X.std(dim=0)
    rows = {int(d): float(a) for d, a in re.findall(r"^\s*(\d+)\s+(\d\.\d{3})$", accuracies, re.M)}
    for d in [0, 2, 8, 32, 128, 512]:
        features = torch.cat([X, torch.randn(400, d, generator=gen)], dim=1)
        parts = [p.double().numpy() if p.is_floating_point() else p.numpy()
                 for p in train_val_test_split(features, y, proportions=(0.5, 0.25, 0.25), seed=0)]
        X_train, _, X_test, y_train, _, y_test = parts
        assert rows[d] == pytest.approx(_accuracy(15, X_train, y_train, X_test, y_test), abs=0.0101)
    assert rows[0] == 0.92 and rows[32] == 0.79 and rows[512] == 0.53 and shown[1000] == 0.893


# --- k-means --------------------------------------------------------------------------------------------------------


def test_kmeans_iterations(built_site):
    out = _output(built_site, "kmeans_iterations.py")
    X, _ = blobs(300, centers=torch.tensor([[-4.0, -2.0], [0.0, 3.5], [4.0, -1.0]]), std=1.0, seed=0)
    X = X.double().numpy()
    init = X[np.argsort(np.linalg.norm(X - np.array([-6.0, -5.0]), axis=1))[:3]]
    sk = SkKMeans(3, init=init, n_init=1, tol=0.0, algorithm="lloyd").fit(X)
    rows = [tuple(map(float, r[1:])) for r in re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)]
    J = [v for row in rows for v in row]
    assert all(later <= earlier + 1e-9 for earlier, later in zip(J, J[1:]))  # neither step increases J
    assert J[-1] == pytest.approx(sk.inertia_, abs=0.006) and f"{sk.inertia_:.2f}" == "613.88"
    # the first assignment, with the initial centres, by hand
    labels = np.argmin(((X[:, None] - init[None]) ** 2).sum(-1), axis=1)
    assert J[0] == pytest.approx(((X - init[labels]) ** 2).sum(), abs=0.006) and J[0] == 19026.82
    assert len(rows) == 4 and rows[-1][0] == rows[-1][1] == rows[-2][1]  # converged after three updates
    best = SkKMeans(3, n_init=10, random_state=0).fit(X).inertia_
    assert f"lessonlib KMeans (k-means++ start): J = {best:.2f}" in out


def _lloyd_from(X, centres):
    return SkKMeans(len(centres), init=centres, n_init=1, tol=0.0, algorithm="lloyd", max_iter=300).fit(X).inertia_


def test_kmeans_local_minima(built_site):
    out = _output(built_site, "kmeans_local_minima.py")
    X_t, _ = blobs(600, centers=torch.tensor(SIX_CENTRES), std=1.0, seed=0)
    X_t = X_t.double()
    X = X_t.numpy()
    best = min(SkKMeans(6, n_init=1, random_state=s).fit(X).inertia_ for s in range(30))
    assert f"best J found: {best:.2f}" in out and f"{best:.2f}" == "1199.35"
    # the random starts, drawn again here, each run to convergence by scikit-learn's Lloyd
    Js = np.array([_lloyd_from(X, X[torch.randperm(600, generator=torch.Generator().manual_seed(s))[:6].numpy()])
                   for s in range(100)])
    reached = int((Js <= best * (1 + 1e-6)).sum())
    line = re.search(r"^random data points\s+(\d+) of 100\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert int(line[1]) == reached == 67
    assert float(line[2]) == pytest.approx(Js.mean(), abs=0.06) and float(line[3]) == pytest.approx(Js.max(), abs=0.06)
    assert "k-means++                86 of 100" in out and "greedy k-means++         96 of 100" in out
    assert "J = 1199.35" in out.split("n_init=10")[1]
    # the pictured local minimum: about twice the best J
    stuck = float(re.search(r"stuck at J = ([\d.]+)", out)[1])
    assert stuck == pytest.approx(Js[Js > best * (1 + 1e-6)][0], abs=0.06) and 1.9 < stuck / best < 2.2
    assert all(1.9 < J / best for J in Js[Js > best * (1 + 1e-6)])
    assert round(stuck) == 2508


def test_kmeans_elbow(built_site):
    out = _output(built_site, "kmeans_elbow.py")
    X, _ = blobs(600, centers=torch.tensor(SIX_CENTRES), std=1.0, seed=0)
    X = X.double().numpy()
    rows = {int(k): float(J) for k, J in re.findall(r"^\s*(\d+)\s+([\d.]+)(?:\s+[\d.]+)?$", out, re.M)}
    assert sorted(rows) == list(range(1, 11))
    sk = {k: SkKMeans(k, n_init=20, random_state=0).fit(X).inertia_ for k in range(1, 11)}
    for k in range(1, 11):
        # on well-separated blobs (k <= 6) both find the same clustering; beyond, both split blobs, in similar ways
        assert rows[k] == pytest.approx(sk[k], rel=5e-5 if k <= 6 else 0.03)
    ratios = [rows[k - 1] / rows[k] for k in range(2, 11)]
    assert 1.6 < min(ratios[:5]) and max(ratios[:5]) < 2.2 and f"{ratios[4]:.2f}" == "2.14"
    assert all(1.06 < r < 1.09 for r in ratios[5:])
    assert round(rows[1]) == 21768 and round(rows[6]) == 1199 and round(rows[10]) == 899


# --- exercises ----------------------------------------------------------------------------------------------------


def test_exercise_lloyd_by_hand(built_site):
    out = _output(built_site, "exercise_lloyd_by_hand.py")
    x = np.array([1.0, 2.0, 3.0, 10.0, 11.0, 20.0])[:, None]
    sk = SkKMeans(2, init=np.array([[1.0], [2.0]]), n_init=1, algorithm="lloyd").fit(x)
    assert sorted(np.round(sk.cluster_centers_[:, 0], 3).tolist()) == [2.0, 13.667]
    assert f"J = {sk.inertia_:.3f}" in out and f"{sk.inertia_:.3f}" == "62.667"
    assert "centres [1.0, 9.2], J = 210.800" in out and 46 / 5 == 9.2
    assert f"{41 / 3:.3f}" == "13.667" and 1 + 0 + 1 + (20 / 3 - 3) ** 2 + (20 / 3 - 4) ** 2 + (20 - 41 / 3) ** 2 == pytest.approx(62.667, abs=1e-3)


def test_exercise_mean_minimises(built_site):
    out = _output(built_site, "exercise_mean_minimises.py")
    gen = torch.Generator().manual_seed(0)
    points = (torch.randn(50, 2, generator=gen, dtype=torch.float64) * torch.tensor([3.0, 1.0], dtype=torch.float64) + 4).numpy()
    mean = points.mean(axis=0)
    assert f"gradient descent ends at μ = [{mean[0]:.6f}, {mean[1]:.6f}]" in out
    assert 1 - 2 * 50 * 0.005 == 0.5


def test_exercise_knn_extremes(built_site):
    out = _output(built_site, "exercise_knn_extremes.py")
    X, y = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]]), np.array([0, 1, 1, 0, 1])
    everyone = SkKNN(n_neighbors=5).fit(X, y)
    queries = np.array([[-10.0], [0.1], [2.0], [99.0]])
    assert np.allclose(everyone.predict_proba(queries), [0.4, 0.6])
    assert f"predictions {everyone.predict(queries).tolist()}" in out and "p(c | x) = [0.4, 0.6]" in out
    two = SkKNN(n_neighbors=2).fit(X, y)
    assert two.predict_proba([[0.4]]).tolist() == [[0.5, 0.5]] and two.predict([[0.4]])[0] == 0
    assert "k = 2 at x = 0.4: p(c | x) = [0.5, 0.5], prediction 0" in out


def test_exercise_kmeans_moons(built_site):
    out = _output(built_site, "exercise_kmeans_moons.py")
    X, y = two_moons(400, noise=0.1, seed=0)
    X, y = X.double().numpy(), y.numpy()
    labels = SkKMeans(2, n_init=10, random_state=0).fit(X).labels_
    agree = max((labels == y).mean(), (labels != y).mean())
    assert f"match the moons for {agree:.3f} of the points" in out and f"{agree:.3f}" == "0.760"
    X_train, _, X_test, y_train, _, y_test = _moons(noise=0.1)
    acc = _accuracy(15, X_train, y_train, X_test, y_test)
    assert f"test accuracy {acc:.3f}" in out and acc >= 0.98
