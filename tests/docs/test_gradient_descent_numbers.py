"""The numbers chapter 3 states, checked against closed forms (not against lessonlib).

The chapter's prose quotes these; the snippets print them; here the printed
values, as the build put them on the page, are compared with arithmetic done
independently in this file.
"""

import re

import pytest


CHAPTER = "snippets/03_gradient_descent"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


def test_x_squared_twenty_steps(built_site):
    rows = re.findall(r"^\s*(\d+)\s+([-\d.]+)\s+([-\d.]+)$", _output(built_site, "x_squared.py"), re.M)
    assert [int(t) for t, _, _ in rows] == list(range(21))
    for t, w, loss in rows:
        assert float(w) == pytest.approx(5 * 0.8 ** int(t), abs=5e-7)
        assert float(loss) == pytest.approx((5 * 0.8 ** int(t)) ** 2, abs=5e-7)
    assert float(rows[-1][1]) == pytest.approx(0.057646, abs=1e-6)


def test_quartic_step_is_minus_1_46625_not_minus_1_49(built_site):
    out = _output(built_site, "quartic_step.py")
    gradient = 4 * (-1.5) ** 3 - 9 * (-1.5) ** 2
    assert gradient == -33.75
    assert -1.5 - 0.001 * gradient == pytest.approx(-1.46625, abs=1e-12)
    assert "dL/dw by autograd  = -33.7500" in out
    assert "= -1.46625" in out and "-1.49" not in out


def test_stability_limit_is_two_over_kappa(built_site):
    rows = re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)$", _output(built_site, "stability_limit.py"), re.M)
    assert len(rows) == 3
    for kappa, predicted, measured in rows:
        assert float(predicted) == pytest.approx(2 / float(kappa), abs=5e-5)
        assert float(measured) == pytest.approx(2 / float(kappa), abs=5e-5)


def test_steps_to_tolerance(built_site):
    import math

    out = _output(built_site, "exercise_steps_to_tolerance.py")
    expected = math.ceil(math.log(2e-4) / math.log(0.8))
    assert f"predicted: {expected} steps, counted: {expected} steps" in out
