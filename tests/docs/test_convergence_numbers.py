"""The numbers chapter 8 states, checked against closed forms and plain-float recurrences (not against lessonlib).

The snippets run lessonlib's landscapes and optimizers; here the same quantities are computed independently, from
the formulas the chapter derives or from the update rules written out in plain Python floats.
"""

import math
import re

import pytest

CHAPTER = "snippets/08_convergence"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}").stdout


def _values(built_site, name):
    return built_site.values(f"{CHAPTER}/{name}")


def _f(w):  # ln cosh w + w²/20: μ = 0.1, L = 1.1, minimum 0 at 0
    return math.log(math.cosh(w)) + w * w / 20


def _df(w):
    return math.tanh(w) + w / 10


def test_descent_lemma(built_site):
    out = _output(built_site, "descent_lemma.py")
    values = _values(built_site, "descent_lemma.py")
    mu, L, w0 = 0.1, 1.1, 2.0
    g0 = _df(w0)
    w1 = w0 - g0 / L
    assert values["w0_value"] == pytest.approx(_f(w0), rel=1e-12)
    assert values["promised"] == pytest.approx(g0 * g0 / (2 * L), rel=1e-12)
    assert values["obtained"] == pytest.approx(_f(w0) - _f(w1), rel=1e-12)
    assert values["obtained"] > values["promised"]  # the upper parabola is a worst case
    assert g0 * g0 >= 2 * mu * _f(w0)  # the gradient inequality of strong convexity
    # 40 steps of α = 1/L stay under (1 - μ/L)^t (f(w0) - f*)
    w, worst = w0, 0.0
    for t in range(1, 41):
        w -= _df(w) / L
        worst = max(worst, _f(w) / ((1 - mu / L) ** t * _f(w0)))
    assert values["worst_ratio"] == pytest.approx(worst, rel=1e-9) and worst <= 1
    # on ½(w₁² + 10 w₂²) the ratio of obtained to promised decrease lies in [1, 2 - λ_min/L] = [1, 1.9]
    assert 1 - 1e-12 <= values["bowl_ratio_min"] < 1.01 and 1.89 < values["bowl_ratio_max"] <= 1.9 + 1e-12
    assert re.search(r"between 1\.00\d and 1\.\d{3}$", out, re.M)


def test_smooth_convex_rate(built_site):
    out = _output(built_site, "smooth_convex_rate.py")
    values = _values(built_site, "smooth_convex_rate.py")
    for t in [10, 100, 1000]:
        kappa = 1 / (2 * t + 1)  # the bowl that maximises ½κ(1-κ)^{2t}
        gap = 0.5 * kappa * (1 - kappa) ** (2 * t)  # from w0 = (0, 1) with α = 1/L = 1
        bound = 1 / (2 * t)  # L ‖w0 - w*‖² / (2t)
        assert values[f"ratio_{t}"] == pytest.approx(gap / bound, rel=1e-9)
        assert re.search(rf"^\s*{t}\s+{bound:.6f}\s+{kappa:.6f}\s+{gap:.6f}\s+{gap / bound:.4f}$", out, re.M)
        assert gap <= bound
    # "close to the limit 1/(2e)"
    assert values["ratio_1000"] == pytest.approx(1 / (2 * math.e), rel=1e-3)
    # maximised over κ, the closed form is indeed largest at κ = 1/(2t+1)
    t = 100
    grid = [k / 1e5 for k in range(1, 100_000)]
    best = max(grid, key=lambda k: k * (1 - k) ** (2 * t))
    assert best == pytest.approx(1 / (2 * t + 1), rel=1e-2)


def test_strongly_convex_rate(built_site):
    out = _output(built_site, "strongly_convex_rate.py")
    values = _values(built_site, "strongly_convex_rate.py")
    for kappa in [10, 100]:
        # α = 1/L: w₂ vanishes at step 1 and w₁ shrinks by 1 - 1/κ, so the gap shrinks by its square
        assert values[f"d_rate_{kappa}"] == pytest.approx(1 - 1 / kappa, rel=1e-12)
        assert values[f"f_rate_{kappa}"] == pytest.approx((1 - 1 / kappa) ** 2, rel=1e-12)
        assert values[f"f_rate_{kappa}"] < 1 - 1 / kappa  # the bound holds, and is not tight
        best = (kappa - 1) / (kappa + 1)
        rows = re.findall(rf"^\s*{kappa}\s+(1/L|2/\(μ\+L\))\s+([\d.]+)\s+(\S+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
        assert len(rows) == 2
        for name, f_rate, _, d_rate, q in rows:
            expected = 1 - 1 / kappa if name == "1/L" else best
            assert float(d_rate) == pytest.approx(expected, abs=5e-5) and float(q) == pytest.approx(expected, abs=5e-5)
            assert float(f_rate) == pytest.approx(expected**2, abs=5e-5)
    assert values["d_rate_100_best"] == pytest.approx(99 / 101, rel=1e-12)


def _heavy_ball(kappa, steps):
    """Polyak's form θ_t = θ_{t-1} - α∇f(θ_{t-1}) + β(θ_{t-1} - θ_{t-2}) on ½(w₁² + κw₂²), from (1, 1); distances."""
    root = math.sqrt(kappa)
    lr, beta = 4 / (root + 1) ** 2, ((root - 1) / (root + 1)) ** 2
    curv, prev, w, out = (1.0, kappa), [1.0, 1.0], [1.0, 1.0], [math.sqrt(2)]
    for _ in range(steps):
        w, prev = [x - lr * c * x + beta * (x - p) for x, p, c in zip(w, prev, curv)], w
        out.append(math.hypot(*w))
    return out


def _nesterov(kappa, steps):
    """Nesterov's x/y form, y_0 = x_0 = (1, 1), α = 1/L = 1/κ; returns the distances ‖y_t‖ and the gaps f(x_t)."""
    root = math.sqrt(kappa)
    beta, curv = (root - 1) / (root + 1), (1.0, kappa)
    f = lambda p: 0.5 * sum(c * v * v for c, v in zip(curv, p))
    x, y = [1.0, 1.0], [1.0, 1.0]
    dist, gaps = [math.sqrt(2)], [f(x)]
    for _ in range(steps):
        x_new = [v - c * v / kappa for v, c in zip(y, curv)]
        y = [a + beta * (a - b) for a, b in zip(x_new, x)]
        x = x_new
        dist.append(math.hypot(*y))
        gaps.append(f(x))
    return dist, gaps


def _first_below(dist, factor=1e-6):
    return next((t for t, d in enumerate(dist) if d < factor * dist[0]), None)


def test_accelerated_rates(built_site):
    out = _output(built_site, "accelerated_rates.py")
    values = _values(built_site, "accelerated_rates.py")
    kappa, root = 100.0, 10.0
    hb = _heavy_ball(kappa, 300)
    nag, gaps = _nesterov(kappa, 300)
    assert values["gd_rate"] == pytest.approx(1 - 1 / kappa, rel=1e-12)
    assert values["hb_rate"] == pytest.approx((hb[300] / hb[150]) ** (1 / 150), rel=1e-9)
    assert values["nesterov_rate"] == pytest.approx((nag[300] / nag[150]) ** (1 / 150), rel=1e-9)
    assert values["hb_steps"] == _first_below(hb) and values["nesterov_steps"] == _first_below(nag)
    # measured "slightly above" the root: the double root's factor t^(1/150), within one percent
    for name, rate in [("hb_rate", (root - 1) / (root + 1)), ("nesterov_rate", 1 - 1 / root)]:
        assert rate < values[name] < 1.01 * rate
    # Nesterov's theorem: f(x_t) <= (1 - 1/√κ)^t (f(x_0) + μ/2 ‖x_0‖²), μ = 1
    ratios = [g / ((1 - 1 / root) ** t * (gaps[0] + 0.5 * 2)) for t, g in enumerate(gaps)]
    assert max(ratios) <= 1
    assert values["nesterov_worst_ratio"] == pytest.approx(max(ratios[1:]), rel=1e-6)
    assert "> 300" in out  # gradient descent does not get there in 300 steps
    # the double root of Nesterov's slow direction: (1+β)(1-1/κ) = 2(1-q) and β(1-1/κ) = (1-q)²
    q = 1 / root
    beta = (root - 1) / (root + 1)
    assert (1 + beta) * (1 - 1 / kappa) == pytest.approx(2 * (1 - q)) and beta * (1 - 1 / kappa) == pytest.approx(
        (1 - q) ** 2
    )


def test_steps_vs_kappa(built_site):
    out = _output(built_site, "steps_vs_kappa.py")
    values = _values(built_site, "steps_vs_kappa.py")
    gd = {k: math.ceil(math.log(math.sqrt(2) * 1e-6) / math.log(1 - 1 / k)) for k in (10, 100, 1000)}
    hb = {k: _first_below(_heavy_ball(k, 2000)) for k in (10, 100, 1000)}
    nag = {k: _first_below(_nesterov(k, 2000)[0]) for k in (10, 100, 1000)}
    for k in (10, 100, 1000):
        measured = f"{gd[k]:8d}" if k <= 100 else "       —"
        assert re.search(rf"^\s*{k}\s+{gd[k]}\s+{re.escape(measured.strip())}\s+{hb[k]}\s+{nag[k]}\s+\d+$", out, re.M)
    assert values["gd_growth"] == pytest.approx(gd[1000] / gd[10], rel=1e-12)
    assert values["hb_growth"] == pytest.approx(hb[1000] / hb[10], rel=1e-12)
    assert values["nesterov_growth"] == pytest.approx(nag[1000] / nag[10], rel=1e-12)
    # "a factor 100 in κ costs a factor of about 100 without momentum and about 10 with it"
    assert 90 < values["gd_growth"] < 110
    assert 8 < values["hb_growth"] < 14 and 8 < values["nesterov_growth"] < 14


def _exact_gaps(lr_at, steps, curvatures=(1.0, 10.0), sigma=1.0):
    """E f(w_t) for SGD on Σ ½λᵢwᵢ² with N(0, σ²) gradient noise, from w_0 = (1, 1): s ← (1-αλ)² s + α²σ²."""
    s, gaps = [1.0 for _ in curvatures], []
    gaps.append(sum(0.5 * lam * si for lam, si in zip(curvatures, s)))
    for t in range(1, steps + 1):
        lr = lr_at(t)
        s = [(1 - lr * lam) ** 2 * si + lr * lr * sigma**2 for lam, si in zip(curvatures, s)]
        gaps.append(sum(0.5 * lam * si for lam, si in zip(curvatures, s)))
    return gaps


def test_sgd_noise_floor(built_site):
    out = _output(built_site, "sgd_noise_floor.py")
    values = _values(built_site, "sgd_noise_floor.py")
    floor = lambda lr: sum(lr / (2 * (2 - lr * lam)) for lam in (1.0, 10.0))  # σ = 1
    for lr, name in [(0.1, "floor_0_1"), (0.02, "floor_0_02")]:
        exact = sum(_exact_gaps(lambda t, lr=lr: lr, 1000)[501:]) / 500
        assert exact == pytest.approx(floor(lr), rel=1e-6)  # settled: the stationary value
        assert values[name] == pytest.approx(exact, rel=0.03)  # a thousand runs, averaged over 500 steps
        assert re.search(rf"^α = {lr:g}\s+[\d.]+\s+{floor(lr):.4f}\s+{lr * 10 * 2 / 2:.4f}$", out, re.M)
    # "a step five times smaller gives a floor about seven times lower";
    # the bound αLM/(2μ) "about thirteen times too high"
    assert 6.5 < values["floor_0_1"] / values["floor_0_02"] < 7.7
    assert 12.5 < 1.0 / floor(0.1) < 13.5
    # decaying steps α_t = 2/(19 + t): E f falls like 1/t, far below ν/(γ + t + 1)
    L, M, mu, a, gamma = 10.0, 2.0, 1.0, 2.0, 19.0
    nu = max(a * a * L * M / (2 * (a * mu - 1)), (gamma + 1) * 5.5)
    assert values["nu"] == nu == 110
    exact = _exact_gaps(lambda t: a / (gamma + t), 1000)
    for t, name in [(500, "scaled_500"), (1000, "scaled_1000")]:
        assert values[name] == pytest.approx((gamma + t + 1) * exact[t], rel=0.15)
        assert values[name] < nu / 50
    assert values["gap_decay_1000"] == pytest.approx(exact[1000], rel=0.15)
    assert (gamma + 1001) * exact[1000] == pytest.approx((gamma + 501) * exact[500], rel=0.05)  # the 1/t rate
    assert all(g <= nu / (gamma + t + 1) for t, g in enumerate(exact))
