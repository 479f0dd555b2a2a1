"""The claims chapter 3 makes, checked against closed forms and NumPy (not against lessonlib).

The chapter's prose quotes a few of these numbers from the runs and states the
rest in words ("slides into the minimum", "four different ones", "diverges");
here each is compared with arithmetic done independently in this file.
"""

import math
import re

import numpy as np
import pytest

CHAPTER = "snippets/03_gradient_descent"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}").stdout


def _quartic(w):
    return w**4 - 3 * w**3 + 2


def test_x_squared_twenty_steps(built_site):
    out = _output(built_site, "x_squared.py")
    rows = re.findall(r"^\s*(\d+)\s+([-\d.]+)\s+([-\d.]+)$", out, re.M)
    assert [int(t) for t, _, _ in rows] == list(range(21))
    for t, w, loss in rows:  # w_t = 5 · 0.8^t, printed to six decimals
        assert float(w) == pytest.approx(5 * 0.8 ** int(t), abs=5e-7)
        assert float(loss) == pytest.approx((5 * 0.8 ** int(t)) ** 2, abs=5e-7)
    losses = [float(loss) for _, _, loss in rows]
    # "each step removes the same fraction of what is left (here 1 − 0.8² of the loss)"
    for before, after in zip(losses[:8], losses[1:9]):
        assert after / before == pytest.approx(0.8**2, rel=1e-5)
    assert out.rstrip().endswith("w_20 equals it to 12 decimals: True")


def test_quartic_step(built_site):
    """The worked step: L'(−1.5) = −33.75 and w₁ = −1.46625, and the notes' −1.49 is wrong."""
    values = built_site.values(f"{CHAPTER}/quartic_step.py")
    gradient = 4 * (-1.5) ** 3 - 9 * (-1.5) ** 2  # L'(w) = 4w³ − 9w², exact in binary floating point
    assert gradient == -13.5 - 20.25
    assert values["gradient"] == pytest.approx(gradient, abs=1e-12)
    assert values["w_next"] == pytest.approx(-1.5 - 0.001 * gradient, abs=1e-12)
    assert -1.5 + 0.03375 == pytest.approx(values["w_next"], abs=1e-12)  # the warning's arithmetic
    assert round(values["w_next"], 2) != -1.49  # the notes' iterate
    assert values["w_next"] > -1.5  # "the step moves w to the right, downhill"
    assert _quartic(values["w_next"]) < _quartic(-1.5)
    out = _output(built_site, "quartic_step.py")
    wrong = float(re.search(r"4 \* 1\.5\*\*3 - 9 \* 1\.5\*\*2 = ([-\d.]+)", out)[1])
    assert wrong == pytest.approx(4 * 1.5**3 - 9 * 1.5**2) and wrong != pytest.approx(gradient)


def test_loss_curve_paths(built_site):
    out = _output(built_site, "loss_curve_path.py")
    ends = {
        float(w0): (float(w), float(loss))
        for w0, w, loss in re.findall(r"start at w = ([-\d.]+): after 60 steps w = ([-\d.]+), L\(w\) = ([-\d.]+)", out)
    }
    assert sorted(ends) == [-1.0, 3.0]
    # From 3 the iterates "slide into the minimum at w = 9/4", where L'(w) = 4w³ − 9w² vanishes.
    assert ends[3.0][0] == pytest.approx(9 / 4, abs=1e-3)
    assert ends[3.0][1] == pytest.approx(_quartic(9 / 4), abs=1e-4)
    # From −1 they "crawl towards w = 0": still short of it, and far above the minimum's loss.
    assert -0.5 < ends[-1.0][0] < 0
    assert ends[-1.0][1] > _quartic(0) > _quartic(9 / 4)


def test_contour_paths(built_site):
    out = _output(built_site, "contours.py")
    start, end = map(float, re.search(r"bowl: L from ([\d.]+) to ([\d.e+-]+) in 25 steps", out).groups())
    # ½(w₁² + 10 w₂²) from (−2, 0.5) with α = 0.18: w₁ is multiplied by 1 − 0.18, w₂ by 1 − 1.8, at each step.
    w1, w2 = -2 * (1 - 0.18) ** 25, 0.5 * (1 - 0.18 * 10) ** 25
    assert start == pytest.approx(0.5 * (4 + 10 * 0.25), abs=5e-4)
    assert end == pytest.approx(0.5 * (w1**2 + 10 * w2**2), rel=0.01)
    ends = [tuple(map(float, xy)) for xy in re.findall(r"ends at \(\s*([-\d.]+),\s*([-\d.]+)\)", out)]
    assert len(ends) == 4
    # Himmelblau's four minima, each a root of its gradient, found here by Newton's method from the printed ends.
    minima = []
    for x, y in ends:
        for _ in range(20):
            a, b = x**2 + y - 11, x + y**2 - 7
            g = np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])
            H = np.array([[12 * x**2 + 4 * y - 42, 4 * x + 4 * y], [4 * x + 4 * y, 4 * x + 12 * y**2 - 26]])
            x, y = np.array([x, y]) - np.linalg.solve(H, g)
        assert (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2 < 1e-20  # a minimum: the function is zero there
        minima.append((x, y))
    for (x, y), (mx, my) in zip(ends, minima):
        assert (x, y) == pytest.approx((mx, my), abs=2e-3)  # each run ends at (close to) a minimum
    assert len({(round(mx, 3), round(my, 3)) for mx, my in minima}) == 4  # "four different ones"


def test_learning_rates(built_site):
    out = _output(built_site, "learning_rates.py")
    rows = {
        float(lr): (float(w), float(factor))
        for lr, w, factor in re.findall(r"^\s*([\d.]+)\s+([-\d.]+)\s+([-+\d.]+)$", out, re.M)
    }
    assert sorted(rows) == [0.02, 0.3, 0.9, 1.05]
    for lr, (w, factor) in rows.items():
        assert factor == pytest.approx(1 - 2 * lr)
        assert w == pytest.approx((1 - 2 * lr) ** 10, abs=5e-5)  # w₁₀ = (1 − 2α)¹⁰ from w₀ = 1
    assert 0.5 < rows[0.02][0] < 1  # too small: shrinks steadily but slowly
    assert abs(rows[0.3][0]) < 1e-3 < abs(rows[0.9][0])  # about right: collapses; oscillating: still on its way
    assert rows[1.05][0] > 1  # diverges


def test_stability_limit_is_two_over_kappa(built_site):
    rows = re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)$", _output(built_site, "stability_limit.py"), re.M)
    assert [float(kappa) for kappa, _, _ in rows] == [1.0, 10.0, 100.0]
    for kappa, predicted, measured in rows:
        assert float(predicted) == pytest.approx(2 / float(kappa), abs=5e-5)
        assert float(measured) == pytest.approx(2 / float(kappa), abs=5e-5)


def test_initialisation_two_destinations(built_site):
    out = _output(built_site, "initialisation.py")
    rows = [tuple(map(float, r)) for r in re.findall(r"^\s*([-+\d.]+)\s+([-+\d.]+)\s+([-+\d.]+)$", out, re.M)]
    assert [w0 for w0, _, _ in rows] == [-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0]
    roots = sorted(np.roots([4, 0, -8, 1]).real)  # L'(w) = 4w³ − 8w + 1: left minimum, hump, right minimum
    left, hump, right = roots
    loss = lambda w: w**4 - 4 * w**2 + w
    for w0, w_end, loss_end in rows:
        expected = left if w0 < hump else right  # every start ends in the minimum on its side of the hump
        assert w_end == pytest.approx(expected, abs=1e-4)
        assert loss_end == pytest.approx(loss(expected), abs=1e-4)
    assert loss(right) > loss(left)  # the right one is the local minimum, the left one the global


def test_gradient_check(built_site):
    out = _output(built_site, "gradient_check.py")
    errors = [float(e) for e in re.findall(r"\]\s+([\d.e+-]+)$", out, re.M)]
    assert len(errors) == 3 and max(errors) < 1e-7  # "below about 1e-7 the gradients agree"
    h, error = map(float, re.search(r"most accurate near h = ([\d.e+-]+) \(error ([\d.e+-]+)\)", out).groups())
    # Truncation error ~ h², rounding error ~ ε/h: the best h is of the order of ε^(1/3) ≈ 6e-6.
    eps = np.finfo(np.float64).eps
    assert eps ** (1 / 3) / 10 < h < 10 * eps ** (1 / 3)
    assert error < 1e-8


def test_steps_to_tolerance(built_site):
    out = _output(built_site, "exercise_steps_to_tolerance.py")
    expected = math.ceil(math.log(2e-4) / math.log(0.8))
    predicted, counted = map(int, re.search(r"predicted: (\d+) steps, counted: (\d+) steps", out).groups())
    assert predicted == counted == expected
    assert 5 * 0.8**expected < 1e-3 <= 5 * 0.8 ** (expected - 1)


def test_largest_step_exercise(built_site):
    out = _output(built_site, "exercise_largest_step.py")
    assert float(re.search(r"stability limit 2/L'' = ([\d.]+)", out)[1]) == pytest.approx(1 / 3, abs=5e-5)
    rows = {
        float(lr): (float(w), verdict)
        for lr, w, verdict in re.findall(r"α = ([\d.]+): \|w_50\| = ([\d.e+-]+)\s+(\w+)", out)
    }
    assert sorted(rows) == [0.30, 0.33, 0.34, 0.40]
    for lr, (w, verdict) in rows.items():
        assert w == pytest.approx(abs(1 - 6 * lr) ** 50, rel=1e-3)  # w₅₀ = (1 − 6α)⁵⁰ from w₀ = 1
        assert verdict == ("converges" if lr < 1 / 3 else "diverges")
    assert rows[0.33][0] > 0.1  # "just below it ... the convergence is slow"


def test_find_the_bug_exercise(built_site):
    out = _output(built_site, "exercise_find_the_bug.py")
    # At (1, 2): a = x² + y − 11 = −8, b = x + y² − 7 = −2; the true ∂L/∂y is 2a + 4yb = −32, the buggy 2a + 2yb = −24.
    true_y, buggy_y = 2 * -8 + 4 * 2 * -2, 2 * -8 + 2 * 2 * -2
    buggy = float(re.search(r"buggy gradient: gradient check failed: relative error ([\d.]+)", out)[1])
    assert buggy == pytest.approx(abs(true_y - buggy_y) / max(abs(true_y), abs(buggy_y)), abs=0.005)
    assert float(re.search(r"fixed gradient: relative error ([\d.e+-]+)", out)[1]) < 1e-7  # "catches it at once"


def test_quartic_long_run_exercise(built_site):
    out = _output(built_site, "exercise_quartic_long_run.py")
    rows = {
        int(t): (float(w), float(g))
        for t, w, g in re.findall(r"t =\s*(\d+): w = ([-+\d.]+), L'\(w\) = ([-+\d.]+)", out)
    }
    assert sorted(rows) == [0, 1, 10, 100, 1000, 5000]
    assert rows[1][0] == pytest.approx(-1.5 - 0.001 * (4 * (-1.5) ** 3 - 9 * (-1.5) ** 2), abs=5e-6)
    ws = [rows[t][0] for t in sorted(rows)]
    assert all(a < b < 0 for a, b in zip(ws, ws[1:]))  # "heads for w = 0" and never crosses it
    for w, g in rows.values():
        assert g == pytest.approx(4 * w**3 - 9 * w**2, abs=1e-3)  # w is printed to five decimals
    assert -0.05 < rows[5000][0]  # after 5000 steps it is still creeping: slow, but close to 0
