"""The numbers chapter 16 states, checked against independent computations (not against lessonlib).

The data come from lessonlib.data, as in the snippets, but every result is recomputed here another way: ridge
regression with scikit-learn, the small networks as plain torch.nn modules trained by torch.optim.SGD, probabilities
and expectations in closed form or by numerical integration with SciPy.
"""

import math
import re
import statistics

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import integrate, stats
from sklearn.linear_model import Ridge
from torch import nn

from lessonlib.data import train_val_test_split, two_moons
from tests.conftest import ROOT

CHAPTER = "snippets/15_tuning"
PAGE = ROOT / "docs/part-2/15-hyperparameters.md"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}").stdout


def _values(built_site, name):
    return built_site.values(f"{CHAPTER}/{name}")


def _page():
    return PAGE.read_text(encoding="utf-8")


# --- why hyperparameters are chosen on validation data -------------------------------------------------------------


def test_training_loss_prefers_no_regularisation(built_site):
    out = _output(built_site, "why_validation.py")
    values = _values(built_site, "why_validation.py")
    rows = {
        float(lam): (float(t), float(v))
        for lam, t, v in re.findall(r"^\s*(\d+e[-+]\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    }
    lams = [10.0**k for k in range(-6, 3)]
    assert sorted(rows) == lams
    gen = torch.Generator().manual_seed(0)
    x_train, x_val = torch.rand(15, generator=gen) * 2 - 1, torch.rand(200, generator=gen) * 2 - 1
    y_train = torch.sin(torch.pi * x_train) + 0.3 * torch.randn(15, generator=gen)
    y_val = torch.sin(torch.pi * x_val) + 0.3 * torch.randn(200, generator=gen)
    powers = lambda x: np.stack([x.double().numpy() ** k for k in range(1, 10)], axis=1)
    train, val = [], []
    for lam in lams:
        model = Ridge(alpha=lam, solver="cholesky").fit(powers(x_train), y_train.double().numpy())
        train.append(np.mean((model.predict(powers(x_train)) - y_train.double().numpy()) ** 2))
        val.append(np.mean((model.predict(powers(x_val)) - y_val.double().numpy()) ** 2))
        assert rows[lam][0] == pytest.approx(train[-1], rel=2e-3, abs=1e-4)
        assert rows[lam][1] == pytest.approx(val[-1], rel=2e-3, abs=1e-4)
    assert train == sorted(train)  # the training error only grows with the penalty
    best = int(np.argmin(val))
    assert val[: best + 1] == sorted(val[: best + 1], reverse=True)  # the validation error falls ...
    assert val[best:] == sorted(val[best:])  # ... then rises
    # the training loss picks the smallest lambda on offer; the validation loss picks the one sklearn's fits pick
    assert values["lambda_best_training"] == lams[int(np.argmin(train))] == min(lams)
    assert values["lambda_best_validation"] == pytest.approx(lams[best])
    assert values["val_mse_best"] == pytest.approx(val[best], rel=1e-3)
    assert values["val_mse_weakest"] == pytest.approx(val[0], rel=1e-3)
    assert values["train_mse_weakest"] == pytest.approx(train[0], rel=1e-3)
    assert values["train_mse_strongest"] == pytest.approx(train[-1], rel=1e-3)


# --- log or linear ------------------------------------------------------------------------------------------------


def test_log_versus_linear_sampling(built_site):
    out = _output(built_site, "log_scale.py")
    values = _values(built_site, "log_scale.py")
    rows = [tuple(map(float, r)) for r in re.findall(r"^\[1e-\d, 1e-\d\)\s+([\d.]+)\s+([\d.]+)$", out, re.M)]
    assert len(rows) == 3
    closed = [(10.0 ** (k + 1) - 10.0**k) / (0.1 - 1e-4) for k in (-4, -3, -2)]  # the linear shares, exactly
    for (linear, log_uniform), p in zip(rows, closed):
        sd = math.sqrt(p * (1 - p) / 10_000)
        assert abs(linear - p) < 4 * sd + 1e-3
        assert abs(log_uniform - 1 / 3) < 4 * math.sqrt(2 / 9 / 10_000) + 1e-3
    assert values["linear_top_decade_expected"] == pytest.approx(closed[2], rel=1e-12)
    assert abs(values["linear_top_decade"] - closed[2]) < 4 * math.sqrt(closed[2] * (1 - closed[2]) / 10_000)
    assert values["linear_top_decade"] == pytest.approx(rows[2][0], abs=5e-4)
    assert values["linear_lower_decades"] < 0.1  # "less than a tenth of the trials"
    # the figure's caption: the 40 linear draws it shows all fall above 1e-2
    u = torch.rand(40, generator=torch.Generator().manual_seed(0), dtype=torch.float64).numpy()
    assert (1e-4 + u * (0.1 - 1e-4) > 1e-2).all()


# --- the search space -----------------------------------------------------------------------------------------------


def test_search_space_matches_the_table(built_site):
    out = _output(built_site, "search_space.py")
    printed = {
        name.strip(): (float(lo), float(hi), scale)
        for name, lo, hi, scale in re.findall(
            r"^(\D[\w ()]+?)\s+([\d.e-]+)\s+([\d.e-]+)\s+(log|log-int|log2|linear|int)$", out, re.M
        )
    }
    assert len(printed) == 7
    assert printed["learning rate (Adam)"] == (1e-5, 1e-2, "log")
    page = _page()
    table = {
        "learning rate $\\alpha$, Adam / AdamW": ("$10^{-5}$ to $10^{-2}$", "log"),
        "batch size $B$": ("$16$ to $512$", "log (powers of 2)"),
        "epochs": ("$10$ to $300$", "log"),
        "dropout $p$": ("$0$ to $0.5$", "linear"),
        "L2 strength / weight decay $\\lambda$": ("$10^{-5}$ to $10^{-1}$", "log"),
        "width (units per layer)": ("$32$ to $1024$", "log (powers of 2)"),
        "depth (hidden layers of an MLP)": ("$1$ to $4$", "linear (integers)"),
    }
    for row, (rng, scale) in table.items():
        assert f"| {row} | {rng} | {scale} |" in page
    assert printed["batch size"] == (16, 512, "log2") and printed["width"] == (32, 1024, "log2")
    assert printed["epochs"] == (10, 300, "log-int") and printed["dropout p"] == (0, 0.5, "linear")
    assert printed["weight decay"] == (1e-5, 0.1, "log") and printed["depth (hidden layers)"] == (1, 4, "int")
    configs = re.findall(
        r"lr (\S+)\s+batch\s+(\d+)\s+epochs\s+(\d+)\s+dropout (\S+)\s+wd (\S+)\s+width\s+(\d+)\s+depth (\d)", out
    )
    assert len(configs) == 5
    for lr, batch, epochs, p, wd, width, depth in configs:
        assert 1e-5 <= float(lr) <= 1e-2 and 1e-5 <= float(wd) <= 1e-1 and 0 <= float(p) <= 0.5
        for v, lo, hi in [(int(batch), 16, 512), (int(width), 32, 1024)]:
            assert lo <= v <= hi and v & (v - 1) == 0  # a power of two
        assert 10 <= int(epochs) <= 300 and 1 <= int(depth) <= 4
    assert torch.optim.Adam([torch.zeros(1, requires_grad=True)]).defaults["lr"] == 1e-3  # "10^-3 is the default"


# --- the two-moons experiment, re-run in float64 with torch.nn and torch.optim.SGD ------------------------------------


def _splits():
    X, y = two_moons(400, noise=0.1, seed=0)
    return [t.double() for t in train_val_test_split(X, y, proportions=(0.25, 0.5, 0.25), seed=0)]


def _oracle(lr, weight_decay, split="val"):
    """A 2-8-1 ReLU nn.Sequential in float64 with the snippet's initial weights, 100 steps of torch.optim.SGD."""
    X_train, X_val, X_test, y_train, y_val, y_test = _splits()
    gen = torch.Generator().manual_seed(0)
    W1, W2 = torch.randn(2, 8, generator=gen), torch.randn(8, 1, generator=gen) * 0.5
    net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1)).double()
    with torch.no_grad():
        net[0].weight.copy_(W1.T), net[0].bias.zero_(), net[2].weight.copy_(W2.T), net[2].bias.zero_()
    opt = torch.optim.SGD(net.parameters(), lr=lr, weight_decay=weight_decay)
    for _ in range(100):
        loss = F.binary_cross_entropy_with_logits(net(X_train).squeeze(-1), y_train)
        opt.zero_grad()
        loss.backward()
        opt.step()
    X, y = (X_val, y_val) if split == "val" else (X_test, y_test)
    with torch.no_grad():
        logits = net(X).squeeze(-1)
        return F.binary_cross_entropy_with_logits(logits, y).item(), ((logits > 0).double() == y).double().mean().item()


def _oracle_grid(log_lrs, log_wds):
    """The oracle's validation loss on every combination, as an array with the learning rates down the rows."""
    return np.array([[_oracle(10.0**a, 10.0**w)[0] for w in log_wds] for a in log_lrs])


# Both are float64 runs of the same arithmetic in another order: they agree far below the printed digits.
TIGHT = 1e-6


def test_coarse_to_fine(built_site):
    out = _output(built_site, "coarse_to_fine.py")
    values = _values(built_site, "coarse_to_fine.py")
    stage1, stage2 = out.split("stage 2: validation loss")
    coarse_lrs, coarse_wds = [-3.0, -2.0, -1.0, 0.0, 1.0], [-6.0, -5.0, -4.0, -3.0, -2.0]
    coarse = _oracle_grid(coarse_lrs, coarse_wds)
    shown = [[float(v) for v in vs.split()] for vs in re.findall(r"^\s*1e[-+]\d\d((?:\s+[\d.]+){5})$", stage1, re.M)]
    np.testing.assert_allclose(shown, coarse, atol=5e-4 + TIGHT)
    # the columns hardly matter (third decimal) for lr <= 1 until the weight decay reaches 1e-2; the rows do
    assert (coarse[:4, :4].max(axis=1) - coarse[:4, :4].min(axis=1) < 0.003).all()
    assert (coarse[:4, 4] >= coarse[:4, 0]).all()
    assert coarse[:, 0].max() - coarse[:, 0].min() > 0.4
    i, j = np.unravel_index(coarse.argmin(), coarse.shape)
    assert values["coarse_best_lr"] == pytest.approx(10 ** coarse_lrs[i])
    assert values["coarse_best_log_wd"] == coarse_wds[j]
    assert values["coarse_best_log_wd"] == min(coarse_wds)  # "the best lambda sat on the edge of its range"
    assert values["coarse_best_loss"] == pytest.approx(coarse[i, j], abs=TIGHT)
    assert values["coarse_loss_smallest_lr"] == pytest.approx(coarse[0, 0], abs=TIGHT)

    # stage 2: nine learning rates a quarter decade apart around the best, three weight decays one decade apart
    fine_lrs = [coarse_lrs[i] + 0.25 * t for t in range(-4, 5)]
    fine_wds = [coarse_wds[j] - 1, coarse_wds[j], coarse_wds[j] + 1]
    fine = _oracle_grid(fine_lrs, fine_wds)
    shown = [[float(v) for v in vs.split()] for vs in re.findall(r"^\s*[\d.]+((?:\s+[\d.]+){3})$", stage2, re.M)]
    np.testing.assert_allclose(shown, fine, atol=5e-4 + TIGHT)
    a, b = np.unravel_index(fine.argmin(), fine.shape)
    assert values["fine_best_lr"] == pytest.approx(10 ** fine_lrs[a])
    assert values["fine_best_wd"] == pytest.approx(10 ** fine_wds[b])
    assert values["fine_best_loss"] == pytest.approx(fine[a, b], abs=TIGHT)
    assert 0.18 < values["fine_best_loss"] / values["coarse_best_loss"] < 0.22  # "a fifth of the coarse optimum"
    # one step further the loss is back above 0.2
    assert values["fine_next_lr"] == pytest.approx(10 ** fine_lrs[a + 1])
    assert values["fine_next_lr_best_loss"] == pytest.approx(fine[a + 1].min(), abs=TIGHT) and fine[a + 1].min() > 0.2
    # the test set, once: the fine stage's choice is better there too
    for stage, log_lr, log_wd in [("coarse", coarse_lrs[i], coarse_wds[j]), ("fine", fine_lrs[a], fine_wds[b])]:
        loss, acc = _oracle(10.0**log_lr, 10.0**log_wd, split="test")
        assert values[f"{stage}_test_loss"] == pytest.approx(loss, abs=TIGHT)
        assert values[f"{stage}_test_accuracy"] == pytest.approx(acc, abs=1e-9)
    assert values["fine_test_loss"] < values["coarse_test_loss"]
    assert values["fine_test_accuracy"] > values["coarse_test_accuracy"]


def _log_points(u, low, high):
    """Log10 values placed as the snippet places them: float32 arithmetic on float32 draws."""
    return low + u * (high - low)


def test_grid_versus_random(built_site):
    out = _output(built_site, "grid_vs_random.py")
    values = _values(built_site, "grid_vs_random.py")
    assert values["networks_trained"] == 16 + 2 * 20 * 16 + 41 * 9 > 1000  # "trains over a thousand"
    assert "distinct learning rates tried: grid 4, random 16" in out

    # the usual grid, re-trained point by point: its best, and none of its points in the band (loss below 0.1)
    edges = torch.linspace(-3.0, 1.0, 4).tolist(), torch.linspace(-6.0, -2.0, 4).tolist()
    usual = _oracle_grid(*edges)
    assert usual.min() >= 0.1
    i, j = np.unravel_index(usual.argmin(), usual.shape)
    assert values["grid_best_loss"] == pytest.approx(usual[i, j], abs=TIGHT)
    assert values["grid_best_lr"] == pytest.approx(10 ** edges[0][i], rel=1e-6)

    # the lattice: its best point is in the band near lr = 3, and near lr = 1 the loss is the broad valley's
    assert values["lattice_best_loss"] == pytest.approx(_oracle(values["lattice_best_lr"], 1e-5)[0], abs=TIGHT)
    assert values["lattice_best_loss"] < 0.1 and 2 < values["lattice_best_lr"] < 4.5
    valley = min(_oracle(1.0, 10.0**w)[0] for w in torch.linspace(-6.0, -2.0, 9).tolist())
    assert values["lattice_loss_at_lr_one"] == pytest.approx(valley, abs=TIGHT)

    rows = re.findall(r"^\s*(\d+)" + r"\s+([\d.]+)\s+([\d.]+)\s+([\d.e-]+)" * 2 + "$", out, re.M)
    assert [int(r[0]) for r in rows] == list(range(20))
    best = {"shifted grid": [], "random": []}
    for s, r in enumerate(rows):
        g, rnd = tuple(map(float, r[1:4])), tuple(map(float, r[4:7]))
        # every best point printed is one of the points that seed's search drew, drawn again here as the snippet
        # draws them (float32, log10 units) ...
        u = torch.rand(16, 2, generator=torch.Generator().manual_seed(s))
        drawn = torch.stack([_log_points(u[:, 0], -3.0, 1.0), _log_points(u[:, 1], -6.0, -2.0)], dim=1).double()
        match = ((10.0**drawn - torch.tensor(rnd[1:])).abs() / 10.0**drawn < 6e-3).all(dim=1)
        assert match.sum() == 1
        o = torch.rand(2, generator=torch.Generator().manual_seed(100 + s))
        lrs = (-3.0 + (torch.arange(4.0) + o[0]) * 4.0 / 4).double()
        wds = (-6.0 + (torch.arange(4.0) + o[1]) * 4.0 / 4).double()
        k, m = (10.0**lrs - g[1]).abs().argmin(), (10.0**wds - g[2]).abs().argmin()
        assert abs(10.0 ** lrs[k] - g[1]) / 10.0 ** lrs[k] < 6e-3 and abs(10.0 ** wds[m] - g[2]) / 10.0 ** wds[m] < 6e-3
        # ... and its validation loss, re-trained with torch.nn and torch.optim.SGD at the exact (unrounded) values:
        # near the edge of stability the loss changes a lot between hyperparameters that round alike
        best["shifted grid"].append(_oracle(10.0 ** lrs[k].item(), 10.0 ** wds[m].item())[0])
        best["random"].append(_oracle(*(10.0 ** drawn[match][0]).tolist())[0])
        assert g[0] == pytest.approx(best["shifted grid"][-1], abs=5e-4 + TIGHT)
        assert rnd[0] == pytest.approx(best["random"][-1], abs=5e-4 + TIGHT)
    for name, key in [("shifted grid", "shifted"), ("random", "random")]:
        v = best[name]
        assert values[f"{key}_mean"] == pytest.approx(statistics.mean(v), abs=TIGHT)
        assert values[f"{key}_median"] == pytest.approx(statistics.median_low(v), abs=TIGHT)  # torch: the lower middle
        assert values[f"{key}_hits"] == sum(x < 0.1 for x in v)
    wins = sum(r < g for r, g in zip(best["random"], best["shifted grid"]))
    assert values["random_wins_over_shifted"] == wins
    # the prose: random search beats the usual grid in all 20 seeds, finds the band more often, with a lower mean
    assert values["random_wins_over_usual"] == 20 and max(best["random"]) < usual.min()
    assert values["random_hits"] > values["shifted_hits"] and values["random_mean"] < values["shifted_mean"]
    assert values["shifted_hits"] < 20 and values["random_hits"] < 20  # neither finds the band every time
    assert best["random"][0] >= 0.1  # seed 0 of random search also misses the band, as the figure shows


# --- exercises ----------------------------------------------------------------------------------------------------


def test_exercise_log_uniform(built_site):
    out = _output(built_site, "exercise_log_uniform.py")
    shares = [float(s) for s in re.findall(r"share in \[1e-\d, 1e-\d\): ([\d.]+)", out)]
    assert len(shares) == 4 and sum(shares) == pytest.approx(1.0, abs=2e-3)
    for s in shares:
        assert abs(s - 0.25) < 4 * math.sqrt(0.25 * 0.75 / 100_000) + 1e-3
    assert "ValueError: Invalid low: 0.0" in out and "ValueError: Invalid high: 0.001" in out


def test_exercise_grid_budget(built_site):
    out = _output(built_site, "exercise_grid_budget.py")
    values = _values(built_site, "exercise_grid_budget.py")
    for d, k in [(1, 81), (2, 9), (4, 3)]:
        assert round(81 ** (1 / d)) ** d == 81 and round(81 ** (1 / d)) == k
        assert f"{d} hyperparameter(s): grid {k}^{d} = 81 runs try {k} values of each; random search tries 81" in out
    assert values["grid_runs_four"] == 5**4 and values["grid_runs_six"] == 5**6  # exact integers


def test_exercise_sixty_trials(built_site):
    out = _output(built_site, "exercise_sixty_trials.py")
    values = _values(built_site, "exercise_sixty_trials.py")
    assert math.log(0.05) / math.log(0.95) == pytest.approx(58.4, abs=0.05)  # the solution's closed form
    n = next(n for n in range(1, 1000) if 1 - 0.95**n >= 0.95)
    assert values["trials_needed"] == n == math.ceil(math.log(0.05) / math.log(0.95)) == 59
    assert f"N = {n}, where 1 - 0.95^N = {1 - 0.95**n:.4f}" in out
    p = 1 - 0.95**59
    assert abs(values["simulated_chance"] - p) < 4 * math.sqrt(p * (1 - p) / 20_000)
    assert values["chance_with_sixteen"] == pytest.approx(1 - 0.95**16, rel=1e-12)


def _expected_max_of_normals(n):
    """E[max of n standard normal draws] = ∫ x · n φ(x) Φ(x)^(n-1) dx."""
    return integrate.quad(lambda x: x * n * stats.norm.pdf(x) * stats.norm.cdf(x) ** (n - 1), -np.inf, np.inf)[0]


def test_exercise_winners_curse(built_site):
    out = _output(built_site, "exercise_winners_curse.py")
    rows = {int(n): (float(b), float(f)) for n, b, f in re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)}
    assert sorted(rows) == [1, 10, 100]
    for n, (best, fresh) in rows.items():
        e = _expected_max_of_normals(n)
        # the mean of 5000 minima: its standard error is below 0.02 / sqrt(5000) = 0.0003
        assert best == pytest.approx(0.30 - 0.02 * e, abs=0.0015)
        assert fresh == pytest.approx(0.30, abs=0.0015)
    assert [rows[n][0] for n in (1, 10, 100)] == sorted((rows[n][0] for n in (1, 10, 100)), reverse=True)
    # the constants the solution types are the expected maxima of 10 and 100 standard normal draws
    for n in (10, 100):
        assert f"$0.30 - 0.02 \\cdot {_expected_max_of_normals(n):.2f}$" in _page()
