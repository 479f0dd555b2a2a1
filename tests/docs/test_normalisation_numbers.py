"""The claims chapter 12 makes, checked against closed forms and independent computations (not lessonlib).

The values the snippets publish (which the page quotes with {{ value(...) }})
are compared, with stated tolerances, with closed forms (running statistics),
arithmetic done here, and the experiments re-run with torch.nn.BatchNorm1d,
torch.nn.functional.batch_norm and torch.nn.functional.cross_entropy as the
oracle. The snippets compute in float64, so the oracles agree to ~1e-9.
"""

import math
import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn

CHAPTER = "snippets/11_normalisation"
RELU_STD = math.sqrt(0.5 - 1 / (2 * math.pi))  # std of max(0, Z), Z standard normal: 0.5838


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}").stdout


def _values(built_site, name):
    built_site.check()
    return built_site.values(f"{CHAPTER}/{name}")


def _floats(out, label):
    return [float(v) for v in re.search(re.escape(label) + r"\s*\[(.*)\]", out)[1].split(",")]


def test_batch_norm_by_hand(built_site):
    out = _output(built_site, "batch_norm_by_hand.py")
    assert _floats(out, "x_hat means:") == [0.0, 0.0, 0.0]
    assert _floats(out, "y means (= β):") == [0.0, 1.0, -1.0]
    assert _floats(out, "y stds (= γ):") == [1.0, 2.0, 0.5]
    assert "agrees: True" in out
    # The same mini-batch, normalised by torch.nn.functional.batch_norm.
    f64 = dict(dtype=torch.float64)
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(8, 3, generator=gen, **f64) * torch.tensor([1.0, 10.0, 0.1], **f64) + torch.tensor(
        [5.0, -20.0, 0.0], **f64
    )
    x_hat = F.batch_norm(x, None, None, training=True, eps=1e-5)
    stds = x.std(dim=0, unbiased=False)
    values = _values(built_site, "batch_norm_by_hand.py")
    assert values["smallest_std_before"] == pytest.approx(stds.min().item(), rel=1e-12)
    assert values["largest_std_before"] == pytest.approx(stds.max().item(), rel=1e-12)
    # "from about 0.1 to about ...": scales of 0.1 and 10 times a standard normal's, estimated from 8 values
    assert 0.05 < values["smallest_std_before"] < 0.15 and 5 < values["largest_std_before"] < 15
    # "a hair short": ε = 1e-5 against a variance near 0.01 leaves the std at sqrt(σ²/(σ² + ε)) < 1
    smallest = x_hat.std(dim=0, unbiased=False).min().item()
    assert values["smallest_x_hat_std"] == pytest.approx(smallest, rel=1e-12)
    var = values["smallest_std_before"] ** 2
    assert values["smallest_x_hat_std"] == pytest.approx(math.sqrt(var / (var + 1e-5)), rel=1e-12)
    assert 0.999 <= values["smallest_x_hat_std"] < 1
    assert f"{values['smallest_x_hat_std']:.3f}" in out  # the printed line shows it


def _stds_through(depth_x, weight_std, bn):
    """The activation-statistics chain, with torch's own batch norm (training mode, γ = 1, β = 0)."""
    gen = torch.Generator().manual_seed(1)
    h, stds = depth_x, []
    for _ in range(10):
        z = h @ (torch.randn(100, 100, generator=gen, dtype=torch.float64) * weight_std).T
        if bn:
            z = F.batch_norm(z, None, None, training=True, eps=1e-5)
        h = torch.relu(z)
        stds.append(h.std().item())
    return stds


def test_activation_stats(built_site):
    torch.manual_seed(0)
    x = torch.randn(256, 100, dtype=torch.float64)
    table = {(scale, bn): _stds_through(x, scale / 10, bn) for scale in (1.0, 2.0) for bn in (False, True)}
    out = _output(built_site, "activation_stats.py")
    rows = [
        [float(v) for v in r] for r in re.findall(r"^\s*\d+\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    ]
    assert len(rows) == 10
    for layer, row in enumerate(rows):
        expected = [
            table[1.0, False][layer],
            table[1.0, True][layer],
            table[2.0, False][layer],
            table[2.0, True][layer],
        ]
        assert row == pytest.approx(expected, abs=6e-5)
    values = _values(built_site, "activation_stats.py")
    assert values["small_std_last"] == pytest.approx(table[1.0, False][-1], rel=1e-9)
    assert values["large_std_last"] == pytest.approx(table[2.0, False][-1], rel=1e-9)
    with_bn = table[1.0, True] + table[2.0, True]
    assert values["bn_std_min"] == pytest.approx(min(with_bn), rel=1e-9)
    assert values["bn_std_max"] == pytest.approx(max(with_bn), rel=1e-9)
    # "fade ... from about 1 at the input", "explode": both by more than a factor 20 over ten layers
    assert values["input_std"] == pytest.approx(1, abs=0.01)
    assert values["input_std"] / values["small_std_last"] > 20 and values["large_std_last"] / values["input_std"] > 20
    # with batch norm, "close to √(1/2 − 1/(2π)) ≈ 0.5838" in every layer, whatever the weights
    assert RELU_STD == pytest.approx(0.5838, abs=0.5e-4)
    assert RELU_STD - 0.015 < values["bn_std_min"] <= values["bn_std_max"] < RELU_STD + 0.015
    # He's √(2/n) sits between the two weight scales 1/√n and 2/√n, for n = 100
    assert 1 / math.sqrt(100) < math.sqrt(2 / 100) < 2 / math.sqrt(100)


LRS = [0.03, 0.1, 0.3, 1.0, 3.0, 10.0]


def _independent_lr_table():
    """The learning-rate experiment with torch.nn.BatchNorm1d and F.cross_entropy, in float64 like the snippet."""
    f64 = dict(dtype=torch.float64)
    gen = torch.Generator().manual_seed(1)
    X = torch.randn(256, 20, generator=gen, **f64)
    y = (X @ torch.randn(20, 4, generator=gen, **f64) + 0.5 * torch.randn(256, 4, generator=gen, **f64)).argmax(dim=1)
    table = {}
    for bn in (False, True):
        for lr in LRS:
            torch.manual_seed(1)
            layers, fan_in = [], 20
            for _ in range(6):
                linear = nn.Linear(fan_in, 32, **f64)
                nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
                nn.init.zeros_(linear.bias)
                layers += [linear, nn.BatchNorm1d(32, **f64), nn.ReLU()] if bn else [linear, nn.ReLU()]
                fan_in = 32
            model = nn.Sequential(*layers, nn.Linear(32, 4, **f64))
            opt = torch.optim.SGD(model.parameters(), lr=lr)
            losses = []
            for _ in range(21):
                loss = F.cross_entropy(model(X), y)
                losses.append(loss.item())
                opt.zero_grad()
                loss.backward()
                opt.step()
            table[bn, lr] = (losses[0], losses[-1])
    return table


def _stable(first, last):
    return math.isfinite(last) and last < first


def test_largest_stable_learning_rate(built_site):
    out = _output(built_site, "largest_stable_lr.py")
    rows = re.findall(r"^\s*([\d.]+)\s+(\S+) (ok|--)\s+(\S+) (ok|--)$", out, re.M)
    assert [float(lr) for lr, *_ in rows] == LRS
    oracle = _independent_lr_table()
    for lr, plain, plain_ok, normed, normed_ok in rows:
        for bn, shown, ok in [(False, plain, plain_ok), (True, normed, normed_ok)]:
            first, last = oracle[bn, float(lr)]
            assert (ok == "ok") == _stable(first, last), (bn, lr)
            if math.isfinite(last):
                assert float(shown) == pytest.approx(last, abs=1e-3), (bn, lr)
    largest = {
        bn: max(lr for i, lr in enumerate(LRS) if all(_stable(*oracle[bn, r]) for r in LRS[: i + 1]))
        for bn in (False, True)
    }
    values = _values(built_site, "largest_stable_lr.py")
    assert values["largest_stable_lr_plain"] == largest[False] and values["largest_stable_lr_bn"] == largest[True]
    # "batch norm moves the largest stable learning rate from ... to ...", "the factor of ..."
    assert values["largest_stable_lr_bn"] > values["largest_stable_lr_plain"]
    assert values["stable_lr_factor"] == pytest.approx(largest[True] / largest[False])
    # the alt text: without batch norm the runs "turn to NaN beyond" the limit;
    # with it the loss "rises only beyond" its own
    assert all(math.isnan(oracle[False, lr][1]) for lr in LRS if lr > largest[False])
    assert all(not _stable(*oracle[True, lr]) for lr in LRS if lr > largest[True])
    # "at the same learning rate, the normalised network makes much more progress": at the plain network's limit
    limit = largest[False]
    assert values["loss_at_plain_limit_plain"] == pytest.approx(oracle[False, limit][1], rel=1e-6)
    assert values["loss_at_plain_limit_bn"] == pytest.approx(oracle[True, limit][1], rel=1e-6)
    assert values["start_loss_plain"] == pytest.approx(oracle[False, limit][0], rel=1e-9)
    assert values["loss_at_bn_limit_bn"] == pytest.approx(oracle[True, largest[True]][1], rel=1e-6)
    assert values["loss_at_plain_limit_bn"] < values["loss_at_plain_limit_plain"] / 10
    # "although stable, is still at ..., down only from ...": it has not come down by half
    assert values["start_loss_plain"] / 2 < values["loss_at_plain_limit_plain"] < values["start_loss_plain"]


def test_running_statistics_and_modes(built_site):
    out = _output(built_site, "train_vs_eval.py")
    rows = {int(k): (float(m), float(v)) for k, m, v in re.findall(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)}
    assert sorted(rows) == [1, 5, 20, 50]
    for k, (m, v) in rows.items():
        assert m == pytest.approx(5 * (1 - 0.9**k), abs=6e-5)
        assert v == pytest.approx(0.9**k + 4 * 16 / 15 * (1 - 0.9**k), abs=6e-5)
    values = _values(built_site, "train_vs_eval.py")
    # "after k batches it is 5(1 − 0.9^k)": 0.5 after one, and after fifty
    assert values["running_mean_1"] == pytest.approx(0.5, abs=1e-12)
    mean50, var50 = 5 * (1 - 0.9**50), 0.9**50 + 4 * 16 / 15 * (1 - 0.9**50)
    assert values["running_mean_50"] == pytest.approx(mean50, abs=1e-9)
    assert values["running_var_50"] == pytest.approx(var50, abs=1e-9)
    assert 4 * 16 / 15 == pytest.approx(4.27, abs=5e-3)  # "heads for 4 · 16/15 ≈ 4.27"
    # evaluation mode: the running statistics, the same output alone or in company
    expected_eval = (7 - mean50) / math.sqrt(var50 + 1e-5)
    assert values["eval_alone"] == pytest.approx(expected_eval, abs=1e-9)
    assert values["eval_among_others"] == values["eval_alone"]
    # training mode: 7 is the mean of 5, 7 and 9, so it becomes 0; with 0 and 1 it becomes (7 − μ)/σ
    assert values["train_with_5_9"] == pytest.approx(0.0, abs=1e-12)
    batch = [7, 0, 1]
    mu = sum(batch) / 3
    var = sum((b - mu) ** 2 for b in batch) / 3
    assert values["train_with_0_1"] == pytest.approx((7 - mu) / math.sqrt(var + 1e-5), abs=1e-9)
    assert "ValueError: Expected more than 1 value per channel when training" in out
    assert 2 * (1 - 0.9**3) == pytest.approx(0.542)


def test_batchnorm2d_statistics_per_channel(built_site):
    out = _output(built_site, "batchnorm2d_shapes.py")
    assert "(N, C, H, W): (8, 4, 16, 16)" in out
    assert "shapes: (4,) (4,) (4,)" in out
    assert "[0.0, 0.0, 0.0, 0.0]" in out and "[1.0, 1.0, 1.0, 1.0]" in out
    assert "matrix: True" in out
    values = _values(built_site, "batchnorm2d_shapes.py")
    assert values["values_per_channel"] == 8 * 16 * 16  # "8 · 16 · 16 = ..."
    # "A single image ... is not normalised (its means over (C, H, W) are not 0)": they scatter like 1/√(C·H·W)
    assert values["largest_image_mean"] > 1 / math.sqrt(4 * 16 * 16) / 2
    image_means = [float(v) for v in re.search(r"mean of each image over \(C, H, W\): \[(.*)\]", out)[1].split(",")]
    assert len(image_means) == 8 and max(abs(m) for m in image_means) == pytest.approx(
        values["largest_image_mean"], abs=6e-5
    )


def test_norm_axes(built_site):
    out = _output(built_site, "norm_axes.py")
    assert "every channel has mean 0 over (N, H, W): True" in out
    assert "every example has mean 0 over (C, H, W): True" in out
    assert "alone equals its row in the batch: True" in out
    assert "alone equals their rows in the batch: False" in out


def test_torch_batch_norm_defaults():
    """The page's ε = 10⁻⁵ and momentum 0.1 are PyTorch's defaults (Keras's 0.9 is 1 − 0.1)."""
    bn = nn.BatchNorm1d(3)
    assert bn.eps == 1e-5 and bn.momentum == 0.1 and 1 - bn.momentum == pytest.approx(0.9)
    assert torch.equal(bn.weight.detach(), torch.ones(3)) and torch.equal(
        bn.bias.detach(), torch.zeros(3)
    )  # γ = 1, β = 0
    assert nn.LayerNorm(3).eps == 1e-5
