"""The numbers chapter 6 states, checked against closed forms (not against lessonlib).

The chapter's prose quotes these; the snippets print them; here the printed
values, as the build put them on the page, are compared with arithmetic done
independently in this file.
"""

import math
import re

import pytest


CHAPTER = "snippets/06_adaptive"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


def test_adagrad_steps_shrink(built_site):
    out = _output(built_site, "adagrad_step.py")
    rows = {int(r[0]): [float(x) for x in r[1:]] for r in re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)}
    assert sorted(rows) == [1, 10, 100, 1000]
    assert "never grew: True" in out
    # first step: α/|g₁| for AdaGrad, α/(√(1-β)|g₁|) for RMSProp, so their ratio is √(1 - 0.99) = 0.1
    for i in (0, 1):
        assert rows[1][i] / rows[1][i + 2] == pytest.approx(math.sqrt(1 - 0.99), rel=5e-3)  # printed to 4 decimals
    assert 5 < rows[1][0] / rows[1000][0] < 8  # "about six" for w₁
    assert 90 < rows[1][1] / rows[1000][1] < 130  # "a hundred" for w₂
    assert rows[1000][1] > rows[1000][0] and rows[1000][3] > rows[1000][2]  # the small-scale weight gets the larger step
    w2 = float(re.search(r"AdaGrad: w after 1000 steps = \[[\d.-]+, ([\d.-]+)\]", out)[1])
    assert abs(w2 - (-3.0)) > 0.3  # "still far from its true value -3"


def test_bias_correction(built_site):
    out = _output(built_site, "bias_correction.py")
    rows = re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert [int(t) for t, *_ in rows] == [1, 2, 5, 10, 100, 1000, 5000]
    for t, without, with_ in rows:
        t = int(t)
        assert float(without) == pytest.approx((1 - 0.9**t) / math.sqrt(1 - 0.999**t), abs=1e-3)
        assert float(with_) == pytest.approx(1.0, abs=1e-3)
    ratio = lambda t: (1 - 0.9**t) / math.sqrt(1 - 0.999**t)
    peak = max(range(1, 5001), key=ratio)
    assert f"peaks at t = {peak}: {ratio(peak):.2f} α" in out and 6 < ratio(peak) < 7
    assert round(1 / math.sqrt(1 - 0.99), 6) == 10  # RMSProp's first step is 10 α
    assert "θ = -0.005000 (5α = 0.005)" in out
    first_50 = re.search(r"first 50: ([\d.]+) α with correction, ([\d.]+) α without", out)
    assert float(first_50[1]) == pytest.approx(1.0, abs=0.01) and 4.5 < float(first_50[2]) < 5.5


def test_rmsprop_and_adam_paths(built_site):
    out = _output(built_site, "rmsprop_adam_paths.py")
    losses = {(fn, name): (float(a), float(b)) for fn, name, a, b in
              re.findall(r"^(\S+).*?(RMSProp|Adam)\s+α = 0.05: L after 25 steps ([\d.e+-]+), after 200 ([\d.e+-]+)$", out, re.M)}
    assert losses[("quadratic", "RMSProp")][0] < losses[("quadratic", "Adam")][0]  # Adam slower on the bowl
    assert losses[("Beale", "RMSProp")][1] < losses[("Beale", "Adam")][1]


def test_adam_needs_tuning(built_site):
    out = _output(built_site, "adam_needs_tuning.py")
    rows = {float(a): (float(l), float(d)) for a, l, d in re.findall(r"^\s*([\d.e-]+)\s+([\d.e+-]+)\s+([\d.]+)$", out, re.M)}
    assert sorted(rows) == [1e-4, 1e-3, 1e-2, 1e-1, 1.0]
    start = math.dist((-1.2, 1.0), (1.0, 1.0))
    assert round(start, 1) == 2.2
    assert rows[1e-3][1] > 0.9 * start  # the default ends about as far away as it started
    assert 300 * 1e-3 * math.sqrt(2) < start  # it cannot get there: at most about α per coordinate per step
    assert min(rows, key=lambda a: rows[a][0]) == 1.0


def test_adamw_against_l2(built_site):
    out = _output(built_site, "adamw_vs_l2.py")
    vec = lambda label: [float(x) for x in re.search(rf"{re.escape(label)}\s+\[\s*([-\d.]+),\s*([-\d.]+)\]", out).groups()]
    ridge, l2, adamw = vec("ridge (closed form)"), vec("Adam + L2 (weight_decay)"), vec("AdamW (decoupled)")
    assert l2 == pytest.approx(ridge, abs=0.01)  # Adam + L2 minimises the penalised loss
    assert 0.05 < l2[1] < 0.15 and adamw[1] > 0.9  # "about 0.09" against "near 1"
    pulls = re.search(r"Adam \+ L2:\s+\[([\d.e+-]+), ([\d.e+-]+)\]", out)
    assert float(pulls[1]) == pytest.approx(2e-4, rel=0.1) and float(pulls[2]) == pytest.approx(0.12, rel=0.1)
    assert "[1.0e-03, 1.0e-03]" in out and 0.01 * 0.1 == pytest.approx(1e-3)


def test_adafactor_memory(built_site):
    out = _output(built_site, "adafactor_memory.py")
    for n in [1024, 4096]:
        adam = 2 * 4 * n * n + 4  # two float32 moments and a float32 step counter
        adafactor = 4 * (n + n) + 4  # a row and a column of float32, and the counter
        momentum = 4 * n * n  # SGD's one buffer, no counter
        row = f"{n} × {n}{4 * n * n:>14,}{momentum:>20,}{adam:>20,}{adam:>20,}{adafactor:>20,}"
        assert row in out
        assert f"Adam's state is {adam / adafactor:,.0f} times Adafactor's" in out
        assert round(adam / adafactor, -2) == round(n, -2)  # "about n": a thousand, four thousand
    assert "'row_var': (3, 1), 'col_var': (1, 5)" in out
    # exercise 5's numbers
    assert 2 * 4 * 4096 * 11008 == 360_710_144 and 4 * (4096 + 11008) == 60_416




def test_optimizer_race(built_site):
    out = _output(built_site, "optimizer_race.py")
    rows = {}
    for line in out.splitlines():
        cells = re.findall(r"(—|\d+) \(α = ([\d.]+)\)", line)
        if cells:
            rows[line.split()[0]] = [(None if s == "—" else int(s), float(a)) for s, a in cells]
    assert list(rows) == ["SGD", "momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdamW"]
    steps = {name: [s if s is not None else math.inf for s, _ in cells] for name, cells in rows.items()}
    fastest = lambda i: min(steps, key=lambda name: steps[name][i])
    assert {fastest(0), fastest(1)} <= {"momentum", "Nesterov"}  # momentum wins Rosenbrock and Beale
    assert fastest(2) in {"AdaGrad", "RMSProp", "Adam"} and fastest(3) == "AdaGrad"
    assert steps["AdamW"][0] == steps["AdamW"][1] == math.inf  # decay stops AdamW short of the minimum ...
    assert steps["Adam"][0] < math.inf and steps["Adam"][1] < math.inf  # ... where Adam, with the same α, arrives
    assert [a for _, a in rows["Adam"]] == [a for _, a in rows["AdamW"]]  # AdamW uses Adam's α
    for name, cells in rows.items():
        assert cells[2][1] == cells[3][1]  # the saddle reuses the quadratic's α
    # plain GD escapes the saddle from y = 1e-3 by a factor 1 + 2α per step: about ln(1000)/ln(1.06) steps
    assert abs(steps["SGD"][2] - math.log(1e3) / math.log(1 + 2 * 0.03)) <= 2
    # the animation and the still figure exist and the animation is animated
    svg = (built_site.site / "figures" / "06_adaptive" / "optimizer_race.svg").read_text()
    assert svg.count("<animate ") == 3 * 7 * 4 + 1 and 'repeatCount="indefinite"' in svg
    assert (built_site.site / "figures" / "06_adaptive" / "optimizer_race_final.svg").is_file()


def test_defaults_the_page_quotes_are_torch_defaults():
    """The page quotes PyTorch's defaults (lessonlib keeps the same); the oracle here is torch.optim itself."""
    import inspect

    import torch

    from tests.conftest import ROOT

    text = (ROOT / "docs/part-1/06-adaptive-methods.md").read_text(encoding="utf-8")
    default = lambda cls, name: inspect.signature(cls).parameters[name].default
    # "the defaults α = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸"
    assert "the defaults $\\alpha = 0.001$, $\\beta_1 = 0.9$, $\\beta_2 = 0.999$, $\\epsilon = 10^{-8}$" in text
    assert default(torch.optim.Adam, "lr") == 1e-3 and default(torch.optim.Adam, "betas") == (0.9, 0.999)
    assert default(torch.optim.Adam, "eps") == 1e-8
    # "ε = 10⁻¹⁰ for AdaGrad and 10⁻⁸ for RMSProp and Adam"; RMSProp's smoothing constant `alpha` is 0.99
    assert "$\\epsilon = 10^{-10}$ for AdaGrad and $10^{-8}$ for RMSProp and Adam" in text
    assert default(torch.optim.Adagrad, "eps") == 1e-10 and default(torch.optim.RMSprop, "eps") == 1e-8
    assert default(torch.optim.RMSprop, "alpha") == 0.99 and round(1 / (1 - 0.99)) == 100
    # AdamW's default decay λ = 0.01
    assert default(torch.optim.AdamW, "weight_decay") == 1e-2
