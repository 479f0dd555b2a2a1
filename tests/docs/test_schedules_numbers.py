"""The numbers chapter 7 states, checked against closed forms and independent computation (not against lessonlib).

The snippets print these numbers and the prose quotes or describes them; here the printed values, as the build put
them on the page, are compared with formulas written out again in this file, and with NumPy on the same data.
"""

import math
import re

import numpy as np
import pytest

from lessonlib.data import linear_data

CHAPTER = "snippets/07_schedules"
LR, T = 0.3, 300  # α₀ and the budget the chapter uses throughout


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


# The chapter's formulas, written out independently of lessonlib.schedules.
CLOSED_FORMS = {
    "constant": lambda t: LR,
    "step decay (halve every 60)": lambda t: LR * 0.5 ** (t // 60),
    "exponential (k = 0.015)": lambda t: LR * math.exp(-0.015 * t),
    "inverse time (k = 0.1)": lambda t: LR / (1 + 0.1 * t),
    "cosine": lambda t: 0.5 * LR * (1 + math.cos(math.pi * t / T)) if t < T else 0.0,
    "warmup (30) + cosine": lambda t: LR * t / 30 if t < 30 else 0.5 * LR * (1 + math.cos(math.pi * (t - 30) / (T - 30))),
}


def _regression():
    """The chapter's regression: features on scales from 1 down to 0.2, with the bias as a column of ones."""
    X, y, _ = linear_data(240, 10, noise=1.0, seed=0)
    X = X.double().numpy() * np.logspace(0, -0.7, 10)
    return np.hstack([X, np.ones((240, 1))]), y.double().numpy()


def test_all_schedules_match_their_formulas(built_site):
    out = _output(built_site, "all_schedules.py")
    checkpoints = [int(t) for t in re.findall(r"t = (\d+)", out.splitlines()[0])]
    assert checkpoints == [0, 10, 30, 60, 150, 240, 299]
    for name, formula in CLOSED_FORMS.items():
        (line,) = [row for row in out.splitlines() if row.startswith(name)]
        values = [float(v) for v in line[len(name):].split()]
        assert values == pytest.approx([formula(t) for t in checkpoints], abs=5e-5), name
    assert CLOSED_FORMS["inverse time (k = 0.1)"](10) == pytest.approx(LR / 2)  # "half its rate by step 10"


def test_compare_schedules(built_site):
    out = _output(built_site, "compare_schedules.py")
    X1, y = _regression()
    w, *_ = np.linalg.lstsq(X1, y, rcond=None)
    best = float(np.mean((X1 @ w - y) ** 2))
    assert float(re.search(r"L\(θ\*\) = ([\d.]+)", out)[1]) == pytest.approx(best, abs=1e-4)
    mean = {name.strip(): float(v) for name, v, _ in re.findall(r"^(\S.*?)\s+([\d.]+e[-+]\d+)\s+([\d.]+e[-+]\d+)$", out, re.M)}
    cautious, high = mean["constant α₀/10 = 0.03"], mean["constant α₀ = 0.3"]
    step, expo, inverse = mean["step decay (halve every 60)"], mean["exponential (k = 0.015)"], mean["inverse time (k = 0.1)"]
    cosine, warmup = mean["cosine"], mean["warmup (30) + cosine"]
    assert cautious > high  # the cautious constant ends furthest away
    assert 0.5 * cautious < inverse < cautious  # inverse time: "little better than the cautious constant"
    assert 0.5 * high < expo < 2 * high  # exponential: "about where the high constant does"
    for winner in (step, cosine, warmup):  # "by one to two orders of magnitude or more"
        assert 10 * winner < min(high, expo, inverse, cautious)
    assert cosine * 100 < high and cosine * 100 < cautious  # "beats both by more than two orders of magnitude"


def test_range_test(built_site):
    out = _output(built_site, "range_test.py")
    X1, _ = _regression()
    limit = 2 / np.linalg.eigvalsh(2 / 240 * X1.T @ X1).max()
    assert float(re.search(r"stable for α < 2/λ_max = ([\d.]+)", out)[1]) == pytest.approx(limit, abs=1e-3)
    assert "diverged: True" in out
    lowest, suggested = (float(v) for v in re.search(r"lowest at α = ([\d.]+); suggested α = ([\d.]+)", out).groups())
    assert suggested == pytest.approx(lowest / 10, abs=1e-4)
    assert suggested < LR < limit < lowest  # the peak sits between the suggestion and the limit; the minimum beyond it
    # the rates the test tries: geometric from 1e-4 to 10 in 100 steps
    steps = int(re.search(r"steps taken: (\d+)", out)[1])
    assert lowest <= 1e-4 * (10 / 1e-4) ** ((steps - 1) / 99) + 1e-9


def test_warmup_closed_forms(built_site):
    out = _output(built_site, "warmup.py")

    def limit(a, b):  # 2/λ_max of the Hessian [[b², 2ab − 1], [2ab − 1, a²]], by the 2×2 eigenvalue formula
        lam = (a * a + b * b) / 2 + math.sqrt(((a * a - b * b) / 2) ** 2 + (2 * a * b - 1) ** 2)
        return 2 / lam

    head = re.search(r"L = ([\d.]+), stable for α < 2/λ_max = ([\d.]+)", out)
    assert float(head[1]) == pytest.approx(0.5 * (3.0 * 2.5 - 1) ** 2)
    assert float(head[2]) == pytest.approx(limit(3.0, 2.5), abs=5e-4)
    assert "diverged" in out.splitlines()[2] and "after 2 steps" in out.splitlines()[2]
    # the first step without warmup, by hand: from (3, 2.5) with α = 0.5 the loss grows
    a, b, lr = 3.0, 2.5, 0.5
    r = a * b - 1
    a1, b1 = a - lr * b * r, b - lr * a * r
    assert 0.5 * (a1 * b1 - 1) ** 2 > 0.5 * r**2
    end = re.search(r"ends at \(a, b\) = \(([\d.]+), ([\d.]+)\)", out)
    a_end, b_end = float(end[1]), float(end[2])
    assert a_end * b_end == pytest.approx(1, abs=2e-3)
    rose = re.search(r"rose from ([\d.]+) to ([\d.]+); α_t stayed below it: True", out)
    assert float(rose[2]) == pytest.approx(limit(a_end, b_end), abs=2e-3)
    assert float(rose[2]) > lr > float(rose[1])  # the peak is fatal at the start, safe at the end
    assert float(re.search(r"L = ([\d.e+-]+) after 10 steps", out)[1]) < 1e-3


def test_exercise_total_rate(built_site):
    out = _output(built_site, "exercise_total_rate.py")
    totals = {name.strip(): float(total) for name, total in re.findall(r"^(\S.*?)\s+([\d.]+)\s+(?:≈ )?[\d.]+$", out, re.M)}
    expected = {name: sum(f(t) for t in range(T)) for name, f in CLOSED_FORMS.items()}
    assert totals == pytest.approx(expected, abs=5e-4)
    assert expected["cosine"] == pytest.approx(LR * T / 2 + LR / 2)  # Σ cos(πt/T) over t < T is 1
    assert expected["warmup (30) + cosine"] == pytest.approx(LR * T / 2)
    decaying = [n for n in expected if n != "constant"]
    assert sorted(decaying, key=expected.get)[:2] == ["inverse time (k = 0.1)", "exponential (k = 0.015)"]

