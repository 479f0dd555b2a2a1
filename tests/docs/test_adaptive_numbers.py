"""The numbers chapter 6 states, checked against closed forms and torch.optim (not against lessonlib).

The chapter's prose quotes the snippets' published values; here they are compared with arithmetic done
independently in this file: closed forms, and the same runs repeated with torch.optim's optimizers, whose
update rules lessonlib's mirror.
"""

import math
import re

import pytest
import torch

CHAPTER = "snippets/06_adaptive"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}").stdout


def _values(built_site, name):
    return built_site.values(f"{CHAPTER}/{name}")


def _rosenbrock(w):
    return (1 - w[0]) ** 2 + 100 * (w[1] - w[0] ** 2) ** 2


def _beale(w):
    x, y = w[0], w[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _bowl(kappa):
    return lambda w: 0.5 * (w[0] ** 2 + kappa * w[1] ** 2)


def _torch_run(loss, start, make_opt, steps):
    """The losses of `steps` steps of a torch.optim optimizer on `loss`, with autograd's gradients."""
    w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = make_opt([w])
    losses = [loss(w).item()]
    for _ in range(steps):
        opt.zero_grad()
        loss(w).backward()
        opt.step()
        losses.append(loss(w).item())
    return w.detach(), losses


def test_adagrad_steps_shrink(built_site):
    out = _output(built_site, "adagrad_step.py")
    values = _values(built_site, "adagrad_step.py")
    # The same data, the same mini-batches, with torch.optim's Adagrad and RMSprop.
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(4096, 2, generator=gen, dtype=torch.float64) * torch.tensor([1.0, 0.1], dtype=torch.float64)
    y = X @ torch.tensor([2.0, -3.0], dtype=torch.float64) + 0.5 * torch.randn(4096, generator=gen, dtype=torch.float64)
    batches = torch.randint(0, 4096, (1000, 16), generator=gen)
    effective, final = {}, {}
    for name, make, key in [("AdaGrad", torch.optim.Adagrad, "sum"), ("RMSProp", torch.optim.RMSprop, "square_avg")]:
        w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        opt = make([w], lr=0.1)
        eps, history = opt.param_groups[0]["eps"], []
        for idx in batches:
            w.grad = 2 * X[idx].T @ (X[idx] @ w.detach() - y[idx]) / len(idx)
            opt.step()
            history.append(0.1 / (opt.state[w][key].sqrt() + eps))
        effective[name], final[name] = torch.stack(history), w.detach()
    adagrad, rmsprop = effective["AdaGrad"], effective["RMSProp"]
    for i, name in [(0, "w1"), (1, "w2")]:
        assert values[f"adagrad_fall_{name}"] == pytest.approx((adagrad[0, i] / adagrad[-1, i]).item(), rel=1e-6)
        later = rmsprop[9:, i]
        assert values[f"rmsprop_range_{name}"] == pytest.approx((later.max() / later.min()).item(), rel=1e-6)
    assert values["adagrad_w2_final"] == pytest.approx(final["AdaGrad"][1].item(), abs=1e-6)
    assert values["rmsprop_w2_final"] == pytest.approx(final["RMSProp"][1].item(), abs=1e-6)
    # "its steps only ever shrink"; "fall by a factor of [about six] for w₁ and [about a hundred] for w₂"
    assert values["adagrad_never_grew"] is True and bool((adagrad[1:] <= adagrad[:-1]).all())
    assert 5 < values["adagrad_fall_w1"] < 10 and 50 < values["adagrad_fall_w2"] < 200
    # "w₂ is still ... far from its true value −3"; RMSProp's ends "much closer to −3"
    assert abs(values["adagrad_w2_final"] + 3) > 0.3
    assert abs(values["rmsprop_w2_final"] + 3) < 0.25 * abs(values["adagrad_w2_final"] + 3)
    # RMSProp "from step 10 on stays within a factor of two"
    assert values["rmsprop_range_w1"] < 2 and values["rmsprop_range_w2"] < 2
    # both give the small-scale weight the much larger effective step
    assert bool((adagrad[:, 1] > 5 * adagrad[:, 0]).all()) and bool((rmsprop[:, 1] > 5 * rmsprop[:, 0]).all())
    # first step: α/|g₁| for AdaGrad, α/(√(1-β)|g₁|) for RMSProp, so their ratio is √(1 - 0.99) = 0.1
    rows = {
        int(r[0]): [float(x) for x in r[1:]]
        for r in re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    }
    assert sorted(rows) == [1, 10, 100, 1000]
    for i in (0, 1):
        assert rows[1][i] / rows[1][i + 2] == pytest.approx(math.sqrt(1 - 0.99), rel=5e-3)  # printed to 4 decimals


def test_bias_correction(built_site):
    out = _output(built_site, "bias_correction.py")
    values = _values(built_site, "bias_correction.py")
    ratio = lambda t: (1 - 0.9**t) / math.sqrt(1 - 0.999**t)  # the uncorrected step / α on a constant gradient
    rows = re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert [int(t) for t, *_ in rows] == [1, 2, 5, 10, 100, 1000, 5000]
    for t, without, with_ in rows:
        assert float(without) == pytest.approx(ratio(int(t)), abs=1e-3)
        assert float(with_) == pytest.approx(1.0, abs=1e-3)
    # "the first step is already (1 - β₁)α/√(1 - β₂) = √10 α"
    assert values["first_step_uncorrected"] == pytest.approx(math.sqrt(10), rel=1e-6)
    peak = max(range(1, 5001), key=ratio)
    assert values["peak_step"] == peak and values["peak_uncorrected"] == pytest.approx(ratio(peak), rel=1e-6)
    # "... before the second moment catches up over the next few thousand steps"
    assert values["last_step_uncorrected"] == pytest.approx(ratio(5000), rel=1e-6)
    assert values["last_step_uncorrected"] < 1.01
    assert round(1 / math.sqrt(1 - 0.99), 6) == 10  # RMSProp's first step is 10 α
    # the bowl ½(w₁² + 10 w₂²) from (−2, 1) with α = 0.1: the corrected steps are at most α, the uncorrected ones
    # several times larger
    assert values["bowl_largest_corrected"] == pytest.approx(1.0, abs=0.01)
    assert 3 < values["bowl_largest_uncorrected"] < values["peak_uncorrected"]
    # lessonlib's Adam takes exactly α per step on a constant gradient; so does torch's
    w, _ = _torch_run(lambda w: w.sum(), [0.0], lambda p: torch.optim.Adam(p, lr=0.001), 5)
    assert w.item() == pytest.approx(-0.005, abs=1e-9) and "θ = -0.005000 (5α = 0.005)" in out


def test_rmsprop_and_adam_paths(built_site):
    values = _values(built_site, "rmsprop_adam_paths.py")
    for key, loss, start in [("bowl", _bowl(25.0), [-2.0, 0.5]), ("beale", _beale, [1.0, 1.5])]:
        for name, make in [("rmsprop", torch.optim.RMSprop), ("adam", torch.optim.Adam)]:
            _, losses = _torch_run(loss, start, lambda p, make=make: make(p, lr=0.05), 200)
            assert values[f"{key}_{name}_loss_25"] == pytest.approx(losses[25], rel=1e-6)
            assert values[f"{key}_{name}_loss_200"] == pytest.approx(losses[200], rel=1e-4, abs=1e-40)
    # "here that makes it slower": Adam behind RMSProp on both landscapes, early and late
    for key in ("bowl", "beale"):
        assert values[f"{key}_adam_loss_25"] > values[f"{key}_rmsprop_loss_25"]
        assert values[f"{key}_adam_loss_200"] > values[f"{key}_rmsprop_loss_200"]


def test_adam_needs_tuning(built_site):
    values = _values(built_site, "adam_needs_tuning.py")
    start = math.dist((-1.2, 1.0), (1.0, 1.0))
    assert values["start_distance"] == pytest.approx(start) and start == pytest.approx(2.2)  # "the distance of 2.2"
    distances = {}
    for lr in [1e-4, 1e-3, 1e-2, 1e-1, 1.0]:
        w, _ = _torch_run(_rosenbrock, [-1.2, 1.0], lambda p, lr=lr: torch.optim.Adam(p, lr=lr), 300)
        distances[lr] = math.dist(w.tolist(), (1.0, 1.0))
    assert values["distance_default"] == pytest.approx(distances[1e-3], rel=1e-6)
    assert 300 * 1e-3 * math.sqrt(2) < start  # it cannot get there: at most about α per coordinate per step
    assert values["distance_default"] > 0.9 * start  # "it ends about as far away as it started"
    assert values["best_lr"] == 1.0 == min(distances, key=distances.get)  # "on this problem α = 1 is right"
    assert values["distance_best"] < 0.1 * start


def test_adamw_against_l2(built_site):
    values = _values(built_site, "adamw_vs_l2.py")
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(2048, 2, generator=gen, dtype=torch.float64) * torch.tensor([10.0, 0.1], dtype=torch.float64)
    y = X.sum(dim=1) + 0.1 * torch.randn(2048, generator=gen, dtype=torch.float64)
    batches = torch.randint(0, 2048, (3000, 32), generator=gen)

    def train(make_opt):
        w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        opt = make_opt([w])
        for idx in batches:
            w.grad = X[idx].T @ (X[idx] @ w.detach() - y[idx]) / len(idx)
            opt.step()
        return w.detach(), opt.state[w]

    w_l2, state = train(lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1))
    w_adamw, _ = train(lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1))
    for i in (0, 1):
        assert values[f"adam_l2_w{i + 1}"] == pytest.approx(w_l2[i].item(), abs=1e-6)
        assert values[f"adamw_w{i + 1}"] == pytest.approx(w_adamw[i].item(), abs=1e-6)
    t = state["step"].item()
    decay = 0.01 * 0.1 / ((state["exp_avg_sq"] / (1 - 0.999**t)).sqrt() + 1e-8)
    assert values["decay_l2_w1"] == pytest.approx(decay[0].item(), rel=1e-4)
    assert values["decay_l2_w2"] == pytest.approx(decay[1].item(), rel=1e-4)
    ridge = torch.linalg.solve(X.T @ X / len(X) + 0.1 * torch.eye(2, dtype=torch.float64), X.T @ y / len(X))
    # "Adam + L2 lands on the ridge-regression solution": w₂ "shrunk from about 1" to ridge's value
    assert values["adam_l2_w2"] == pytest.approx(ridge[1].item(), abs=0.01)
    assert values["least_squares_w2"] == pytest.approx(1.0, abs=0.1) and values["adam_l2_w2"] < 0.15
    # "decays w₂ ... by [far more] of its value per step" than w₁, and AdamW's αλ = 10⁻³ lies between
    assert values["decay_l2_w2"] > 100 * values["decay_l2_w1"]
    assert values["decay_l2_w1"] < 0.01 * 0.1 < values["decay_l2_w2"]
    assert values["adamw_w2"] > 0.9  # "holds it near 1"


def test_adafactor_memory(built_site):
    out = _output(built_site, "adafactor_memory.py")
    values = _values(built_site, "adafactor_memory.py")
    for n, size in [(1024, "small"), (4096, "large")]:
        adam = 2 * 4 * n * n + 4  # two float32 moments and a float32 step counter
        adafactor = 4 * (n + n) + 4  # a row and a column of float32, and the counter
        momentum = 4 * n * n  # SGD's one buffer, no counter
        row = f"{n} × {n}{4 * n * n:>14,}{momentum:>20,}{adam:>20,}{adam:>20,}{adafactor:>20,}"
        assert row in out  # byte counts: exact by construction
        assert values[f"ratio_{size}"] == pytest.approx(adam / adafactor, rel=1e-12)
        assert values[f"share_{size}"] == pytest.approx(adafactor / (4 * n * n), rel=1e-12)
        assert 0.95 * n < values[f"ratio_{size}"] < 1.05 * n  # "the ratio is about n"
        assert values[f"share_{size}"] < 0.01  # "a fraction of a percent of the weights"
        assert adam == pytest.approx(2 * 4 * n * n, rel=1e-5)  # "Adam's is twice the weights"
    assert "'row_var': (3, 1), 'col_var': (1, 5)" in out
    # exercise 5's numbers
    assert 2 * 4 * 4096 * 11008 == 360_710_144 and 4 * (4096 + 11008) == 60_416


def test_optimizer_race(built_site):
    out = _output(built_site, "optimizer_race.py")
    values = _values(built_site, "optimizer_race.py")
    rows = {}
    for line in out.splitlines():
        cells = re.findall(r"(—|\d+) \(α = ([\d.]+)\)", line)
        if cells:
            rows[line.split()[0]] = [(None if s == "—" else int(s), float(a)) for s, a in cells]
    assert list(rows) == ["SGD", "momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdamW"]
    steps = {name: [s if s is not None else math.inf for s, _ in cells] for name, cells in rows.items()}
    fastest = lambda i: min(steps, key=lambda name: steps[name][i])
    second = lambda i: sorted(steps, key=lambda name: steps[name][i])[1]
    # "Momentum and Nesterov are fastest on Rosenbrock and Beale; the adaptive methods win the saddle, and AdaGrad the
    # bowl."
    assert {fastest(0), second(0)} == {fastest(1), second(1)} == {"momentum", "Nesterov"}
    assert {fastest(2), second(2)} <= {"AdaGrad", "RMSProp", "Adam", "AdamW"} and fastest(3) == "AdaGrad"
    # AdaGrad on the axis-aligned bowl, with torch.optim.Adagrad: the first step with L < 1e-3
    _, losses = _torch_run(_bowl(25.0), [-2.0, 0.5], lambda p: torch.optim.Adagrad(p, lr=1.0), 300)
    assert values["adagrad_bowl_steps"] == next(t for t, x in enumerate(losses) if x < 1e-3) == steps["AdaGrad"][3]
    assert values["adagrad_bowl_steps"] <= 10  # a handful of steps
    assert steps["AdamW"][0] == steps["AdamW"][1] == math.inf  # decay stops AdamW short of the minimum ...
    assert steps["Adam"][0] < math.inf and steps["Adam"][1] < math.inf  # ... where Adam, with the same α, arrives
    assert [a for _, a in rows["Adam"]] == [a for _, a in rows["AdamW"]]  # AdamW uses Adam's α
    for cells in rows.values():
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
