r"""Small data sets for the book's examples: generated, or shipped with scikit-learn.

Nothing is downloaded. Every generator is seeded: pass ``seed`` (an ``int``,
default 0, so a figure is the same at every build) or a ``generator`` (a
``torch.Generator``, whose state then advances), not both. Inputs are float
tensors of torch's default dtype, labels int64 tensors.

Notation: $m$ examples, $n$ features; $X$ is $m \times n$.
"""

import math

import torch
from torch import Tensor

from lessonlib._checks import check_integer, check_real, check_seed_or_generator, check_tensor


def _generator(seed: int | None, generator: torch.Generator | None) -> torch.Generator:
    """The generator to draw from: ``generator``, or a fresh one seeded with ``seed`` (default 0)."""
    check_seed_or_generator(seed, generator)
    if generator is not None:
        return generator
    return torch.Generator().manual_seed(0 if seed is None else seed)


def _shuffle(X: Tensor, y: Tensor, g: torch.Generator) -> tuple[Tensor, Tensor]:
    order = torch.randperm(len(y), generator=g)
    return X[order], y[order]


def linear_data(
    m: int,
    n: int,
    noise: float = 0.1,
    *,
    bias: float = 0.0,
    t: int | None = None,
    dtype: torch.dtype | None = None,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[Tensor, Tensor, Tensor]:
    r"""Data from a known linear model plus Gaussian noise.

    $$
    X_{ij} \sim \mathcal{N}(0, 1), \qquad W_{jk} \sim \mathcal{N}(0, 1),
    \qquad Y = X W + b + \sigma \varepsilon, \qquad \varepsilon_{ik} \sim \mathcal{N}(0, 1)
    $$

    Args:
        m: The number of examples.
        n: The number of features.
        noise: $\sigma \ge 0$, the standard deviation of the noise.
        bias: $b$, added to every target.
        t: The number of targets; ``None`` gives a 1-D ``y`` (one target).
        dtype: The dtype the points are computed in (default: torch's default dtype).
        seed: Seed for a fresh generator (default 0).
        generator: A ``torch.Generator`` to draw from instead.

    Returns:
        ``(X, y, W_true)``: ``X`` of shape ``(m, n)``; ``y`` of shape ``(m,)``
            (or ``(m, t)``); and the true weights with the bias absorbed as the
            last row, $\tilde W = [W;\, b]$, of shape ``(n + 1,)`` (or
            ``(n + 1, t)``), which is what ``lessonlib.linear``'s ``fit_*``
            functions estimate.

    Raises:
        TypeError: ``m``, ``n``, ``t`` or ``seed`` is not an integer, ``noise``
            or ``bias`` not a real number, or ``generator`` not a
            ``torch.Generator``.
        ValueError: ``m``, ``n`` or ``t`` is less than 1, ``noise`` is
            negative, or both ``seed`` and ``generator`` are given.

    Examples:
        >>> X, y, W_true = linear_data(100, 3, noise=0.0, bias=2.0)
        >>> X.shape, y.shape, W_true.shape
        (torch.Size([100, 3]), torch.Size([100]), torch.Size([4]))
        >>> torch.allclose(X @ W_true[:3] + W_true[3], y)
        True
    """
    check_integer("m", m, minimum=1)
    check_integer("n", n, minimum=1)
    if t is not None:
        check_integer("t", t, minimum=1)
    check_real("noise", noise, at_least=0)
    check_real("bias", bias)
    g = _generator(seed, generator)
    targets: tuple[int, ...] = () if t is None else (t,)
    X = torch.randn(m, n, generator=g, dtype=dtype)
    W = torch.randn(n, *targets, generator=g, dtype=dtype)
    y = X @ W + bias + noise * torch.randn(m, *targets, generator=g, dtype=dtype)
    W_true = torch.cat([W, torch.full((1, *targets), float(bias), dtype=W.dtype)])
    return X, y, W_true


def noisy_sine(
    m: int,
    noise: float = 0.3,
    *,
    jitter: float | None = None,
    dtype: torch.dtype | None = None,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[Tensor, Tensor]:
    r"""Points on $[-1, 1]$ from a sine curve plus Gaussian noise, for fitting curves.

    $$
    y_i = \sin(\pi x_i) + \sigma \varepsilon_i, \qquad \varepsilon_i \sim \mathcal{N}(0, 1)
    $$

    The inputs are drawn uniformly from $[-1, 1]$, or, with ``jitter``, placed
    on an even grid of $m$ points from $-1$ to $1$ and each moved by a uniform
    amount in $[-\text{jitter}/2, \text{jitter}/2]$: a small training set that
    still covers the interval.

    Args:
        m: The number of points.
        noise: $\sigma \ge 0$, the standard deviation of the noise.
        jitter: ``None`` for uniform inputs, or the width of the uniform
            shift of each grid point.
        dtype: The dtype of ``x`` and ``y`` (default: torch's default dtype);
            the draws are made in it.
        seed: Seed for a fresh generator (default 0).
        generator: A ``torch.Generator`` to draw from instead.

    Returns:
        ``(x, y)``, both of shape ``(m,)``: the inputs (sorted when ``jitter``
            is at most the grid spacing) and the noisy targets.

    Raises:
        TypeError: ``m`` is not an integer, or ``noise`` or ``jitter`` not a
            real number.
        ValueError: ``m`` is less than 1, or ``noise`` or ``jitter`` is
            negative.

    Examples:
        >>> x, y = noisy_sine(5, noise=0.0, jitter=0.0)
        >>> x
        tensor([-1.0000, -0.5000,  0.0000,  0.5000,  1.0000])
        >>> torch.equal(y, torch.sin(torch.pi * x))
        True
    """
    check_integer("m", m, minimum=1)
    check_real("noise", noise, at_least=0)
    if jitter is not None:
        check_real("jitter", jitter, at_least=0)
    g = _generator(seed, generator)
    dtype = torch.get_default_dtype() if dtype is None else dtype
    if jitter is None:
        x = 2 * torch.rand(m, generator=g, dtype=dtype) - 1
    else:
        x = torch.linspace(-1, 1, m, dtype=dtype) + jitter * (torch.rand(m, generator=g, dtype=dtype) - 0.5)
    y = torch.sin(torch.pi * x) + noise * torch.randn(m, generator=g, dtype=dtype)
    return x, y


def noisy_sine_split(
    m_train: int = 12,
    m_val: int = 200,
    noise: float = 0.3,
    *,
    jitter: float = 0.1,
    dtype: torch.dtype | None = None,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    r"""A curve-fitting problem: a small training set on a grid and a large validation set, from one sine.

    Both sets are `noisy_sine` points, $y = \sin(\pi x) + \sigma \varepsilon$,
    drawn one after the other from one generator: first the training set,
    $m_{	ext{train}}$ points on an even grid of $[-1, 1]$ each moved by up to
    ``jitter``/2, then the validation set, $m_{	ext{val}}$ uniform points.
    The defaults are the data of the overfitting examples (chapter 12).

    Args:
        m_train: The number of training points.
        m_val: The number of validation points.
        noise: $\sigma \ge 0$, the standard deviation of the noise.
        jitter: The width of the uniform shift of each training grid point.
        dtype: The dtype of every tensor (default: torch's default dtype);
            the draws are made in it.
        seed: Seed for a fresh generator (default 0).
        generator: A ``torch.Generator`` to draw from instead.

    Returns:
        ``(x_train, y_train, x_val, y_val)``, of shapes ``(m_train,)`` and
            ``(m_val,)``.

    Raises:
        TypeError: ``m_train`` or ``m_val`` is not an integer, ``noise`` or
            ``jitter`` not a real number.
        ValueError: ``m_train`` or ``m_val`` is less than 1, ``noise`` or
            ``jitter`` is negative, or both ``seed`` and ``generator`` are
            given.

    Examples:
        >>> x_train, y_train, x_val, y_val = noisy_sine_split(dtype=torch.float64)
        >>> x_train.shape, x_val.shape
        (torch.Size([12]), torch.Size([200]))
        >>> bool((x_train.diff() > 0).all()), bool((x_val.abs() <= 1).all())
        (True, True)
    """
    check_real("jitter", jitter, at_least=0)
    g = _generator(seed, generator)
    x_train, y_train = noisy_sine(m_train, noise, jitter=jitter, dtype=dtype, generator=g)
    x_val, y_val = noisy_sine(m_val, noise, dtype=dtype, generator=g)
    return x_train, y_train, x_val, y_val


def xor(
    n: int = 4,
    noise: float = 0.0,
    *,
    dtype: torch.dtype | None = None,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[Tensor, Tensor]:
    r"""The XOR problem: label 1 where exactly one coordinate is 1.

    With ``n=4`` and no noise, the four corners of the unit square; otherwise
    $n/4$ points at each corner, moved by Gaussian noise of standard deviation
    ``noise``. No line separates the classes.

    $$
    y = x_1 \oplus x_2, \qquad x \in \{0, 1\}^2
    $$

    Args:
        n: The number of points, a multiple of 4.
        noise: The standard deviation of the noise added to each corner.
        dtype: The dtype the points are computed in (default: torch's default dtype).
        seed: Seed for a fresh generator (default 0); used only with noise.
        generator: A ``torch.Generator`` to draw from instead.

    Returns:
        ``(X, y)``: ``X`` of shape ``(n, 2)``, ``y`` of shape ``(n,)``; the
            points come corner by corner, in the order $(0,0), (0,1), (1,0), (1,1)$.

    Raises:
        TypeError: ``n`` is not an integer, or ``noise`` not a real number.
        ValueError: ``n`` is not a positive multiple of 4, or ``noise`` is
            negative.

    Examples:
        >>> X, y = xor()
        >>> X
        tensor([[0., 0.],
                [0., 1.],
                [1., 0.],
                [1., 1.]])
        >>> y
        tensor([0, 1, 1, 0])
    """
    if check_integer("n", n, minimum=4) % 4:
        raise ValueError(f"Invalid n value: {n} (must be a multiple of 4)")
    check_real("noise", noise, at_least=0)
    g = _generator(seed, generator)
    corners = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=dtype)
    labels = torch.tensor([0, 1, 1, 0])
    X = corners.repeat_interleave(n // 4, dim=0)
    y = labels.repeat_interleave(n // 4)
    if noise > 0:
        X = X + noise * torch.randn(X.shape, generator=g, dtype=X.dtype)
    return X, y


def two_moons(
    n: int = 100,
    noise: float = 0.1,
    *,
    dtype: torch.dtype | None = None,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[Tensor, Tensor]:
    r"""Two interleaving half circles, as ``sklearn.datasets.make_moons``.

    $$
    \text{class 0: } (\cos\theta, \sin\theta), \qquad
    \text{class 1: } (1 - \cos\theta,\ \tfrac12 - \sin\theta), \qquad
    \theta \in [0, \pi]
    $$

    with $\theta$ evenly spaced and Gaussian noise of standard deviation
    ``noise`` added.

    Args:
        n: The number of points; class 0 gets $\lfloor n/2 \rfloor$.
        noise: The standard deviation of the noise.
        dtype: The dtype ``X`` is computed in (default: torch's default dtype).
        seed: Seed for a fresh generator (default 0).
        generator: A ``torch.Generator`` to draw from instead.

    Returns:
        ``(X, y)``: ``X`` of shape ``(n, 2)``, ``y`` of shape ``(n,)``, shuffled.

    Raises:
        TypeError: ``n`` is not an integer, or ``noise`` not a real number.
        ValueError: ``n`` is less than 2, or ``noise`` is negative.

    Examples:
        >>> X, y = two_moons(200, noise=0.05, seed=1)
        >>> X.shape, y.bincount()
        (torch.Size([200, 2]), tensor([100, 100]))
    """
    check_integer("n", n, minimum=2)
    check_real("noise", noise, at_least=0)
    g = _generator(seed, generator)
    n0, n1 = n // 2, n - n // 2
    dtype = torch.get_default_dtype() if dtype is None else dtype
    theta0, theta1 = torch.linspace(0, math.pi, n0, dtype=dtype), torch.linspace(0, math.pi, n1, dtype=dtype)
    outer = torch.stack([theta0.cos(), theta0.sin()], dim=1)
    inner = torch.stack([1 - theta1.cos(), 0.5 - theta1.sin()], dim=1)
    X = torch.cat([outer, inner]) + noise * torch.randn(n, 2, generator=g, dtype=dtype)
    y = torch.cat([torch.zeros(n0, dtype=torch.int64), torch.ones(n1, dtype=torch.int64)])
    return _shuffle(X, y, g)


def spirals(
    n: int = 300,
    classes: int = 3,
    noise: float = 0.2,
    *,
    dtype: torch.dtype | None = None,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[Tensor, Tensor]:
    r"""Interleaved spiral arms, one per class (the CS231n toy data set).

    Point $i$ of class $c$, with $r_i$ evenly spaced in $[0, 1]$:

    $$
    \theta_i = 4c + 4 r_i + \sigma \varepsilon_i, \qquad
    x_i = r_i\,(\sin\theta_i,\ \cos\theta_i)
    $$

    Args:
        n: The total number of points, split as evenly as possible (the first
            ``n % classes`` classes get one more).
        classes: The number of arms.
        noise: $\sigma$, the standard deviation of the angular noise.
        dtype: The dtype the points are computed in (default: torch's default dtype).
        seed: Seed for a fresh generator (default 0).
        generator: A ``torch.Generator`` to draw from instead.

    Returns:
        ``(X, y)``: ``X`` of shape ``(n, 2)`` inside the unit disc, ``y`` of
            shape ``(n,)``, shuffled.

    Raises:
        TypeError: ``n`` or ``classes`` is not an integer, or ``noise`` not a
            real number.
        ValueError: ``classes`` is less than 1, ``n < classes``, or ``noise``
            is negative.

    Examples:
        >>> X, y = spirals(100, classes=3)
        >>> X.shape, y.bincount()
        (torch.Size([100, 2]), tensor([34, 33, 33]))

    References:
        A. Karpathy, CS231n notes, "Putting it together: minimal neural
        network case study", https://cs231n.github.io/neural-networks-case-study/
    """
    check_integer("classes", classes, minimum=1)
    if check_integer("n", n) < classes:
        raise ValueError(f"Invalid n value: {n} (must be >= classes = {classes})")
    check_real("noise", noise, at_least=0)
    g = _generator(seed, generator)
    Xs: list[Tensor] = []
    ys: list[Tensor] = []
    for c in range(classes):
        m_c = n // classes + (c < n % classes)
        r = torch.linspace(0, 1, m_c, dtype=dtype)
        theta = 4 * c + 4 * r + noise * torch.randn(m_c, generator=g, dtype=r.dtype)
        Xs.append(r[:, None] * torch.stack([theta.sin(), theta.cos()], dim=1))
        ys.append(torch.full((m_c,), c, dtype=torch.int64))
    return _shuffle(torch.cat(Xs), torch.cat(ys), g)


def blobs(
    n: int = 100,
    centers: int | Tensor = 3,
    std: float = 1.0,
    *,
    n_features: int = 2,
    box: tuple[float, float] = (-10.0, 10.0),
    dtype: torch.dtype | None = None,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[Tensor, Tensor]:
    r"""Gaussian blobs around centres, as ``sklearn.datasets.make_blobs``.

    $$
    x_i \sim \mathcal{N}(\mu_{y_i},\ \sigma^2 I)
    $$

    Args:
        n: The total number of points, split as evenly as possible.
        centers: The number of blobs (centres drawn uniformly in ``box``), or
            the centres themselves, a tensor of shape ``(k, n_features)``.
        std: $\sigma$, the standard deviation of every blob.
        n_features: The dimension, when ``centers`` is a number.
        box: The range ``(low, high)`` of each coordinate of a drawn centre.
        dtype: The dtype ``X`` is computed in (default: torch's default dtype).
        seed: Seed for a fresh generator (default 0).
        generator: A ``torch.Generator`` to draw from instead.

    Returns:
        ``(X, y)``: ``X`` of shape ``(n, n_features)``, ``y`` of shape ``(n,)``
            giving the blob of each point, shuffled.

    Raises:
        TypeError: ``n`` or ``n_features`` is not an integer, ``centers`` is
            neither an integer nor a tensor, or ``std`` is not a real number.
        ValueError: ``n``, ``n_features`` or the number of centres is less
            than 1, or ``std`` is negative.

    Examples:
        >>> X, y = blobs(90, centers=torch.tensor([[0.0, 0.0], [5.0, 5.0], [0.0, 5.0]]), std=0.5)
        >>> X.shape, y.bincount()
        (torch.Size([90, 2]), tensor([30, 30, 30]))
    """
    check_integer("n", n, minimum=1)
    check_real("std", std, at_least=0)
    g = _generator(seed, generator)
    dtype = torch.get_default_dtype() if dtype is None else dtype
    if not isinstance(centers, Tensor):
        k = check_integer("centers", centers, minimum=1)
        check_integer("n_features", n_features, minimum=1)
        low, high = box
        centers = low + (high - low) * torch.rand(k, n_features, generator=g, dtype=dtype)
    centers = centers.to(dtype)
    if centers.ndim != 2 or len(centers) == 0:
        raise ValueError(f"Invalid centers shape: {tuple(centers.shape)} (must be (k, n_features) with k >= 1)")
    k = len(centers)
    counts = [n // k + (j < n % k) for j in range(k)]
    y = torch.repeat_interleave(torch.arange(k), torch.tensor(counts))
    X = centers[y] + std * torch.randn(n, centers.shape[1], generator=g, dtype=dtype)
    return _shuffle(X, y, g)


SIX_CENTRES = ((-6.0, 0.0), (-2.0, 5.0), (2.0, 0.0), (6.0, 5.0), (6.0, -4.0), (-2.0, -5.0))


def six_blobs(
    n: int = 600,
    std: float = 1.0,
    *,
    dtype: torch.dtype | None = None,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[Tensor, Tensor]:
    r"""Six round blobs at fixed centres, the clustering data of chapter 16: `blobs` around `SIX_CENTRES`.

    The centres, $(-6, 0), (-2, 5), (2, 0), (6, 5), (6, -4), (-2, -5)$, lie
    5.7 to 6.4 apart from their nearest neighbours, about six standard
    deviations at the default ``std``: the blobs are distinct, so $k = 6$ is
    the right answer, yet $k$-means can stop in a local minimum that splits
    one blob and serves two with one centre.

    Args:
        n: The total number of points, $\lfloor n/6 \rfloor$ or one more per blob.
        std: $\sigma$, the standard deviation of every blob.
        dtype: The dtype ``X`` is computed in (default: torch's default dtype).
        seed: Seed for a fresh generator (default 0).
        generator: A ``torch.Generator`` to draw from instead.

    Returns:
        ``(X, y)``: ``X`` of shape ``(n, 2)``, ``y`` of shape ``(n,)`` giving
            the blob of each point (the index of its centre), shuffled.

    Raises:
        TypeError: ``n`` is not an integer, or ``std`` is not a real number.
        ValueError: ``n`` is less than 1, or ``std`` is negative.

    Examples:
        >>> X, y = six_blobs()
        >>> X.shape, y.bincount().tolist()
        (torch.Size([600, 2]), [100, 100, 100, 100, 100, 100])
    """
    return blobs(n, centers=torch.tensor(SIX_CENTRES), std=std, dtype=dtype, seed=seed, generator=generator)


def imbalanced_binary(
    n: int = 1000,
    ratio: float = 0.1,
    *,
    n_features: int = 2,
    separation: float = 2.0,
    dtype: torch.dtype | None = None,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[Tensor, Tensor]:
    r"""Two overlapping Gaussian classes, the positive one rare.

    $$
    x \mid y{=}0 \sim \mathcal{N}(0, I), \qquad
    x \mid y{=}1 \sim \mathcal{N}(\delta \mathbf{1} / \sqrt{n}, I)
    $$

    so the class means are $\delta$ apart whatever the dimension $n$.

    Args:
        n: The number of points.
        ratio: The fraction of positives, in $(0, 1)$; there are exactly
            $\operatorname{round}(\text{ratio} \cdot n)$ of them.
        n_features: The dimension $n$.
        separation: $\delta$, the distance between the class means.
        dtype: The dtype the points are computed in (default: torch's default dtype).
        seed: Seed for a fresh generator (default 0).
        generator: A ``torch.Generator`` to draw from instead.

    Returns:
        ``(X, y)``: ``X`` of shape ``(n, n_features)``, ``y`` of shape ``(n,)``
            with 1 for the positives, shuffled.

    Raises:
        TypeError: ``n`` or ``n_features`` is not an integer, or ``ratio`` or
            ``separation`` not a real number.
        ValueError: ``n`` or ``n_features`` is less than 1, or ``ratio`` is
            not in $(0, 1)$.

    Examples:
        >>> X, y = imbalanced_binary(1000, ratio=0.05)
        >>> X.shape, int(y.sum())
        (torch.Size([1000, 2]), 50)
    """
    check_integer("n", n, minimum=1)
    check_integer("n_features", n_features, minimum=1)
    check_real("ratio", ratio, above=0, below=1)
    check_real("separation", separation)
    g = _generator(seed, generator)
    n_pos = round(ratio * n)
    y = torch.cat([torch.zeros(n - n_pos, dtype=torch.int64), torch.ones(n_pos, dtype=torch.int64)])
    mean_shift = separation / math.sqrt(n_features)
    X = torch.randn(n, n_features, generator=g, dtype=dtype)
    X = X + mean_shift * y[:, None].to(X.dtype)
    return _shuffle(X, y, g)


def imbalanced_train_test(
    n: int = 2000,
    ratio: float = 0.05,
    *,
    n_features: int = 2,
    separation: float = 2.0,
    dtype: torch.dtype | None = None,
    seeds: tuple[int, int] = (0, 1),
) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    r"""A training set and a test set of `imbalanced_binary`, drawn independently: the data of chapter 14.

    Each set is a fresh draw of ``n`` points from the same two classes (a
    generator seeded with ``seeds[0]`` for the training set, ``seeds[1]`` for
    the test set), so the test set shares no point, and no random number,
    with the training set, and both have exactly
    $\operatorname{round}(\text{ratio} \cdot n)$ positives.

    Args:
        n: The number of points in each set.
        ratio: The fraction of positives, in $(0, 1)$.
        n_features: The dimension $n$.
        separation: $\delta$, the distance between the class means.
        dtype: The dtype the points are computed in (default: torch's default dtype).
        seeds: The seeds of the training draw and of the test draw.

    Returns:
        ``(X_train, y_train, X_test, y_test)``, as `imbalanced_binary` returns
            each set.

    Raises:
        TypeError: ``seeds`` is not a pair of integers, or an argument of
            `imbalanced_binary` has the wrong type.
        ValueError: ``seeds`` are equal (the test set would repeat the
            training set), or an argument of `imbalanced_binary` is out of range.

    Examples:
        >>> X_train, y_train, X_test, y_test = imbalanced_train_test()
        >>> X_train.shape, int(y_train.sum()), int(y_test.sum()), torch.equal(X_train, X_test)
        (torch.Size([2000, 2]), 100, 100, False)
    """
    if not isinstance(seeds, tuple) or len(seeds) != 2:
        raise TypeError(f"Invalid seeds: {seeds!r} (must be a pair of integers)")
    for seed in seeds:
        check_integer("seeds", seed)
    if seeds[0] == seeds[1]:
        raise ValueError(f"Invalid seeds value: {seeds!r} (must differ: the test set would repeat the training set)")
    X_train, y_train, X_test, y_test = (
        t
        for seed in seeds
        for t in imbalanced_binary(n, ratio, n_features=n_features, separation=separation, dtype=dtype, seed=seed)
    )
    return X_train, y_train, X_test, y_test


def digits() -> tuple[Tensor, Tensor]:
    r"""scikit-learn's bundled 8×8 handwritten digits, scaled to $[0, 1]$.

    1797 images of the digits 0-9, each flattened to 64 pixels with values
    $0, \dots, 16$ in the original; here divided by 16. The data ship inside
    scikit-learn, so nothing is downloaded (scikit-learn must be installed).

    Returns:
        ``(X, y)``: ``X`` of shape ``(1797, 64)`` in $[0, 1]$, ``y`` of shape
            ``(1797,)``, int64 in $0, \dots, 9$.

    Examples:
        >>> X, y = digits()
        >>> X.shape, X.min().item(), X.max().item(), y[:5]
        (torch.Size([1797, 64]), 0.0, 1.0, tensor([0, 1, 2, 3, 4]))

    References:
        E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits",
        UCI Machine Learning Repository, 1998, https://doi.org/10.24432/C50P49
    """
    from sklearn.datasets import load_digits  # an optional dependency, only here

    bunch = load_digits()
    X = torch.as_tensor(bunch.data, dtype=torch.get_default_dtype()) / 16.0
    y = torch.as_tensor(bunch.target, dtype=torch.int64)
    return X, y


def train_val_test_split(
    *tensors: Tensor,
    proportions: tuple[float, float, float] = (0.6, 0.2, 0.2),
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[Tensor, ...]:
    r"""Shuffle the rows, then cut them into training, validation and test sets.

    With $m$ rows and proportions $(p_1, p_2, p_3)$, the sets get
    $\lfloor p_1 m \rfloor$, $\lfloor p_2 m \rfloor$ and the remaining rows.

    Args:
        *tensors: Tensors with the same number $m$ of rows (``X``, ``y``, ...),
            cut by the same permutation.
        proportions: Three numbers $\ge 0$ that sum to 1.
        seed: Seed for a fresh generator (default 0).
        generator: A ``torch.Generator`` to draw from instead.

    Returns:
        A flat tuple, three parts per input, in the order
            ``(X_train, X_val, X_test, y_train, y_val, y_test, ...)``.

    Raises:
        TypeError: an input is not a tensor.
        ValueError: no tensors, tensors of different lengths, or bad
            ``proportions``.

    Examples:
        >>> X, y = torch.arange(20.0).reshape(10, 2), torch.arange(10)
        >>> X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X, y)
        >>> len(y_train), len(y_val), len(y_test)
        (6, 2, 2)
        >>> bool((X_train[:, 0] == 2 * y_train).all())
        True

    Note:
        scikit-learn's ``train_test_split`` makes two parts and rounds the test
        part up; this makes three and gives the test part the remainder.
    """
    if not tensors:
        raise ValueError("Invalid tensors: none given (must be at least one)")
    for i, t in enumerate(tensors):
        check_tensor(f"tensors[{i}]", t)
    m = len(tensors[0])
    if any(len(t) != m for t in tensors):
        raise ValueError(f"Invalid tensors shape: lengths {[len(t) for t in tensors]} (must all be the same)")
    if len(proportions) != 3 or min(proportions) < 0 or not math.isclose(sum(proportions), 1.0):
        raise ValueError(f"Invalid proportions value: {proportions!r} (must be three numbers >= 0 that sum to 1)")
    g = _generator(seed, generator)
    order = torch.randperm(m, generator=g)
    # floor, forgiving float error: 0.57 * 100 is 56.99999999999999, not 57
    n_train, n_val = (math.floor(p * m + 1e-9) for p in proportions[:2])
    parts = (order[:n_train], order[n_train : n_train + n_val], order[n_train + n_val :])
    return tuple(t[idx.to(t.device)] for t in tensors for idx in parts)
