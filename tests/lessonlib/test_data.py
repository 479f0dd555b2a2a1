"""lessonlib.data: shapes, dtypes, determinism, the models behind the data, class balance, and the digits."""

import math
import re

import pytest
import torch
from sklearn.datasets import load_digits

from lessonlib import data

SEEDED = {
    "linear_data": lambda **kw: data.linear_data(50, 3, **kw),
    "noisy_sine": lambda **kw: data.noisy_sine(50, **kw),
    "noisy_sine_jittered": lambda **kw: data.noisy_sine(50, jitter=0.1, **kw),
    "xor": lambda **kw: data.xor(40, noise=0.1, **kw),
    "two_moons": lambda **kw: data.two_moons(60, **kw),
    "spirals": lambda **kw: data.spirals(60, **kw),
    "blobs": lambda **kw: data.blobs(60, **kw),
    "imbalanced_binary": lambda **kw: data.imbalanced_binary(60, **kw),
    "train_val_test_split": lambda **kw: data.train_val_test_split(torch.arange(30), **kw),
}


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_same_seed_same_data_other_seed_other_data(name):
    make = SEEDED[name]
    a, b, c = make(seed=3), make(seed=3), make(seed=4)
    for x, y in zip(a, b, strict=True):
        torch.testing.assert_close(x, y)
    assert any(not torch.equal(x, z) for x, z in zip(a, c, strict=True))
    # the default is seed 0, and a generator seeded alike gives the same data
    for x, y in zip(make(), make(generator=torch.Generator().manual_seed(0)), strict=True):
        torch.testing.assert_close(x, y)


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_seed_and_generator_together_raise(name):
    with pytest.raises(
        ValueError, match=r"^Invalid generator: given with seed=1 \(must be None when a seed is given\)$"
    ):
        SEEDED[name](seed=1, generator=torch.Generator())


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_a_seed_that_is_not_an_integer_and_a_generator_that_is_not_one_raise(name):
    with pytest.raises(TypeError, match=r"^Invalid seed: 1\.5 \(must be an integer\)$"):
        SEEDED[name](seed=1.5)
    with pytest.raises(TypeError, match=r"^Invalid generator: 0 \(must be a torch\.Generator or None\)$"):
        SEEDED[name](generator=0)


def _check_classification(X, y, m, n):
    assert X.shape == (m, n) and X.dtype == torch.get_default_dtype()
    assert y.shape == (m,) and y.dtype == torch.int64


@pytest.mark.parametrize("t", [None, 1, 4])
def test_linear_data_follows_its_model(t):
    X, y, W = data.linear_data(500, 4, noise=0.0, bias=-1.5, t=t, seed=1)
    shape = () if t is None else (t,)
    assert X.shape == (500, 4) and y.shape == (500, *shape) and W.shape == (5, *shape)
    assert X.dtype == y.dtype == W.dtype == torch.float32
    torch.testing.assert_close(X @ W[:4] + W[4], y)
    assert (W[4] == -1.5).all()


def test_linear_data_noise_has_the_given_std():
    X, y, W = data.linear_data(20000, 2, noise=0.5, seed=2)
    residual = (y - X @ W[:2] - W[2]).numpy()
    assert residual.std() == pytest.approx(0.5, rel=0.03)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_noisy_sine_follows_its_model(dtype):
    x, y = data.noisy_sine(20_000, noise=0.3, dtype=dtype, seed=1)
    assert x.shape == y.shape == (20_000,) and x.dtype == y.dtype == dtype
    assert -1 <= x.min() < -0.99 and 0.99 < x.max() <= 1
    assert abs(x.mean().item()) < 0.02 and x.var().item() == pytest.approx(1 / 3, rel=0.03)  # uniform on [-1, 1]
    residual = y - torch.sin(math.pi * x)
    assert abs(residual.mean().item()) < 0.01 and residual.std().item() == pytest.approx(0.3, rel=0.02)


def test_noisy_sine_jitter_moves_each_grid_point_by_at_most_half_of_it():
    m, jitter = 12, 0.1
    x, y = data.noisy_sine(m, noise=0.0, jitter=jitter, dtype=torch.float64, seed=2)
    shift = x - torch.linspace(-1, 1, m, dtype=torch.float64)
    assert shift.abs().max() <= jitter / 2 and shift.abs().max() > jitter / 4
    torch.testing.assert_close(y, torch.sin(math.pi * x))
    assert torch.equal(data.noisy_sine(m, noise=0.0, jitter=0.0)[0], torch.linspace(-1, 1, m))


def test_xor_four_points_and_clouds():
    X, y = data.xor()
    torch.testing.assert_close(X, torch.tensor([[0.0, 0], [0, 1], [1, 0], [1, 1]]))
    torch.testing.assert_close(y, torch.tensor([0, 1, 1, 0]))
    X, y = data.xor(400, noise=0.1, seed=0)
    _check_classification(X, y, 400, 2)
    assert y.bincount().tolist() == [200, 200]
    # each point stays near its corner, whose XOR is its label
    corner = X.round().clamp(0, 1).long()
    assert ((corner[:, 0] ^ corner[:, 1]) == y).float().mean() > 0.99


def test_two_moons_matches_make_moons_geometry():
    X, y = data.two_moons(201, noise=0.0)
    _check_classification(X, y, 201, 2)
    assert y.bincount().tolist() == [100, 101]
    outer, inner = X[y == 0], X[y == 1]
    torch.testing.assert_close(outer.norm(dim=1), torch.ones(100))  # unit half circle
    torch.testing.assert_close((inner - torch.tensor([1.0, 0.5])).norm(dim=1), torch.ones(101))
    assert (outer[:, 1] >= -1e-6).all() and (inner[:, 1] <= 0.5 + 1e-6).all()


def test_two_moons_in_float64_lie_on_the_circles_to_float64_precision():
    X, y = data.two_moons(201, noise=0.0, dtype=torch.float64)
    assert X.dtype == torch.float64
    outer, inner = X[y == 0], X[y == 1]
    one = torch.ones((), dtype=torch.float64)
    torch.testing.assert_close(outer.norm(dim=1), one.expand(100), atol=1e-15, rtol=0)
    torch.testing.assert_close(
        (inner - torch.tensor([1.0, 0.5], dtype=torch.float64)).norm(dim=1), one.expand(101), atol=1e-15, rtol=0
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda dtype: data.two_moons(50, noise=0.3, dtype=dtype, seed=3),
        lambda dtype: data.blobs(60, centers=3, std=0.8, dtype=dtype, seed=3),
        lambda dtype: data.blobs(60, centers=torch.tensor([[-1.5, 0.0], [1.5, 1.0]]), std=0.8, dtype=dtype, seed=1),
        lambda dtype: data.spirals(90, classes=3, noise=0.2, dtype=dtype, seed=2),
        lambda dtype: data.xor(40, noise=0.1, dtype=dtype, seed=2),
        lambda dtype: data.imbalanced_binary(200, ratio=0.1, n_features=3, dtype=dtype, seed=2),
        lambda dtype: data.linear_data(30, 4, noise=0.5, bias=1.5, t=2, dtype=dtype, seed=2),
    ],
    ids=[
        "two_moons",
        "blobs, drawn centres",
        "blobs, given centres",
        "spirals",
        "xor",
        "imbalanced_binary",
        "linear_data",
    ],
)
def test_dtype_draws_the_same_points_as_that_default_dtype(make):
    """``dtype=torch.float64`` is what the generator gives with float64 as torch's default, without changing it."""
    explicit = make(torch.float64)
    assert explicit[0].dtype == torch.float64 and torch.get_default_dtype() == torch.float32
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        by_default = make(None)
    finally:
        torch.set_default_dtype(previous)
    assert all(torch.equal(a, b) and a.dtype == b.dtype for a, b in zip(explicit, by_default, strict=True))
    # (float32 draws are other points: a float64 normal consumes the generator differently)
    assert make(None)[0].dtype == torch.float32


@pytest.mark.parametrize("n,classes", [(300, 3), (101, 4), (10, 2)])
def test_spirals_shapes_and_balance(n, classes):
    X, y = data.spirals(n, classes)
    _check_classification(X, y, n, 2)
    counts = y.bincount(minlength=classes)
    assert counts.sum() == n and counts.max() - counts.min() <= 1
    assert (X.norm(dim=1) <= 1 + 1e-6).all()


def test_blobs_given_centres_and_std():
    centres = torch.tensor([[0.0, 0.0, 0.0], [10.0, 0.0, 0.0], [0.0, 10.0, 10.0]])
    X, y = data.blobs(3000, centers=centres, std=0.5, seed=5)
    _check_classification(X, y, 3000, 3)
    assert y.bincount().tolist() == [1000, 1000, 1000]
    for j in range(3):
        torch.testing.assert_close(X[y == j].mean(0), centres[j], atol=0.06, rtol=0)
        assert (X[y == j] - centres[j]).std().item() == pytest.approx(0.5, rel=0.05)


def test_blobs_drawn_centres_lie_in_the_box():
    X, y = data.blobs(100, centers=4, std=0.0, n_features=5, box=(2.0, 3.0))
    _check_classification(X, y, 100, 5)
    assert y.bincount().tolist() == [25, 25, 25, 25]
    assert ((X >= 2) & (X <= 3)).all()
    assert len(torch.unique(X, dim=0)) == 4


@pytest.mark.parametrize("n,ratio", [(1000, 0.1), (333, 0.05), (50, 0.5)])
def test_imbalanced_binary_has_the_ratio(n, ratio):
    X, y = data.imbalanced_binary(n, ratio=ratio, n_features=3, separation=4.0)
    _check_classification(X, y, n, 3)
    assert int(y.sum()) == round(ratio * n)
    gap = X[y == 1].mean(0) - X[y == 0].mean(0)
    assert gap.norm().item() == pytest.approx(4.0, rel=0.25)


def test_digits_shape_range_and_labels_match_sklearn():
    X, y = data.digits()
    assert X.shape == (1797, 64) and X.dtype == torch.float32
    assert y.shape == (1797,) and y.dtype == torch.int64
    assert X.min() == 0.0 and X.max() == 1.0
    bunch = load_digits()
    torch.testing.assert_close(X, torch.from_numpy(bunch.data / 16.0).float())
    assert y.tolist() == bunch.target.tolist()
    assert sorted(set(y.tolist())) == list(range(10))


@pytest.mark.parametrize("m", [10, 57, 100])
@pytest.mark.parametrize("proportions", [(0.6, 0.2, 0.2), (0.7, 0.15, 0.15), (0.8, 0.0, 0.2)])
def test_train_val_test_split_partitions_the_rows(m, proportions):
    X, y = torch.arange(2 * m).reshape(m, 2), torch.arange(m)
    X_tr, X_va, X_te, y_tr, y_va, y_te = data.train_val_test_split(X, y, proportions=proportions, seed=1)
    assert (len(y_tr), len(y_va)) == (math.floor(proportions[0] * m + 1e-9), math.floor(proportions[1] * m + 1e-9))
    assert len(y_tr) + len(y_va) + len(y_te) == m
    assert sorted(torch.cat([y_tr, y_va, y_te]).tolist()) == list(range(m))
    for Xp, yp in [(X_tr, y_tr), (X_va, y_va), (X_te, y_te)]:
        torch.testing.assert_close(Xp[:, 0], 2 * yp)  # rows stay together
    assert not torch.equal(torch.cat([y_tr, y_va, y_te]), y)  # shuffled


# ---------------------------------------------------------------- input checks


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: data.linear_data(0, 2), ValueError, "Invalid m value: 0 (must be >= 1)"),
        (lambda: data.linear_data(5.0, 2), TypeError, "Invalid m: 5.0 (must be an integer)"),
        (lambda: data.linear_data(5, True), TypeError, "Invalid n: True (must be an integer)"),
        (lambda: data.linear_data(5, 2, t=0), ValueError, "Invalid t value: 0 (must be >= 1)"),
        (lambda: data.linear_data(5, 2, noise=-1.0), ValueError, "Invalid noise value: -1.0 (must be >= 0)"),
        (lambda: data.linear_data(5, 2, noise=math.nan), ValueError, "Invalid noise value: nan (must be finite)"),
        (lambda: data.linear_data(5, 2, bias="1"), TypeError, "Invalid bias: '1' (must be a real number)"),
        (lambda: data.noisy_sine(0), ValueError, "Invalid m value: 0 (must be >= 1)"),
        (lambda: data.noisy_sine(5, noise=-0.1), ValueError, "Invalid noise value: -0.1 (must be >= 0)"),
        (lambda: data.noisy_sine(5, jitter=-1.0), ValueError, "Invalid jitter value: -1.0 (must be >= 0)"),
        (lambda: data.xor(6), ValueError, "Invalid n value: 6 (must be a multiple of 4)"),
        (lambda: data.xor(0), ValueError, "Invalid n value: 0 (must be >= 4)"),
        (lambda: data.xor(4, noise=True), TypeError, "Invalid noise: True (must be a real number)"),
        (lambda: data.two_moons(1), ValueError, "Invalid n value: 1 (must be >= 2)"),
        (lambda: data.spirals(2, classes=3), ValueError, "Invalid n value: 2 (must be >= classes = 3)"),
        (lambda: data.spirals(10, classes=0), ValueError, "Invalid classes value: 0 (must be >= 1)"),
        (lambda: data.blobs(10, std=-1.0), ValueError, "Invalid std value: -1.0 (must be >= 0)"),
        (lambda: data.blobs(10, centers=0), ValueError, "Invalid centers value: 0 (must be >= 1)"),
        (lambda: data.blobs(10, centers=2.5), TypeError, "Invalid centers: 2.5 (must be an integer)"),
        (
            lambda: data.blobs(10, centers=torch.zeros(3)),
            ValueError,
            "Invalid centers shape: (3,) (must be (k, n_features) with k >= 1)",
        ),
        (lambda: data.imbalanced_binary(10, ratio=1.0), ValueError, "Invalid ratio value: 1.0 (must be in (0, 1))"),
        (lambda: data.train_val_test_split(), ValueError, "Invalid tensors: none given (must be at least one)"),
        (
            lambda: data.train_val_test_split(torch.zeros(3), torch.zeros(4)),
            ValueError,
            "Invalid tensors shape: lengths [3, 4] (must all be the same)",
        ),
        (
            lambda: data.train_val_test_split([1, 2, 3]),
            TypeError,
            "Invalid tensors[0]: [1, 2, 3] (must be a torch.Tensor)",
        ),
        (
            lambda: data.train_val_test_split(torch.zeros(3), proportions=(0.5, 0.5, 0.5)),
            ValueError,
            "Invalid proportions value: (0.5, 0.5, 0.5) (must be three numbers >= 0 that sum to 1)",
        ),
    ],
)
def test_bad_arguments_raise(call, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        call()


def test_generators_do_not_touch_the_global_rng():
    torch.manual_seed(0)
    before = torch.rand(3)
    torch.manual_seed(0)
    data.blobs(50)
    data.two_moons(50)
    torch.testing.assert_close(torch.rand(3), before)


# --- noisy_sine_split: the two sets redrawn here by hand, from one generator, in the documented order -------------


def test_noisy_sine_split_draws_the_training_grid_then_the_validation_points():
    x_train, y_train, x_val, y_val = data.noisy_sine_split(12, 200, 0.3, dtype=torch.float64, seed=5)
    g = torch.Generator().manual_seed(5)
    u = torch.rand(12, generator=g, dtype=torch.float64)
    expected_x_train = torch.linspace(-1, 1, 12, dtype=torch.float64) + 0.1 * (u - 0.5)
    expected_y_train = torch.sin(torch.pi * expected_x_train) + 0.3 * torch.randn(12, generator=g, dtype=torch.float64)
    expected_x_val = 2 * torch.rand(200, generator=g, dtype=torch.float64) - 1
    expected_y_val = torch.sin(torch.pi * expected_x_val) + 0.3 * torch.randn(200, generator=g, dtype=torch.float64)
    expected = (expected_x_train, expected_y_train, expected_x_val, expected_y_val)
    for got, want in zip((x_train, y_train, x_val, y_val), expected, strict=True):
        torch.testing.assert_close(got, want, rtol=0, atol=0)


def test_noisy_sine_split_defaults_and_shared_generator():
    x_train, y_train, x_val, y_val = data.noisy_sine_split()
    assert [t.shape for t in (x_train, y_train, x_val, y_val)] == [(12,), (12,), (200,), (200,)]
    assert x_train.dtype == torch.get_default_dtype()
    g = torch.Generator().manual_seed(0)
    data.noisy_sine_split(generator=g)
    # the generator has advanced past both sets: by the four draws the split makes, in its order
    h = torch.Generator().manual_seed(0)
    for draw, m in [(torch.rand, 12), (torch.randn, 12), (torch.rand, 200), (torch.randn, 200)]:
        draw(m, generator=h)
    torch.testing.assert_close(torch.rand(1, generator=g), torch.rand(1, generator=h))


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"m_train": 0}, ValueError, "Invalid m value: 0 (must be >= 1)"),
        ({"noise": -0.1}, ValueError, "Invalid noise value: -0.1 (must be >= 0)"),
        ({"jitter": -1.0}, ValueError, "Invalid jitter value: -1.0 (must be >= 0)"),
        ({"jitter": None}, TypeError, "Invalid jitter: None (must be a real number)"),
    ],
)
def test_noisy_sine_split_refuses_bad_arguments(change, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        data.noisy_sine_split(**change)


# --- the named data sets of chapters 14 and 16 ------------------------------------------------------------------------


def test_six_blobs_lie_around_the_six_centres_the_chapter_draws():
    centres = torch.tensor([[-6.0, 0.0], [-2.0, 5.0], [2.0, 0.0], [6.0, 5.0], [6.0, -4.0], [-2.0, -5.0]])
    X, y = data.six_blobs(6000, std=1.0, dtype=torch.float64, seed=2)
    assert X.shape == (6000, 2) and y.bincount().tolist() == [1000] * 6
    for j, centre in enumerate(centres):
        points = X[y == j]
        assert (points.mean(dim=0) - centre.double()).abs().max() < 4 / math.sqrt(1000)  # 4 standard errors
        assert points.std(dim=0).sub(1.0).abs().max() < 0.1
    # the same draw as blobs around those centres: six_blobs only names the data set
    for a, b in zip(data.six_blobs(seed=3), data.blobs(600, centers=centres, std=1.0, seed=3), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)


def test_imbalanced_train_test_is_two_independent_draws():
    X_train, y_train, X_test, y_test = data.imbalanced_train_test(500, ratio=0.1, separation=3.0, seeds=(4, 9))
    for (X, y), seed in [((X_train, y_train), 4), ((X_test, y_test), 9)]:
        X_alone, y_alone = data.imbalanced_binary(500, ratio=0.1, separation=3.0, seed=seed)
        torch.testing.assert_close(X, X_alone, rtol=0, atol=0)
        assert torch.equal(y, y_alone) and int(y.sum()) == 50
    assert not torch.isin(X_test[:, 0], X_train[:, 0]).any()  # no test point is a training point


@pytest.mark.parametrize(
    ("seeds", "error", "message"),
    [
        ((0, 0), ValueError, "Invalid seeds value: (0, 0) (must differ: the test set would repeat the training set)"),
        ([0, 1], TypeError, "Invalid seeds: [0, 1] (must be a pair of integers)"),
        ((0, 1.5), TypeError, "Invalid seeds: 1.5 (must be an integer)"),
    ],
)
def test_imbalanced_train_test_refuses_bad_seeds(seeds, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        data.imbalanced_train_test(seeds=seeds)
