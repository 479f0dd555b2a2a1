"""The numbers chapter 1 states, checked against independent computations (not against the snippets' own code).

The snippets print these values; the build puts them on the page; here the
printed values are compared with arithmetic, NumPy least squares and counting
done in this file.
"""

import re

import numpy as np
import pytest
import torch


CHAPTER = "snippets/01_learning_problem"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}")["stdout"]


def _line_data():
    """The data of four_ingredients.py: the first draws after torch.manual_seed(0)."""
    torch.manual_seed(0)
    X = torch.rand(100, 1) * 2 - 1
    Y = 2 * X + 1 + 0.1 * torch.randn(100, 1)
    return X[:, 0].double().numpy(), Y[:, 0].double().numpy()


def _least_squares_line(x, y):
    slope, intercept = np.linalg.lstsq(np.stack([x, np.ones_like(x)], axis=1), y, rcond=None)[0]
    return slope, intercept


def test_four_ingredients_learns_the_least_squares_line(built_site):
    out = _output(built_site, "four_ingredients.py")
    w, b = map(float, re.search(r"learned: y = ([-\d.]+) x \+ ([-\d.]+)", out).groups())
    slope, intercept = _least_squares_line(*_line_data())
    # mini-batch SGD with a fixed step ends near, not at, the least-squares line
    assert w == pytest.approx(slope, abs=0.05) and b == pytest.approx(intercept, abs=0.05)
    assert w == pytest.approx(2, abs=0.1) and b == pytest.approx(1, abs=0.1)
    losses = [float(v) for v in re.findall(r"loss on this batch = ([\d.]+)", out)]
    assert losses[0] > 1 and max(losses[1:]) < 0.05  # high at the start, small from step 50 on


def test_parameter_counts(built_site):
    out = _output(built_site, "parameters_vs_hyperparameters.py")
    counts = [int(c) for c in re.findall(r"(\d+) numbers, requires_grad=True", out)]
    assert counts == [16 * 4, 16, 3 * 16, 3]
    assert f"total: {4 * 16 + 16 + 16 * 3 + 3} numbers" in out
    assert "shape (16, 4)" in out  # nn.Linear(4, 16) stores its weight as (out, in)


def test_count_parameters_exercise(built_site):
    out = _output(built_site, "exercise_count_parameters.py")
    assert 10 * 32 + 32 + 32 * 1 + 1 == 385
    assert "by PyTorch: 385" in out and "= 385" in out
    assert "the ReLU layer has 0 parameters" in out


def test_next_word_pairs(built_site):
    out = _output(built_site, "next_word_pairs.py")
    N = len("the cat sat on the mat because the mat was warm".split())
    assert f"{N} words of raw text give {N - 1} labelled training pairs" in out
    assert f"with a 3-word window: {N - 3} pairs" in out


def test_swap_the_loss_outlier(built_site):
    out = _output(built_site, "exercise_swap_the_loss.py")
    fits = {(name, outlier): (float(w), float(b)) for name, outlier, w, b in
            re.findall(r"^(squared|absolute) error.*?(no  |with) outlier: y = ([-\d.]+) x \+ ([-\d.]+)$", out, re.M)}
    assert len(fits) == 4
    x, y = _line_data()
    y_bad = y.copy()
    y_bad[0] = 40.0
    # full-batch gradient descent on squared error converges to least squares, with and without the outlier
    for outlier, target in [("no  ", y), ("with", y_bad)]:
        slope, intercept = _least_squares_line(x, target)
        assert fits[("squared", outlier)] == pytest.approx((slope, intercept), abs=0.02)
    # the outlier drags the least-squares line up; the absolute-error line barely moves
    assert fits[("squared", "with")][1] - fits[("squared", "no  ")][1] > 0.3
    assert abs(fits[("absolute", "with")][1] - fits[("absolute", "no  ")][1]) < 0.02


def test_paradigms(built_site):
    out = _output(built_site, "paradigms.py")
    percent = int(re.search(r"gets (\d+)% of the 60 labels", out)[1])
    assert percent == round(100 * 59 / 60)  # one point of 60 on the wrong side
    g = torch.Generator().manual_seed(2)
    x = torch.rand(40, generator=g) * 4
    target = 0.8 * x + 0.5 + 0.4 * torch.randn(40, generator=g)
    slope, intercept = np.polyfit(x.double().numpy(), target.double().numpy(), 1)
    assert f"fitted y = {slope:.2f} x + {intercept:.2f}" in out
    sizes = [int(s) for s in re.search(r"groups of \[(.*)\]", out)[1].split(",")]
    assert sum(sizes) == 90 and len(sizes) == 3


HIDDEN_MEANS = [0.2, 0.5, 0.8]  # the bandit's machines, as the chapter states them
REWARD_STD = 0.3


def test_bandit_learns_the_best_machine(built_site):
    out = _output(built_site, "bandit.py")
    progress = {int(step): (float(avg), [int(c) for c in counts.split(",")]) for step, avg, counts in
                re.findall(r"after\s+(\d+) pulls: average reward ([-\d.]+), pulls per machine \[(.*)\]", out)}
    assert sorted(progress) == [10, 100, 1000]
    for step, (_, counts) in progress.items():
        assert sum(counts) == step
    assert progress[10][1][2] == 0  # "after ten pulls the agent has not tried machine 2 at all"
    assert progress[100][1][2] > 0  # "by a hundred, exploring has turned it up"
    assert progress[1000][1][2] > 900  # "plays it almost every time"
    # Expected reward of epsilon-greedy once it exploits the best machine: (1 - eps) 0.8 + eps mean(all).
    eps = 0.1
    expected = (1 - eps) * max(HIDDEN_MEANS) + eps * np.mean(HIDDEN_MEANS)
    assert expected == pytest.approx(0.77) and max(HIDDEN_MEANS) - expected == pytest.approx(0.1 * (0.8 - 0.5))
    assert progress[1000][0] == pytest.approx(expected, abs=0.02)
    estimates = [float(v) for v in re.search(r"estimated rewards \[(.*?)\]", out)[1].split(",")]
    for estimate, mean, pulls in zip(estimates, HIDDEN_MEANS, progress[1000][1]):
        assert abs(estimate - mean) < 3 * REWARD_STD / np.sqrt(pulls) + 0.005  # within three standard errors
    assert "the learned policy pulls machine 2" in out


def test_exploration_exercise(built_site):
    out = _output(built_site, "exercise_exploration.py")
    rows = {float(e): (int(found), float(reward)) for e, found, reward in
            re.findall(r"^\s*([\d.]+)\s+(\d+) of 100\s+([-\d.]+)$", out, re.M)}
    assert sorted(rows) == [0.0, 0.01, 0.1, 0.5]
    assert rows[0.0][0] < 10  # "almost no agent ever finds machine 2"
    assert 0 < rows[0.01][0] < 100  # "after 500 pulls many agents still have not"
    assert rows[0.1][0] == rows[0.5][0] == 100
    assert 0.8 - 0.5 * (0.8 - 0.5) == pytest.approx(0.65)
    assert rows[0.5][1] == pytest.approx(0.65, abs=0.015)  # half the pulls wasted on random machines
    assert max(rows, key=lambda e: rows[e][1]) == 0.1  # "epsilon = 0.1 earns the most"
    # Never exploring, an agent's return is that of the machines it sticks to: well below the best machine's.
    assert rows[0.0][1] < 0.5
