r"""Small data sets for the book's examples: generated, or shipped with scikit-learn.

Nothing is downloaded. Every generator is seeded: pass ``seed`` (an ``int``,
default 0, so a figure is the same at every build) or a ``generator`` (a
``torch.Generator``, whose state then advances), not both. Inputs are float
tensors of torch's default dtype, labels int64 tensors.

Notation: $m$ examples, $n$ features; $X$ is $m \times n$.
"""

import math

import torch


def _generator(seed, generator):
    if seed is not None and generator is not None:
        raise ValueError(f"Give seed or generator, not both (seed={seed!r})")
    if generator is not None:
        return generator
    return torch.Generator().manual_seed(0 if seed is None else seed)


def _check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"Invalid {name}: {value!r} (expected an int >= 1)")


def _check_noise(noise):
    if not noise >= 0:
        raise ValueError(f"Invalid noise: {noise!r} (expected a number >= 0)")


def _shuffle(X, y, g):
    order = torch.randperm(len(y), generator=g)
    return X[order], y[order]


def linear_data(m, n, noise=0.1, *, bias=0.0, t=None, dtype=None, seed=None, generator=None):
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
        ValueError: ``m``, ``n`` or ``t`` is not a positive int, ``noise`` is
            negative, or both ``seed`` and ``generator`` are given.

    Examples:
        >>> X, y, W_true = linear_data(100, 3, noise=0.0, bias=2.0)
        >>> X.shape, y.shape, W_true.shape
        (torch.Size([100, 3]), torch.Size([100]), torch.Size([4]))
        >>> torch.allclose(X @ W_true[:3] + W_true[3], y)
        True
    """
    _check_positive_int("m", m)
    _check_positive_int("n", n)
    if t is not None:
        _check_positive_int("t", t)
    _check_noise(noise)
    g = _generator(seed, generator)
    targets = () if t is None else (t,)
    X = torch.randn(m, n, generator=g, dtype=dtype)
    W = torch.randn(n, *targets, generator=g, dtype=dtype)
    y = X @ W + bias + noise * torch.randn(m, *targets, generator=g, dtype=dtype)
    W_true = torch.cat([W, torch.full((1, *targets), float(bias), dtype=W.dtype)])
    return X, y, W_true


def noisy_sine(m, noise=0.3, *, jitter=None, dtype=None, seed=None, generator=None):
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
        ValueError: ``m`` is not a positive int, or ``noise`` or ``jitter``
            is negative.

    Examples:
        >>> x, y = noisy_sine(5, noise=0.0, jitter=0.0)
        >>> x
        tensor([-1.0000, -0.5000,  0.0000,  0.5000,  1.0000])
        >>> torch.equal(y, torch.sin(torch.pi * x))
        True
    """
    _check_positive_int("m", m)
    _check_noise(noise)
    if jitter is not None and not jitter >= 0:
        raise ValueError(f"Invalid jitter: {jitter!r} (expected None or a number >= 0)")
    g = _generator(seed, generator)
    dtype = torch.get_default_dtype() if dtype is None else dtype
    if jitter is None:
        x = 2 * torch.rand(m, generator=g, dtype=dtype) - 1
    else:
        x = torch.linspace(-1, 1, m, dtype=dtype) + jitter * (torch.rand(m, generator=g, dtype=dtype) - 0.5)
    y = torch.sin(torch.pi * x) + noise * torch.randn(m, generator=g, dtype=dtype)
    return x, y


def xor(n=4, noise=0.0, *, dtype=None, seed=None, generator=None):
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
    if isinstance(n, bool) or not isinstance(n, int) or n < 4 or n % 4:
        raise ValueError(f"Invalid n: {n!r} (expected a positive multiple of 4)")
    _check_noise(noise)
    g = _generator(seed, generator)
    corners = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=dtype)
    labels = torch.tensor([0, 1, 1, 0])
    X = corners.repeat_interleave(n // 4, dim=0)
    y = labels.repeat_interleave(n // 4)
    if noise > 0:
        X = X + noise * torch.randn(X.shape, generator=g, dtype=X.dtype)
    return X, y


def two_moons(n=100, noise=0.1, *, dtype=None, seed=None, generator=None):
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
        ValueError: ``n`` is less than 2, or ``noise`` is negative.

    Examples:
        >>> X, y = two_moons(200, noise=0.05, seed=1)
        >>> X.shape, y.bincount()
        (torch.Size([200, 2]), tensor([100, 100]))
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"Invalid n: {n!r} (expected an int >= 2)")
    _check_noise(noise)
    g = _generator(seed, generator)
    n0, n1 = n // 2, n - n // 2
    dtype = torch.get_default_dtype() if dtype is None else dtype
    theta0, theta1 = torch.linspace(0, math.pi, n0, dtype=dtype), torch.linspace(0, math.pi, n1, dtype=dtype)
    outer = torch.stack([theta0.cos(), theta0.sin()], dim=1)
    inner = torch.stack([1 - theta1.cos(), 0.5 - theta1.sin()], dim=1)
    X = torch.cat([outer, inner]) + noise * torch.randn(n, 2, generator=g, dtype=dtype)
    y = torch.cat([torch.zeros(n0, dtype=torch.int64), torch.ones(n1, dtype=torch.int64)])
    return _shuffle(X, y, g)


def spirals(n=300, classes=3, noise=0.2, *, dtype=None, seed=None, generator=None):
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
        ValueError: ``n`` or ``classes`` is not a positive int, ``n < classes``,
            or ``noise`` is negative.

    Examples:
        >>> X, y = spirals(100, classes=3)
        >>> X.shape, y.bincount()
        (torch.Size([100, 2]), tensor([34, 33, 33]))

    References:
        A. Karpathy, CS231n notes, "Putting it together: minimal neural
        network case study", https://cs231n.github.io/neural-networks-case-study/
    """
    _check_positive_int("n", n)
    _check_positive_int("classes", classes)
    if n < classes:
        raise ValueError(f"Invalid n: {n!r} (expected at least classes={classes} points)")
    _check_noise(noise)
    g = _generator(seed, generator)
    Xs, ys = [], []
    for c in range(classes):
        m_c = n // classes + (c < n % classes)
        r = torch.linspace(0, 1, m_c, dtype=dtype)
        theta = 4 * c + 4 * r + noise * torch.randn(m_c, generator=g, dtype=r.dtype)
        Xs.append(r[:, None] * torch.stack([theta.sin(), theta.cos()], dim=1))
        ys.append(torch.full((m_c,), c, dtype=torch.int64))
    return _shuffle(torch.cat(Xs), torch.cat(ys), g)


def blobs(n=100, centers=3, std=1.0, *, n_features=2, box=(-10.0, 10.0), dtype=None, seed=None, generator=None):
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
        ValueError: ``n`` or the number of centres is not a positive int,
            ``centers`` is not 2-D, or ``std`` is negative.

    Examples:
        >>> X, y = blobs(90, centers=torch.tensor([[0.0, 0.0], [5.0, 5.0], [0.0, 5.0]]), std=0.5)
        >>> X.shape, y.bincount()
        (torch.Size([90, 2]), tensor([30, 30, 30]))
    """
    _check_positive_int("n", n)
    if not std >= 0:
        raise ValueError(f"Invalid std: {std!r} (expected a number >= 0)")
    g = _generator(seed, generator)
    dtype = torch.get_default_dtype() if dtype is None else dtype
    if isinstance(centers, int):
        _check_positive_int("centers", centers)
        low, high = box
        centers = low + (high - low) * torch.rand(centers, n_features, generator=g, dtype=dtype)
    centers = torch.as_tensor(centers, dtype=dtype)
    if centers.ndim != 2 or len(centers) == 0:
        raise ValueError(f"centers must have shape (k, n_features), got {tuple(centers.shape)}")
    k = len(centers)
    counts = [n // k + (j < n % k) for j in range(k)]
    y = torch.repeat_interleave(torch.arange(k), torch.tensor(counts))
    X = centers[y] + std * torch.randn(n, centers.shape[1], generator=g, dtype=dtype)
    return _shuffle(X, y, g)


def imbalanced_binary(n=1000, ratio=0.1, *, n_features=2, separation=2.0, dtype=None, seed=None, generator=None):
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
        ValueError: ``n`` is not a positive int, or ``ratio`` is not in
            $(0, 1)$.

    Examples:
        >>> X, y = imbalanced_binary(1000, ratio=0.05)
        >>> X.shape, int(y.sum())
        (torch.Size([1000, 2]), 50)
    """
    _check_positive_int("n", n)
    _check_positive_int("n_features", n_features)
    if not 0 < ratio < 1:
        raise ValueError(f"Invalid ratio: {ratio!r} (expected 0 < ratio < 1)")
    g = _generator(seed, generator)
    n_pos = round(ratio * n)
    y = torch.cat([torch.zeros(n - n_pos, dtype=torch.int64), torch.ones(n_pos, dtype=torch.int64)])
    mean_shift = separation / math.sqrt(n_features)
    X = torch.randn(n, n_features, generator=g, dtype=dtype)
    X = X + mean_shift * y[:, None].to(X.dtype)
    return _shuffle(X, y, g)


def digits():
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


def train_val_test_split(*tensors, proportions=(0.6, 0.2, 0.2), seed=None, generator=None):
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
        raise ValueError("train_val_test_split needs at least one tensor")
    m = len(tensors[0])
    if any(len(t) != m for t in tensors):
        raise ValueError(f"tensors must have the same length, got {[len(t) for t in tensors]}")
    if len(proportions) != 3 or min(proportions) < 0 or not math.isclose(sum(proportions), 1.0):
        raise ValueError(f"Invalid proportions: {proportions!r} (expected three numbers >= 0 summing to 1)")
    g = _generator(seed, generator)
    order = torch.randperm(m, generator=g)
    # floor, forgiving float error: 0.57 * 100 is 56.99999999999999, not 57
    n_train, n_val = (math.floor(p * m + 1e-9) for p in proportions[:2])
    parts = (order[:n_train], order[n_train : n_train + n_val], order[n_train + n_val :])
    return tuple(t[idx.to(t.device)] for t in tensors for idx in parts)
