"""The numbers chapter 15 states, checked against independent computations (not against lessonlib).

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
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


def _page():
    return PAGE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _one_thread():
    """The oracles train small networks, which run faster on one thread; restore the setting afterwards."""
    n_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n_threads)


# --- why hyperparameters are chosen on validation data -------------------------------------------------------------


def test_training_loss_prefers_no_regularisation(built_site):
    out = _output(built_site, "why_validation.py")
    rows = {float(l): (float(t), float(v)) for l, t, v in re.findall(r"^\s*(\d+e[-+]\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)}
    assert sorted(rows) == [10.0**k for k in range(-6, 3)]
    gen = torch.Generator().manual_seed(0)
    x_train, x_val = torch.rand(15, generator=gen) * 2 - 1, torch.rand(200, generator=gen) * 2 - 1
    y_train = torch.sin(torch.pi * x_train) + 0.3 * torch.randn(15, generator=gen)
    y_val = torch.sin(torch.pi * x_val) + 0.3 * torch.randn(200, generator=gen)
    powers = lambda x: np.stack([x.double().numpy() ** k for k in range(1, 10)], axis=1)
    for lam, (train_mse, val_mse) in rows.items():
        model = Ridge(alpha=lam, solver="cholesky").fit(powers(x_train), y_train.double().numpy())
        assert train_mse == pytest.approx(np.mean((model.predict(powers(x_train)) - y_train.double().numpy()) ** 2), rel=2e-3, abs=1e-4)
        assert val_mse == pytest.approx(np.mean((model.predict(powers(x_val)) - y_val.double().numpy()) ** 2), rel=2e-3, abs=1e-4)
    train = [rows[k][0] for k in sorted(rows)]
    assert train == sorted(train)  # the training error only grows with the penalty
    assert "the training loss picks lambda = 1e-06, the validation loss picks lambda = 1e-01" in out
    assert rows[1e-6][1] > 23 and rows[0.1][1] == 0.1428
    assert f"{rows[1e-6][0]:.2f}" == "0.06" and f"{rows[100.0][0]:.1f}" == "0.6"


# --- log or linear ------------------------------------------------------------------------------------------------


def test_log_versus_linear_sampling(built_site):
    out = _output(built_site, "log_scale.py")
    rows = [tuple(map(float, r)) for r in re.findall(r"^\[1e-\d, 1e-\d\)\s+([\d.]+)\s+([\d.]+)$", out, re.M)]
    assert len(rows) == 3
    closed = [(10.0 ** (k + 1) - 10.0**k) / (0.1 - 1e-4) for k in (-4, -3, -2)]  # the linear shares, exactly
    for (linear, log_uniform), p in zip(rows, closed):
        sd = math.sqrt(p * (1 - p) / 10_000)
        assert abs(linear - p) < 4 * sd + 1e-3
        assert abs(log_uniform - 1 / 3) < 4 * math.sqrt(2 / 9 / 10_000) + 1e-3
    assert f"{closed[2]:.3f}" == "0.901" and rows[2][0] == 0.905
    assert rows[0][0] + rows[1][0] < 0.1  # "less than a tenth of the trials"


# --- the search space -----------------------------------------------------------------------------------------------


def test_search_space_matches_the_table(built_site):
    out = _output(built_site, "search_space.py")
    printed = {name.strip(): (float(lo), float(hi), scale) for name, lo, hi, scale in
               re.findall(r"^(\D[\w ()]+?)\s+([\d.e-]+)\s+([\d.e-]+)\s+(log|log-int|log2|linear|int)$", out, re.M)}
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
    configs = re.findall(r"lr (\S+)\s+batch\s+(\d+)\s+epochs\s+(\d+)\s+dropout (\S+)\s+wd (\S+)\s+width\s+(\d+)\s+depth (\d)", out)
    assert len(configs) == 5
    for lr, batch, epochs, p, wd, width, depth in configs:
        assert 1e-5 <= float(lr) <= 1e-2 and 1e-5 <= float(wd) <= 1e-1 and 0 <= float(p) <= 0.5
        for v, lo, hi in [(int(batch), 16, 512), (int(width), 32, 1024)]:
            assert lo <= v <= hi and v & (v - 1) == 0  # a power of two
        assert 10 <= int(epochs) <= 300 and 1 <= int(depth) <= 4
    assert torch.optim.Adam([torch.zeros(1, requires_grad=True)]).defaults["lr"] == 1e-3  # "10^-3 is the default"


# --- the two-moons experiment, re-run with torch.nn and torch.optim.SGD ------------------------------------------------


def _splits():
    X, y = two_moons(400, noise=0.1, seed=0)
    return train_val_test_split(X, y.float(), proportions=(0.25, 0.5, 0.25), seed=0)


def _oracle(lr, weight_decay, split="val"):
    """A 2-8-1 ReLU nn.Sequential with the snippet's initial weights, 100 steps of torch.optim.SGD."""
    X_train, X_val, X_test, y_train, y_val, y_test = _splits()
    gen = torch.Generator().manual_seed(0)
    W1, W2 = torch.randn(2, 8, generator=gen), torch.randn(8, 1, generator=gen) * 0.5
    net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
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
        return F.binary_cross_entropy_with_logits(logits, y).item(), ((logits > 0).float() == y).float().mean().item()


def test_coarse_to_fine(built_site):
    out = _output(built_site, "coarse_to_fine.py")
    stage1, stage2 = out.split("stage 2: validation loss")
    coarse = {float(lr): [float(v) for v in vs.split()] for lr, vs in re.findall(r"^\s*(1e[-+]\d\d)((?:\s+[\d.]+){5})$", stage1, re.M)}
    assert sorted(coarse) == [1e-3, 1e-2, 1e-1, 1.0, 10.0]
    wds = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2]
    for lr in [1e-3, 1e-1, 1.0]:
        for j in [0, 3, 4]:
            assert coarse[lr][j] == pytest.approx(_oracle(lr, wds[j])[0], abs=1.5e-3)
    # the columns hardly matter (third decimal) for lr <= 1 until the weight decay reaches 1e-2
    for lr in [1e-3, 1e-2, 1e-1, 1.0]:
        assert max(coarse[lr][:4]) - min(coarse[lr][:4]) <= 0.0025 and coarse[lr][4] >= coarse[lr][0]
    assert coarse[1e-3][0] == 0.644 and coarse[1.0][0] == 0.220
    assert "best of stage 1: lr = 1, weight decay = 1e-06, validation loss 0.220" in out
    fine = {float(lr): [float(v) for v in vs.split()] for lr, vs in re.findall(r"^\s*([\d.]+)((?:\s+[\d.]+){3})$", stage2, re.M)}
    assert len(fine) == 9 and min(fine) == 0.1 and max(fine) == 10
    assert "best of stage 2: lr = 3.16, weight decay = 1e-05, validation loss 0.044" in out
    assert _oracle(10**0.5, 1e-5)[0] == pytest.approx(0.044, abs=2e-3)
    assert min(fine[5.62]) > 0.2 and 0.044 / 0.220 == pytest.approx(0.2)
    for name, lr, wd in [("stage 1", 1.0, 1e-6), ("stage 2", 10**0.5, 1e-5)]:
        loss, acc = _oracle(lr, wd, split="test")
        shown = re.search(rf"{name} choice on the test set: loss ([\d.]+), accuracy ([\d.]+)", out)
        assert float(shown[1]) == pytest.approx(loss, abs=2e-3) and float(shown[2]) == pytest.approx(acc, abs=6e-3)
    assert "loss 0.205, accuracy 0.94" in out and "loss 0.045, accuracy 0.98" in out


def test_grid_versus_random(built_site):
    out = _output(built_site, "grid_vs_random.py")
    assert "1025 networks trained; the best validation loss on the 41 x 9 lattice is 0.044" in out
    assert 16 + 2 * 20 * 16 + 41 * 9 == 1025
    assert "distinct learning rates tried: grid 4, random 16" in out
    assert "the usual 4 x 4 grid: best lr = 0.464, weight decay = 1.0e-06, validation loss 0.232" in out
    assert _oracle(10 ** (-1 / 3), 1e-6)[0] == pytest.approx(0.232, abs=1.5e-3)

    rows = re.findall(r"^\s*(\d+)" + r"\s+([\d.]+)\s+([\d.]+)\s+([\d.e-]+)" * 2 + "$", out, re.M)
    assert [int(r[0]) for r in rows] == list(range(20))
    grid = [tuple(map(float, r[1:4])) for r in rows]
    rand = [tuple(map(float, r[4:7])) for r in rows]
    for s, (g, r) in enumerate(zip(grid, rand)):
        # every best point printed is one of the points that seed's search drew, drawn again here as the snippet
        # draws them (float32, log10 units) ...
        u = torch.rand(16, 2, generator=torch.Generator().manual_seed(s))
        drawn = torch.stack([10.0 ** (-3.0 + u[:, 0] * 4.0), 10.0 ** (-6.0 + u[:, 1] * 4.0)], dim=1)
        match = ((drawn.double() - torch.tensor(r[1:])).abs() / drawn < 6e-3).all(dim=1)
        assert match.sum() == 1
        o = torch.rand(2, generator=torch.Generator().manual_seed(100 + s))
        lrs, wds = 10.0 ** (-3.0 + torch.arange(4.0) + o[0]), 10.0 ** (-6.0 + torch.arange(4.0) + o[1])
        i, j = (lrs.double() - g[1]).abs().argmin(), (wds.double() - g[2]).abs().argmin()
        assert abs(lrs[i] - g[1]) / lrs[i] < 6e-3 and abs(wds[j] - g[2]) / wds[j] < 6e-3
        # ... and its validation loss, re-trained with torch.nn and torch.optim.SGD at the exact (unrounded) values:
        # near the edge of stability the loss changes a lot between hyperparameters that round alike
        assert g[0] == pytest.approx(_oracle(lrs[i].item(), wds[j].item())[0], abs=2e-3)
        lr, wd = drawn[match][0].tolist()
        assert r[0] == pytest.approx(_oracle(lr, wd)[0], abs=2e-3)
    grid, rand = [(v, lr) for v, lr, _ in grid], [(v, lr) for v, lr, _ in rand]
    summary = {}
    for name, values in [("shifted grid", [v for v, _ in grid]), ("random", [v for v, _ in rand])]:
        mean, median, hits = statistics.mean(values), statistics.median_low(values), sum(v < 0.1 for v in values)
        line = f"{name:>12}: mean {mean:.3f}, median {median:.3f}, below 0.1 in {hits} of 20 seeds"
        assert abs(mean - float(re.search(rf"{name}: mean ([\d.]+)", out)[1])) <= 0.0006
        assert re.sub(r"mean [\d.]+", "", line) == re.sub(r"mean [\d.]+", "", re.search(rf"^\s*{name}: .*$", out, re.M)[0])
        summary[name] = (mean, median, hits)
    wins = sum(r[0] < g[0] for r, g in zip(rand, grid))
    assert f"random search beats the shifted grid in {wins} of 20 seeds, the usual grid in 20 of 20" in out
    assert all(v < 0.232 for v, _ in rand)
    page = _page()
    assert "| shifted grid, 20 seeds | $0.181$ | $0.220$ | 5 of 20 |" in page
    assert "| random search, 20 seeds | $0.139$ | $0.159$ | 8 of 20 |" in page
    assert "shifted grid: mean 0.181, median 0.220, below 0.1 in 5 of 20 seeds" in out
    assert "random: mean 0.139, median 0.159, below 0.1 in 8 of 20 seeds" in out
    assert "beats the shifted grid in 12 of 20 seeds" in out


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
    for d, k in [(1, 81), (2, 9), (4, 3)]:
        assert round(81 ** (1 / d)) ** d == 81 and round(81 ** (1 / d)) == k
        assert f"{d} hyperparameter(s): grid {k}^{d} = 81 runs try {k} values of each; random search tries 81" in out
    assert "4: 625" in out and "6: 15625" in out and 5**4 == 625 and 5**6 == 15625


def test_exercise_sixty_trials(built_site):
    out = _output(built_site, "exercise_sixty_trials.py")
    assert f"{math.log(0.05) / math.log(0.95):.1f}" == "58.4"
    n = next(n for n in range(1, 1000) if 1 - 0.95**n >= 0.95)
    assert f"N = {n}, where 1 - 0.95^N = {1 - 0.95**n:.4f}" in out and n == 59
    simulated = float(re.search(r"simulated: ([\d.]+)", out)[1])
    p = 1 - 0.95**59
    assert abs(simulated - p) < 4 * math.sqrt(p * (1 - p) / 20_000)
    assert f"with N = 16 trials, as in the chapter: {1 - 0.95**16:.3f}" in out and f"{1 - 0.95**16:.3f}" == "0.560"


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
    assert f"{_expected_max_of_normals(10):.2f}" == "1.54" and f"{_expected_max_of_normals(100):.2f}" == "2.51"
