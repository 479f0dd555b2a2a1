"""The numbers chapter 17 states, checked against scikit-learn, NumPy and closed forms (not against lessonlib).

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
    return built_site.run(f"{CHAPTER}/{name}").stdout


def _values(built_site, name):
    return built_site.values(f"{CHAPTER}/{name}")


def _moons(noise=0.3, features=None):
    X, y = two_moons(400, noise=noise, seed=0)
    X = X.double()  # as the snippets do
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
        assert (
            f"k = {k}: votes [{round(p[0] * k)}, {round(p[1] * k)}], p(c | x) = [{p[0]:.3f}, {p[1]:.3f}], "
            f"predicts {expected} (lessonlib: {expected})" in out
        )


def test_decision_regions(built_site):
    out = _output(built_site, "knn_decision_regions.py")
    values = _values(built_site, "knn_decision_regions.py")
    X_train, _, X_test, y_train, _, y_test = _moons()
    assert len(X_train) == 200
    for k in (1, 5, 25):
        train, test = _accuracy(k, X_train, y_train, X_train, y_train), _accuracy(k, X_train, y_train, X_test, y_test)
        assert re.search(rf"^\s*{k}\s+{train:.3f}\s+{test:.3f}$", out, re.M)
        assert values[f"train_accuracy_k{k}"] == pytest.approx(train, abs=1e-12)
        assert values[f"test_accuracy_k{k}"] == pytest.approx(test, abs=1e-12)
    # k = 1: each training point is its own nearest neighbour, and the perfect training score means nothing
    assert values["train_accuracy_k1"] == 1.0 and values["test_accuracy_k1"] < values["test_accuracy_k25"]


def test_choosing_k(built_site):
    out = _output(built_site, "choose_k.py")
    values = _values(built_site, "choose_k.py")
    X_train, X_val, X_test, y_train, y_val, y_test = _moons()
    ks = [1, 3, 5, 7, 9, 11, 13, 15, 19, 23, 27, 33, 39, 47, 55, 65, 79, 95, 115, 139, 167, 199]
    train = {k: _accuracy(k, X_train, y_train, X_train, y_train) for k in ks}
    val = {k: _accuracy(k, X_train, y_train, X_val, y_val) for k in ks}
    for k, train_shown, val_shown in re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M):
        assert float(train_shown) == round(train[int(k)], 3) and float(val_shown) == round(val[int(k)], 3)
    best = max(ks, key=lambda k: (val[k], -k))
    assert values["k_best"] == best and values["val_accuracy_best"] == pytest.approx(val[best], abs=1e-12)
    assert values["test_accuracy_best"] == pytest.approx(_accuracy(best, X_train, y_train, X_test, y_test), abs=1e-12)
    assert values["val_accuracy_k1"] == pytest.approx(val[1], abs=1e-12)
    assert values["train_accuracy_k1"] == train[1] == 1.0
    # a broad plateau: every k from 7 to 95 within two validation points of the plateau's mean, the peak inside it
    plateau = [val[k] for k in ks if 7 <= k <= 95]
    assert values["val_accuracy_plateau"] == pytest.approx(np.mean(plateau), abs=1e-12)
    assert all(abs(v - values["val_accuracy_plateau"]) <= 0.02 for v in plateau) and 7 <= best <= 95
    assert values["val_accuracy_k1"] < min(plateau)  # "rises from k = 1 to the plateau"
    # at the largest k both accuracies collapse towards the training set's majority share, "about 0.5"
    majority = np.bincount(y_train).max() / len(y_train)
    assert values["majority_share"] == pytest.approx(majority, abs=1e-12)
    assert values["train_accuracy_largest_k"] == pytest.approx(train[199], abs=1e-12)
    assert values["val_accuracy_largest_k"] == pytest.approx(val[199], abs=1e-12)
    assert abs(train[199] - majority) <= 0.02 and abs(val[199] - majority) <= 0.02 and val[199] < min(plateau) - 0.2
    assert f"{val[199]:.1f}" == f"{train[199]:.1f}"  # the caption's "both fall to about" one value


def test_feature_scaling(built_site):
    out = _output(built_site, "feature_scaling.py")
    values = _values(built_site, "feature_scaling.py")
    noise = 100 * torch.randn(400, 1, generator=torch.Generator().manual_seed(1)).double()
    variants = {
        "two moons as they are": ("as_is", None),
        "x1 in other units (x1000)": ("units", lambda X: X * torch.tensor([1000.0, 1.0], dtype=torch.float64)),
        "plus an irrelevant feature": ("noise", lambda X: torch.cat([X, noise], dim=1)),
    }
    for name, (key, features) in variants.items():
        X_train, _, X_test, y_train, _, y_test = _moons(features=features)
        scaler = StandardScaler().fit(X_train)  # the biased std: the same neighbours as the snippet's unbiased one
        raw = _accuracy(15, X_train, y_train, X_test, y_test)
        standardised = _accuracy(15, scaler.transform(X_train), y_train, scaler.transform(X_test), y_test)
        assert re.search(rf"^{re.escape(name)}\s+{raw:.3f}\s+{standardised:.3f}$", out, re.M)
        assert values[f"{key}_raw"] == pytest.approx(raw, abs=1e-12)
        assert values[f"{key}_standardised"] == pytest.approx(standardised, abs=1e-12)
    # the prose: a change of units drops the accuracy a lot, standardising restores it; the loud feature is near a
    # coin toss raw, and recovers when standardised, but not to the accuracy of the moons alone
    assert values["units_raw"] < values["as_is_raw"] - 0.15
    assert values["units_standardised"] == values["as_is_standardised"] >= values["as_is_raw"] - 0.02
    assert 0.5 <= values["noise_raw"] < 0.6
    assert values["noise_raw"] < values["noise_standardised"] < values["as_is_raw"]


def test_curse_of_dimensionality(built_site):
    out = _output(built_site, "curse_of_dimensionality.py")
    values = _values(built_site, "curse_of_dimensionality.py")
    gen = torch.Generator().manual_seed(0)
    ratios, accuracies = out.split("noise dimensions")
    shown = {int(n): float(r) for n, r in re.findall(r"^\s*(\d+)\s+(0\.\d{3})$", ratios, re.M)}
    assert sorted(shown) == [1, 2, 10, 100, 1000]
    exact = {}
    for n in [1, 2, 10, 100, 1000]:
        points = torch.rand(1000, n, generator=gen, dtype=torch.float64).numpy()
        queries = torch.rand(100, n, generator=gen, dtype=torch.float64).numpy()
        D = np.sqrt(((queries[:, None, :] - points[None, :, :]) ** 2).sum(axis=-1))
        exact[n] = (D.min(axis=1) / D.max(axis=1)).mean()
        assert shown[n] == pytest.approx(exact[n], abs=6e-4)
    for n in [1, 10, 100, 1000]:
        assert values[f"ratio_dim{n}"] == pytest.approx(exact[n], rel=1e-9)
    assert values["ratio_dim1"] < 1e-3  # "more than a thousand times closer"
    assert [exact[n] for n in sorted(exact)] == sorted(exact.values()) and exact[1000] > 0.85  # about equally far
    X, y = two_moons(400, noise=0.3, seed=0)
    X = X.double()
    X = (X - X.mean(dim=0)) / X.std(dim=0)
    rows = {int(d): float(a) for d, a in re.findall(r"^\s*(\d+)\s+(\d\.\d{3})$", accuracies, re.M)}
    acc = {}
    for d in [0, 2, 8, 32, 128, 512]:
        features = torch.cat([X, torch.randn(400, d, generator=gen).double()], dim=1)
        parts = [p.numpy() for p in train_val_test_split(features, y, proportions=(0.5, 0.25, 0.25), seed=0)]
        X_train, _, X_test, y_train, _, y_test = parts
        acc[d] = _accuracy(15, X_train, y_train, X_test, y_test)
        assert rows[d] == round(acc[d], 3)
    for d in [0, 32, 512]:
        assert values[f"accuracy_noise{d}"] == pytest.approx(acc[d], abs=1e-12)
    assert acc[0] > acc[32] > acc[512] and acc[512] < 0.6  # outvoted by the noise, close to guessing


# --- k-means --------------------------------------------------------------------------------------------------------


def test_kmeans_iterations(built_site):
    out = _output(built_site, "kmeans_iterations.py")
    values = _values(built_site, "kmeans_iterations.py")
    X, _ = blobs(300, centers=torch.tensor([[-4.0, -2.0], [0.0, 3.5], [4.0, -1.0]]), std=1.0, seed=0)
    X = X.double().numpy()
    init = X[np.argsort(np.linalg.norm(X - np.array([-6.0, -5.0]), axis=1))[:3]]
    # Lloyd's algorithm in NumPy, counting the updates that move a centre
    centres, J, updates = init, [], 0
    while True:
        labels = np.argmin(((X[:, None] - centres[None]) ** 2).sum(-1), axis=1)
        J.append(((X - centres[labels]) ** 2).sum())
        new = np.stack([X[labels == j].mean(axis=0) for j in range(3)])
        J.append(((X - new[labels]) ** 2).sum())
        if np.array_equal(new, centres):
            break
        centres, updates = new, updates + 1
    assert all(later <= earlier + 1e-9 for earlier, later in zip(J, J[1:]))  # neither step increases J
    rows = [tuple(map(float, r[1:])) for r in re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)]
    np.testing.assert_allclose([v for row in rows for v in row], J, atol=0.006)
    sk = SkKMeans(3, init=init, n_init=1, tol=0.0, algorithm="lloyd").fit(X)
    assert values["J_initial"] == pytest.approx(J[0], rel=1e-12)
    assert values["J_final"] == pytest.approx(J[-1], rel=1e-12)
    assert values["J_final"] == pytest.approx(sk.inertia_, rel=1e-9)
    assert values["updates_to_converge"] == updates == 3 and values["iterations"] == 4  # "three updates", "the fourth"
    best = SkKMeans(3, n_init=10, random_state=0).fit(X).inertia_
    assert values["J_kmeans_plus_plus"] == pytest.approx(best, rel=1e-9)
    assert values["J_kmeans_plus_plus"] == pytest.approx(values["J_final"], rel=1e-9)  # "finds the same J"


def _lloyd_from(X, centres):
    return SkKMeans(len(centres), init=centres, n_init=1, tol=0.0, algorithm="lloyd", max_iter=300).fit(X).inertia_


def test_kmeans_local_minima(built_site):
    out = _output(built_site, "kmeans_local_minima.py")
    values = _values(built_site, "kmeans_local_minima.py")
    X_t, _ = blobs(600, centers=torch.tensor(SIX_CENTRES), std=1.0, seed=0)
    X = X_t.double().numpy()
    best = min(SkKMeans(6, n_init=1, random_state=s).fit(X).inertia_ for s in range(30))
    assert values["best_J"] == pytest.approx(best, rel=1e-9) and f"best J found: {best:.2f}" in out
    # the random starts, drawn again here, each run to convergence by scikit-learn's Lloyd
    Js = np.array(
        [
            _lloyd_from(X, X[torch.randperm(600, generator=torch.Generator().manual_seed(s))[:6].numpy()])
            for s in range(100)
        ]
    )
    stuck = Js[Js > best * (1 + 1e-6)]
    assert values["reached_random"] == 100 - len(stuck)
    assert values["worst_J_random"] == pytest.approx(Js.max(), rel=1e-9)
    line = re.search(r"^random data points\s+(\d+) of 100\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert float(line[2]) == pytest.approx(Js.mean(), abs=0.06)
    assert (stuck >= 2 * best).all()  # "the others stop in local minima with at least twice the inertia"
    # the picture: the first random start that got stuck, next to a best solution
    assert values["J_pictured_stuck"] == pytest.approx(stuck[0], rel=1e-9)
    assert values["J_pictured_best"] == pytest.approx(best, rel=1e-9)
    # k-means++ spreads the start out: each start reaches the best more often, and none makes it certain
    assert values["reached_random"] < values["reached_plus_plus"] < values["reached_greedy"] < 100
    for name, key in [("k-means++", "reached_plus_plus"), ("greedy k-means++", "reached_greedy")]:
        assert re.search(rf"^{re.escape(name)}\s+{values[key]} of 100", out, re.M)
    assert values["J_n_init_10"] == pytest.approx(best, rel=1e-9)


def test_kmeans_elbow(built_site):
    out = _output(built_site, "kmeans_elbow.py")
    values = _values(built_site, "kmeans_elbow.py")
    X, _ = blobs(600, centers=torch.tensor(SIX_CENTRES), std=1.0, seed=0)
    X = X.double().numpy()
    rows = {int(k): float(J) for k, J in re.findall(r"^\s*(\d+)\s+([\d.]+)(?:\s+[\d.]+)?$", out, re.M)}
    assert sorted(rows) == list(range(1, 11))
    sk = {k: SkKMeans(k, n_init=20, random_state=0).fit(X).inertia_ for k in range(1, 11)}
    for k in range(1, 11):
        # on well-separated blobs (k <= 6) both find the same clustering; beyond, both split blobs, in similar ways
        assert rows[k] == pytest.approx(sk[k], rel=5e-5 if k <= 6 else 0.03)
    for k in (1, 6, 10):
        assert values[f"J_k{k}"] == pytest.approx(sk[k], rel=1e-9 if k <= 6 else 0.03)
    ratios = [sk[k - 1] / sk[k] for k in range(2, 7)]
    assert values["ratio_min_up_to_six"] == pytest.approx(min(ratios), rel=1e-6)
    assert values["ratio_max_up_to_six"] == pytest.approx(max(ratios), rel=1e-6)
    # after k = 6 every step divides J by about the same small factor, far below the factors before: the elbow
    after = [rows[k - 1] / rows[k] for k in range(7, 11)]
    assert all(abs(r - values["ratio_after_six"]) < 0.015 for r in after)
    assert values["ratio_after_six"] < 1.1 < 1.5 < values["ratio_min_up_to_six"]
    assert max(ratios) == ratios[-1]  # the largest drop is the last one before the elbow


# --- exercises ----------------------------------------------------------------------------------------------------


def test_exercise_lloyd_by_hand(built_site):
    out = _output(built_site, "exercise_lloyd_by_hand.py")
    values = _values(built_site, "exercise_lloyd_by_hand.py")
    x = np.array([1.0, 2.0, 3.0, 10.0, 11.0, 20.0])[:, None]
    sk = SkKMeans(2, init=np.array([[1.0], [2.0]]), n_init=1, algorithm="lloyd").fit(x)
    assert sorted(sk.cluster_centers_[:, 0].tolist()) == pytest.approx([2.0, 41 / 3])
    assert values["final_centre_high"] == pytest.approx(41 / 3, rel=1e-12)
    # the solution's hand arithmetic: J = 2 + (11/3)^2 + (8/3)^2 + (19/3)^2 = 188/3
    assert values["final_J"] == pytest.approx(188 / 3, rel=1e-12) and sk.inertia_ == pytest.approx(188 / 3, rel=1e-9)
    assert 1 + 0 + 1 + (11 / 3) ** 2 + (8 / 3) ** 2 + (19 / 3) ** 2 == pytest.approx(188 / 3)
    assert "centres [1.0, 9.2], J = 210.800" in out and 46 / 5 == 9.2  # the first update, exact


def test_exercise_mean_minimises(built_site):
    out = _output(built_site, "exercise_mean_minimises.py")
    gen = torch.Generator().manual_seed(0)
    points = (
        torch.randn(50, 2, generator=gen, dtype=torch.float64) * torch.tensor([3.0, 1.0], dtype=torch.float64) + 4
    ).numpy()
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
    values = _values(built_site, "exercise_kmeans_moons.py")
    X, y = two_moons(400, noise=0.1, seed=0)
    X, y = X.double().numpy(), y.numpy()
    labels = SkKMeans(2, n_init=10, random_state=0).fit(X).labels_
    agree = max((labels == y).mean(), (labels != y).mean())
    assert values["kmeans_agreement"] == pytest.approx(agree, abs=1e-12)
    assert abs((1 - agree) - 0.25) < 0.03  # "about a quarter end up with the wrong moon"
    X_train, _, X_test, y_train, _, y_test = _moons(noise=0.1)
    acc = _accuracy(15, X_train, y_train, X_test, y_test)
    assert values["knn_test_accuracy"] == pytest.approx(acc, abs=1e-12) and acc >= 0.98  # "almost every test point"
