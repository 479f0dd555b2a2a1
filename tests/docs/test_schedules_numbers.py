"""The numbers chapter 7 states, checked against closed forms and independent computation (not against lessonlib).

The snippets print these numbers and the prose quotes or describes them; here the printed values, as the build put
them on the page, are compared with formulas written out again in this file, and with NumPy on the same data.
"""

import math
import re

import numpy as np
import pytest
import torch

from lessonlib.data import linear_data

CHAPTER = "snippets/07_schedules"
LR, T = 0.3, 300  # α₀ and the budget the chapter uses throughout


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}").stdout


def _values(built_site, name):
    return built_site.values(f"{CHAPTER}/{name}")


# The chapter's formulas, written out independently of lessonlib.schedules.
CLOSED_FORMS = {
    "constant": lambda t: LR,
    "step decay (halve every 60)": lambda t: LR * 0.5 ** (t // 60),
    "exponential (k = 0.015)": lambda t: LR * math.exp(-0.015 * t),
    "inverse time (k = 0.1)": lambda t: LR / (1 + 0.1 * t),
    "cosine": lambda t: 0.5 * LR * (1 + math.cos(math.pi * t / T)) if t < T else 0.0,
    "warmup (30) + cosine": lambda t: (
        LR * t / 30 if t < 30 else 0.5 * LR * (1 + math.cos(math.pi * (t - 30) / (T - 30)))
    ),
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
        values = [float(v) for v in line[len(name) :].split()]
        assert values == pytest.approx([formula(t) for t in checkpoints], abs=5e-5), name
    assert CLOSED_FORMS["inverse time (k = 0.1)"](10) == pytest.approx(LR / 2)  # "half its rate by step 10"


def _train_with_torch(schedule, runs=5, m=240, n=10, B=24):
    """The comparison's training, written again with torch.optim.SGD and LambdaLR: the mean final excess loss."""
    X1, y = (torch.from_numpy(a) for a in _regression())
    best = ((X1 @ torch.linalg.lstsq(X1, y[:, None]).solution[:, 0] - y) ** 2).mean()
    gen = torch.Generator().manual_seed(0)
    w = torch.zeros(runs, n + 1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=LR)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: schedule(t) / LR)
    for t in range(T):
        if t % (m // B) == 0:
            order = torch.stack([torch.randperm(m, generator=gen) for _ in range(runs)])
        idx = order[:, (t % (m // B)) * B :][:, :B]
        loss = (((X1[idx] * w[:, None, :]).sum(dim=-1) - y[idx]) ** 2).mean(dim=1).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    with torch.no_grad():
        return (((X1 @ w.T - y[:, None]) ** 2).mean(dim=0) - best).mean().item()


def test_compare_schedules(built_site):
    values = _values(built_site, "compare_schedules.py")
    X1, y = _regression()
    w, *_ = np.linalg.lstsq(X1, y, rcond=None)
    assert values["best_loss"] == pytest.approx(float(np.mean((X1 @ w - y) ** 2)), rel=1e-9)
    names = {
        "cautious": lambda t: LR / 10,
        "high": CLOSED_FORMS["constant"],
        "step": CLOSED_FORMS["step decay (halve every 60)"],
        "exponential": CLOSED_FORMS["exponential (k = 0.015)"],
        "inverse_time": CLOSED_FORMS["inverse time (k = 0.1)"],
        "cosine": CLOSED_FORMS["cosine"],
        "warmup_cosine": CLOSED_FORMS["warmup (30) + cosine"],
    }
    for name, schedule in names.items():
        assert values[name] == pytest.approx(_train_with_torch(schedule), rel=1e-6), name
    cautious, high, inverse, expo = values["cautious"], values["high"], values["inverse_time"], values["exponential"]
    assert cautious > high  # the cautious constant ends furthest away
    assert 0.5 * cautious < inverse < cautious  # inverse time: "little better than the cautious constant"
    assert 0.5 * high < expo < 2 * high  # exponential: "about where the high constant does"
    for winner in ("step", "cosine", "warmup_cosine"):  # "by one to two orders of magnitude or more"
        assert 10 * values[winner] < min(high, expo, inverse, cautious)
    # the recipe: the cosine "beats both by more than two orders of magnitude (the high constant by a factor of ...)"
    assert values["high_over_cosine"] == pytest.approx(high / values["cosine"], rel=1e-12)
    assert values["cosine"] * 100 < high < cautious


def test_range_test(built_site):
    values = _values(built_site, "range_test.py")
    X1, _ = _regression()
    limit = 2 / np.linalg.eigvalsh(2 / 240 * X1.T @ X1).max()
    assert values["stability_limit"] == pytest.approx(limit, rel=1e-8)
    assert values["diverged"] is True and values["steps_taken"] < 100  # it stopped when the loss blew up
    assert values["suggested_lr"] == pytest.approx(values["lowest_lr"] / 10, rel=1e-12)
    # "the minimum sits even beyond the stability limit"; the peak α₀ = 0.3 "sits between the suggestion and the limit"
    assert values["suggested_lr"] < LR < values["stability_limit"] < values["lowest_lr"]
    # the rates the test tries: geometric from 1e-4 to 10 in 100 steps; the lowest is one of those it took
    tried = [1e-4 * (10 / 1e-4) ** (i / 99) for i in range(values["steps_taken"])]
    assert min(abs(r - values["lowest_lr"]) for r in tried) < 1e-9 * values["lowest_lr"]


def test_warmup_closed_forms(built_site):
    values = _values(built_site, "warmup.py")

    def limit(a, b):  # 2/λ_max of the Hessian [[b², 2ab − 1], [2ab − 1, a²]], by the 2×2 eigenvalue formula
        lam = (a * a + b * b) / 2 + math.sqrt(((a * a - b * b) / 2) ** 2 + (2 * a * b - 1) ** 2)
        return 2 / lam

    assert values["limit_at_start"] == pytest.approx(limit(3.0, 2.5), rel=1e-9)
    # without warmup: the first two steps by hand, from (3, 2.5) with the cosine's first rates
    a, b, losses = 3.0, 2.5, []
    for t in range(values["no_warmup_steps"]):
        lr_t = 0.5 * 0.5 * (1 + math.cos(math.pi * t / 100))
        r = a * b - 1
        a, b = a - lr_t * b * r, b - lr_t * a * r
        losses.append(0.5 * (a * b - 1) ** 2)
    assert values["no_warmup_loss"] == pytest.approx(losses[-1], rel=1e-9) and losses[-1] > 1e6  # "it explodes"
    assert values["no_warmup_steps"] == 2 and losses[0] > 0.5 * (3.0 * 2.5 - 1) ** 2  # it overshoots on its first step
    # with warmup: it ends on the valley ab = 1, where the limit is higher than the peak rate, and stayed below it
    a_end, b_end = values["warmup_end_a"], values["warmup_end_b"]
    assert a_end * b_end == pytest.approx(1, abs=1e-3)
    assert values["limit_end"] == pytest.approx(limit(a_end, b_end), rel=1e-9)
    assert values["limit_at_start"] < 0.5 < values["limit_end"]  # the peak is fatal at the start, safe at the end
    assert values["limit_at_start"] < 0.2 * 0.5  # "far below the peak rate"
    assert values["rate_stayed_below"] is True and values["warmup_loss_10"] < 1e-3


def test_exercise_total_rate(built_site):
    out = _output(built_site, "exercise_total_rate.py")
    totals = {
        name.strip(): float(total) for name, total in re.findall(r"^(\S.*?)\s+([\d.]+)\s+(?:≈ )?[\d.]+$", out, re.M)
    }
    expected = {name: sum(f(t) for t in range(T)) for name, f in CLOSED_FORMS.items()}
    expected["constant α₀/10"] = LR / 10 * T  # the comparison's cautious constant
    assert totals == pytest.approx(expected, abs=5e-4)
    assert expected["cosine"] == pytest.approx(LR * T / 2 + LR / 2)  # Σ cos(πt/T) over t < T is 1
    assert expected["warmup (30) + cosine"] == pytest.approx(LR * T / 2)
    smallest = sorted(expected, key=expected.get)[:3]  # "the three schedules with the smallest totals"
    assert smallest == ["constant α₀/10", "inverse time (k = 0.1)", "exponential (k = 0.015)"]
