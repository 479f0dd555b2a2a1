"""Classic and inverted dropout: different training outputs, each with the expectation of its test output."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.nn import classic_dropout, dropout

use_book_style()
device = get_device()
gen = torch.Generator(device=device).manual_seed(0)

p = 0.5  # the probability of dropping a unit
a = torch.tensor([0.8, 2.0, 0.0, 1.2, 0.4, 1.6], device=device)  # one layer's activations, one example
draws = 20_000
batch = a.expand(draws, -1)  # the same activations, seen 20 000 times: a fresh mask each time

classic_train = classic_dropout(batch, p, training=True, generator=gen)
inverted_train = dropout(batch, p, training=True, generator=gen)
classic_test = classic_dropout(a, p, training=False)  # (1 − p)·a
inverted_test = dropout(a, p, training=False)  # a, untouched

fmt = lambda t: "[" + ", ".join(f"{v:5.2f}" for v in t.tolist()) + "]"
print(f"p = {p}, activations a = {fmt(a)}")
for label, t in [
    ("classic,  one training pass", classic_train[0]),
    (f"classic,  mean of {draws} passes", classic_train.mean(dim=0)),
    ("classic,  test time (1 − p)·a", classic_test),
    ("inverted, one training pass", inverted_train[0]),
    (f"inverted, mean of {draws} passes", inverted_train.mean(dim=0)),
    ("inverted, test time a", inverted_test),
]:
    print(f"{label + ':':35s}{fmt(t)}")

fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
units = range(len(a))
for ax, name, train, test, scale in [
    (axes[0], "classic dropout\nno scaling in training, × (1 − p) at test", classic_train, classic_test, 1),
    (axes[1], "inverted dropout\n× 1/(1 − p) in training, nothing at test", inverted_train, inverted_test,
     1 / (1 - p)),
]:
    ax.bar(units, test.cpu(), color="C0", alpha=0.35, label="test-time output")
    ax.plot(units, (scale * a).cpu(), "_", ms=18, mew=2, color="C1",
            label="a kept unit in training (dropped: 0)")
    ax.plot(units, train.mean(dim=0).cpu().round(decimals=3), "kD", ms=6,
            label=f"mean over {draws} training passes")
    ax.set(xticks=list(units), xticklabels=[f"{v:g}" for v in a.tolist()],
           xlabel="the unit's activation a", title=name)
axes[0].set_ylabel("output of the dropout layer")
axes[0].legend(loc="upper left", fontsize=8)
savefig(fig, "dropout_expectation")
