"""The numbers chapter 15 states, checked against scikit-learn and closed forms (not lessonlib.metrics).

Every model in the chapter's snippets is refitted here with scikit-learn's
LogisticRegression (unpenalised, the same class weights), or with plain torch
for the softmax regression on the digits, and every metric is recomputed with
sklearn.metrics. Inputs come from lessonlib.data, as in the snippets. The
numbers the prose quotes are the snippets' published values (built_site.values);
the tests compare them with the oracle and check what the prose claims of them.
"""

import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.stats import mannwhitneyu, norm
from sklearn import metrics as skm
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from lessonlib.data import digits, imbalanced_binary, train_val_test_split

CHAPTER = "snippets/14_evaluation"


def _output(built_site, name):
    built_site.check()
    return built_site.run(f"{CHAPTER}/{name}").stdout


def _values(built_site, name):
    built_site.check()
    return built_site.values(f"{CHAPTER}/{name}")


def _f3(x):
    return f"{x:.3f}"


def _data(seed):
    X, y = imbalanced_binary(2000, ratio=0.05, separation=2.0, seed=seed)
    return X.double().numpy(), y.numpy()


def _logistic(X, y, q=1.0):
    """The unpenalised logistic regression of the snippets, fitted by scikit-learn."""
    model = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000, class_weight={0: 1.0, 1: q})
    return model.fit(X, y)


def _label_scores(y, y_pred):
    return [
        skm.accuracy_score(y, y_pred),
        skm.precision_score(y, y_pred, zero_division=0),
        skm.recall_score(y, y_pred),
        skm.f1_score(y, y_pred),
        skm.balanced_accuracy_score(y, y_pred),
    ]


def _table_row(out, label):
    line = next(line for line in out.splitlines() if line.startswith(label))
    return [float(v) for v in re.findall(r"-?\d+\.\d+", line[len(label) :])]


# --------------------------------------------------------------------------- the counts


SCREEN_TRUE = [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0]
SCREEN_PRED = [1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0]


def test_counts_by_hand(built_site):
    out = _output(built_site, "counts_by_hand.py")
    tn, fp, fn, tp = skm.confusion_matrix(SCREEN_TRUE, SCREEN_PRED).ravel()
    assert (tp, fp, fn, tn) == (4, 3, 2, 11)
    assert "TP = 4, FP = 3, FN = 2, TN = 11  (m = 20)" in out
    assert "[[11,  3],\n        [ 2,  4]]" in out
    oracle = {
        "accuracy": ("15/20", skm.accuracy_score(SCREEN_TRUE, SCREEN_PRED)),
        "precision": ("4/7", skm.precision_score(SCREEN_TRUE, SCREEN_PRED)),
        "recall": ("4/6", skm.recall_score(SCREEN_TRUE, SCREEN_PRED)),
        "F1": ("8/13", skm.f1_score(SCREEN_TRUE, SCREEN_PRED)),
    }
    for name, (fraction, value) in oracle.items():
        line = next(line for line in out.splitlines() if line.startswith(name + " "))
        assert f"{fraction} = {_f3(value)}" in line and line.endswith(_f3(value))
    values = _values(built_site, "counts_by_hand.py")
    assert (values["tp"], values["fp"], values["fn"], values["tn"]) == (tp, fp, fn, tn)
    assert (values["flagged"], values["ill"]) == (tp + fp, tp + fn) == (7, 6)  # the prose's 4/7 and 4/6
    for name, exact in [("accuracy", 15 / 20), ("precision", 4 / 7), ("recall", 4 / 6), ("f1", 8 / 13)]:
        assert values[name] == pytest.approx(exact, abs=1e-12)


def test_harmonic_mean_example():
    # The chapter: precision 1 and recall 0.02 average to 0.51, but their F1 is 0.039.
    P, R = 1.0, 0.02
    assert (P + R) / 2 == pytest.approx(0.51)
    assert round(2 * P * R / (P + R), 3) == 0.039


# --------------------------------------------------------------------------- the digits


def _digits_predictions():
    X, y = digits()
    X_train, _, X_test, y_train, _, y_test = train_val_test_split(X.double(), y, proportions=(0.6, 0.2, 0.2), seed=0)
    W = torch.zeros(64, 10, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(10, dtype=torch.float64, requires_grad=True)
    for _ in range(200):
        loss = F.cross_entropy(X_train @ W + b, y_train)
        W.grad = b.grad = None
        loss.backward()
        with torch.no_grad():
            W -= 1.0 * W.grad
            b -= 1.0 * b.grad
    with torch.no_grad():
        return y_test.numpy(), (X_test @ W + b).argmax(dim=1).numpy()


def test_digits_confusion(built_site):
    out = _output(built_site, "digits_confusion.py")
    y_true, y_pred = _digits_predictions()
    C = skm.confusion_matrix(y_true, y_pred)
    block = out[out.index("tensor(") : out.index("])\n") + 2]
    shown = np.array([[int(v) for v in re.findall(r"\d+", row)] for row in block.split("\n")])
    np.testing.assert_array_equal(shown, C)
    assert f"360 test images, accuracy {_f3(skm.accuracy_score(y_true, y_pred))}" in out
    values = _values(built_site, "digits_confusion.py")
    assert values["accuracy"] == pytest.approx(skm.accuracy_score(y_true, y_pred), abs=1e-12)
    assert 0.935 <= values["accuracy"] < 0.945  # "about 94%"

    P, R, F1, support = skm.precision_recall_fscore_support(y_true, y_pred)
    rows = re.findall(r"^\s+(\d)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert len(rows) == 10
    for c, n, p, r, f in rows:
        c = int(c)
        assert (int(n), p, r, f) == (support[c], _f3(P[c]), _f3(R[c]), _f3(F1[c]))
    for average in ["macro", "weighted", "micro"]:
        p, r, f, _ = skm.precision_recall_fscore_support(y_true, y_pred, average=average)
        assert f"{average:>8} average:  P = {_f3(p)}  R = {_f3(r)}  F1 = {_f3(f)}" in out
    # micro-averaged scores equal the accuracy on single-label data
    assert skm.f1_score(y_true, y_pred, average="micro") == pytest.approx(skm.accuracy_score(y_true, y_pred))

    # the figure's alt text
    assert (values["correct"], values["correct_min"], values["correct_max"]) == (
        np.trace(C),
        C.diagonal().min(),
        C.diagonal().max(),
    )
    averages = [
        v
        for a in ["macro", "weighted", "micro"]
        for v in skm.precision_recall_fscore_support(y_true, y_pred, average=a)[:3]
    ]
    assert max(averages) - min(averages) < 0.01  # "agree to within 0.01"
    assert (values["threes_as_7_or_8"], values["threes"]) == (C[3, 7] + C[3, 8], C[3].sum())
    # the largest off-diagonal cells, as the alt text names them
    mistakes = {(i, j): C[i, j] for i in range(10) for j in range(10) if i != j and C[i, j] >= 3}
    assert mistakes == {(3, 7): values["threes_as_7"], (3, 8): values["threes_as_8"], (5, 9): values["fives_as_9"]}
    for (i, j), n in mistakes.items():
        assert f"a true {i} predicted as {j}: {n} times" in out
    # "the 0s, 2s, 6s and 7s are all recognised"
    perfect = [f"{c}s" for c in range(10) if R[c] == 1]
    assert values["perfect_recall_digits"] == ", ".join(perfect[:-1]) + " and " + perfect[-1]
    # the 8s: high recall but the lowest precision; the 3s the opposite
    assert values["precision_8"] == pytest.approx(P[8], abs=1e-12) and values["recall_8"] == pytest.approx(
        R[8], abs=1e-12
    )
    assert P[8] == P.min() and R[8] > 0.95
    assert values["precision_3"] == pytest.approx(P[3], abs=1e-12) == 1.0
    assert values["recall_3"] == pytest.approx(R[3], abs=1e-12) and R[3] < 0.8
    assert values["micro_f1"] == pytest.approx(values["accuracy"], abs=1e-12)


# --------------------------------------------------------------------------- imbalance and thresholds


def test_accuracy_misleads(built_site):
    out = _output(built_site, "accuracy_misleads.py")
    X_train, y_train = _data(0)
    X_test, y_test = _data(1)
    assert "test set: 1900 negatives, 100 positives" in out
    assert (y_test == 0).sum() == 1900 and y_test.sum() == 100

    baseline = np.zeros_like(y_test)
    model_pred = (_logistic(X_train, y_train).predict_proba(X_test)[:, 1] >= 0.5).astype(int)
    for label, y_pred in [("always negative", baseline), ("logistic regression", model_pred)]:
        assert [_f3(v) for v in _table_row(out, label)] == [_f3(v) for v in _label_scores(y_test, y_pred)]
    assert _table_row(out, "always negative") == [0.95, 0.0, 0.0, 0.0, 0.5]  # exact: 1900/2000, and zeros
    values = _values(built_site, "accuracy_misleads.py")
    expected = _label_scores(y_test, model_pred)
    for name, k in [("model_accuracy", 0), ("model_recall", 2), ("model_f1", 3), ("model_balanced", 4)]:
        assert values[name] == pytest.approx(expected[k], abs=1e-12), name
    assert (values["baseline_accuracy"], values["baseline_balanced"], values["test_positives"]) == (0.95, 0.5, 100)
    tn, fp, fn, tp = skm.confusion_matrix(y_test, model_pred).ravel()
    assert (values["model_tp"], values["model_fp"]) == (tp, fp)
    # "less than one point better"; "it misses three positives out of four"
    assert 0 < values["model_accuracy"] - values["baseline_accuracy"] < 0.01
    assert 0.2 < values["model_recall"] < 0.3
    for label, y_pred in [("always negative", baseline), ("logistic regression", model_pred)]:
        block = out[out.index(f"confusion matrix, {label}:") :].split("]])")[0]
        shown = [int(v) for v in re.findall(r"\d+", block.split(":", 1)[1])]
        assert shown == skm.confusion_matrix(y_test, y_pred).ravel().tolist()


def test_thresholds_roc_pr(built_site):
    out = _output(built_site, "thresholds_roc_pr.py")
    X_train, y_train = _data(0)
    X_test, y_test = _data(1)
    p = _logistic(X_train, y_train).predict_proba(X_test)[:, 1]
    rows = re.findall(r"^(\d\.\d\d)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.M)
    assert [r[0] for r in rows] == ["0.90", "0.70", "0.50", "0.30", "0.20", "0.10", "0.05"]
    for tau, tp, fp, fn, precision, recall, fpr in rows:
        tn_, fp_, fn_, tp_ = skm.confusion_matrix(y_test, (p >= float(tau)).astype(int)).ravel()
        assert (int(tp), int(fp), int(fn)) == (tp_, fp_, fn_)
        assert (precision, recall, fpr) == (_f3(tp_ / (tp_ + fp_)), _f3(tp_ / (tp_ + fn_)), _f3(fp_ / (fp_ + tn_)))
    auc, ap = skm.roc_auc_score(y_test, p), skm.average_precision_score(y_test, p)
    assert f"ROC AUC = {_f3(auc)}   average precision = {_f3(ap)}" in out
    precision, recall, _ = skm.precision_recall_curve(y_test, p)
    trapezoid = skm.auc(recall, precision)
    assert f"by the trapezoid rule: {_f3(trapezoid)}" in out
    values = _values(built_site, "thresholds_roc_pr.py")
    assert values["auc"] == pytest.approx(auc, abs=1e-9) and values["ap"] == pytest.approx(ap, abs=1e-9)
    assert values["trapezoid"] == pytest.approx(trapezoid, abs=1e-9)
    assert abs(values["trapezoid"] - values["ap"]) < 0.01  # "happen to be close"
    assert 0.4 < values["ap"] < 0.6  # "about half of what it flags is a real positive"
    assert values["prevalence"] == 0.05  # "a random ranking has an AP of about the prevalence (0.05 here)"
    # the sweep: as τ falls, recall climbs and precision falls (the prose and the figures' alt text)
    for tau, key in [(0.9, "09"), (0.5, "05"), (0.05, "005")]:
        tn_, fp_, fn_, tp_ = skm.confusion_matrix(y_test, (p >= tau).astype(int)).ravel()
        assert values[f"recall_at_{key}"] == pytest.approx(tp_ / (tp_ + fn_), abs=1e-12)
        if key != "05":
            assert values[f"precision_at_{key}"] == pytest.approx(tp_ / (tp_ + fp_), abs=1e-12)
        if key == "005":
            assert values["fpr_at_005"] == pytest.approx(fp_ / (fp_ + tn_), abs=1e-12)
    assert values["recall_at_09"] < values["recall_at_05"] < values["recall_at_005"]
    assert values["precision_at_09"] > values["precision_at_005"]
    assert 0.15 <= values["precision_at_005"] < 0.25  # "falling ... to about 0.2"
    assert "a random ranking: 0.5 and 0.050" in out


def _ranking_scores():
    gen = torch.Generator().manual_seed(0)
    s_neg = torch.randn(700, generator=gen, dtype=torch.float64)
    s_pos = 1.5 + torch.randn(300, generator=gen, dtype=torch.float64)
    return s_pos.numpy(), s_neg.numpy()


def test_auc_ranking(built_site):
    out = _output(built_site, "auc_ranking.py")
    scores = [0.95, 0.90, 0.85, 0.80, 0.70, 0.65, 0.60, 0.50, 0.45, 0.40, 0.30, 0.20]
    labels = [1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0]
    assert skm.roc_auc_score(labels, scores) == pytest.approx(28 / 35)
    assert "35 pairs, 28 ranked right: 28/35 = 0.8000" in out and "roc_auc_score: 0.8000" in out
    # the docstring's four-example case quoted in the chapter: 3 of 4 pairs, 0.75
    assert skm.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75

    s_pos, s_neg = _ranking_scores()
    y = np.r_[np.zeros(700), np.ones(300)]
    s = np.r_[s_neg, s_pos]
    auc = skm.roc_auc_score(y, s)
    u = mannwhitneyu(s_pos, s_neg).statistic
    assert u / (300 * 700) == pytest.approx(auc)
    shown = dict(
        re.findall(
            r"^(roc_auc_score \(area under the curve\)|fraction of all 210,000 pairs ranked right|"
            r"fraction of 100,000 random pairs|Mann-Whitney U / \(m₊·m₋\), from the ranks|"
            r"population value Φ\(1.5/√2\))\s+([\d.]+)$",
            out,
            re.M,
        )
    )
    assert len(shown) == 5
    assert shown["roc_auc_score (area under the curve)"] == f"{auc:.4f}"
    values = _values(built_site, "auc_ranking.py")
    assert (values["cells_under"], values["cells"]) == (28, 35)  # the figure: 28 of the 5 × 7 cells
    assert values["auc"] == pytest.approx(auc, abs=1e-12)
    assert values["population_auc"] == pytest.approx(norm.cdf(1.5 / math.sqrt(2)), abs=1e-12)
    # "agree to every printed digit"
    assert f"{values['all_pairs']:.4f}" == f"{values['mann_whitney']:.4f}" == f"{values['auc']:.4f}"
    assert shown["fraction of all 210,000 pairs ranked right"] == f"{auc:.4f}"
    assert shown["Mann-Whitney U / (m₊·m₋), from the ranks"] == f"{u / (300 * 700):.4f}"
    assert shown["population value Φ(1.5/√2)"] == f"{norm.cdf(1.5 / math.sqrt(2)):.4f}"
    sampled = float(shown["fraction of 100,000 random pairs"])
    assert abs(sampled - auc) < 3 * math.sqrt(auc * (1 - auc) / 100_000)  # within three standard errors
    # "within two standard errors (one is about 0.001 here)"
    se = math.sqrt(auc * (1 - auc) / 100_000)
    assert values["sampled_se"] == pytest.approx(se, rel=1e-9) and abs(values["sampled_se"] - 0.001) < 0.0005
    assert values["sampled_off"] == pytest.approx((values["sampled"] - auc) / se, rel=1e-9)
    assert abs(values["sampled_off"]) < 2
    assert f"its standard error √(p(1-p)/100,000)       {se:.4f}" in out
    assert f"off the exact fraction by                  {values['sampled_off']:.2f} standard errors" in out
    for name, t in [("exp(s)", np.exp(s)), ("s³", s**3), ("sigmoid(s)", 1 / (1 + np.exp(-s))), ("-s", -s)]:
        assert f"AUC of {name:<14} {skm.roc_auc_score(y, t):.4f}" in out
    assert f"AUC of -s             {1 - auc:.4f}" in out


def test_prevalence(built_site):
    out = _output(built_site, "prevalence.py")
    gen = torch.Generator().manual_seed(0)
    s_pos = (2.0 + torch.randn(200, generator=gen, dtype=torch.float64)).numpy()
    s_neg_all = torch.randn(19_800, generator=gen, dtype=torch.float64).numpy()
    assert f"population AUC Φ(2/√2) = {_f3(norm.cdf(math.sqrt(2)))}" in out
    aucs, aps = [], []
    for n_neg in [200, 1800, 19_800]:
        y = np.r_[np.ones(200), np.zeros(n_neg)]
        s = np.r_[s_pos, s_neg_all[:n_neg]]
        auc, ap = skm.roc_auc_score(y, s), skm.average_precision_score(y, s)
        aucs.append(auc)
        aps.append(ap)
        assert re.search(rf"^\s+{200 / (200 + n_neg):.2f}\s+200\s+{n_neg}\s+{_f3(auc)}\s+{_f3(ap)}$", out, re.M)
    assert max(aucs) - min(aucs) < 0.005 and aps[0] > aps[1] > aps[2]
    values = _values(built_site, "prevalence.py")
    for k, key in enumerate(["50", "10", "1"]):
        assert values[f"auc_{key}"] == pytest.approx(aucs[k], abs=1e-12)
        assert values[f"ap_{key}"] == pytest.approx(aps[k], abs=1e-12)
    # "the ROC AUC says so, 0.92 each time"
    assert len({f"{values[f'auc_{key}']:.2f}" for key in ["50", "10", "1"]}) == 1
    assert values["ap_1"] / 0.01 > 25  # "more than 25 times better than chance"
    tpr, fpr = norm.cdf(1.0), norm.sf(1.0)
    assert f"TPR = {_f3(tpr)}, FPR = {_f3(fpr)}" in out
    for prevalence in [0.5, 0.1, 0.01]:
        precision = prevalence * tpr / (prevalence * tpr + (1 - prevalence) * fpr)
        assert f"prevalence {prevalence:4.2f}: precision = {_f3(precision)}" in out
    assert values["precision_at_1_50"] == pytest.approx(norm.cdf(1.0), abs=1e-12)  # TPR / (TPR + FPR) at 50%
    assert values["precision_at_1_1"] == pytest.approx(0.01 * tpr / (0.01 * tpr + 0.99 * fpr), abs=1e-12)


# --------------------------------------------------------------------------- rebalancing


def test_class_weights(built_site):
    out = _output(built_site, "class_weights.py")
    X_train, y_train = _data(0)
    X_test, y_test = _data(1)
    assert "the balancing weight is q = 1900/100 = 19" in out
    base = _logistic(X_train, y_train)
    p_1 = base.predict_proba(X_test)[:, 1]
    f1s, scores = {}, {}
    for q in [1, 2, 4, 8, 19]:
        model = _logistic(X_train, y_train, q=q)
        s = model.decision_function(X_test)
        y_pred = (s >= 0).astype(int)
        _, precision, recall, f1, balanced = _label_scores(y_test, y_pred)
        f1s[q] = f1
        scores[q] = precision, recall, f1, balanced, skm.roc_auc_score(y_test, s)
        auc = skm.roc_auc_score(y_test, s)
        row = rf"^\s+{q}\s+{_f3(precision)}\s+{_f3(recall)}\s+{_f3(f1)}\s+{_f3(balanced)}\s+{_f3(auc)}$"
        assert re.search(row, out, re.M), q
        (w1, w2), b = model.coef_[0], model.intercept_[0]
        same = np.mean((s >= 0) == (p_1 >= 1 / (1 + q)))
        row = (
            rf"^\s+{q}\s+{_f3(w1)}\s+{_f3(w2)}\s+{_f3(b)}\s+{_f3(b - base.intercept_[0])}\s+{_f3(math.log(q))}"
            rf"\s+{same:.1%} of the test set$"
        )
        assert re.search(row, out, re.M), q
        assert same > 0.99
    values = _values(built_site, "class_weights.py")
    for q in [1, 19]:
        for k, name in enumerate(["precision", "recall", "f1", "balanced", "auc"]):
            assert values[f"{name}_q{q}"] == pytest.approx(scores[q][k], abs=1e-6), (name, q)
    # "F1 improves, for a moderate weight; the fully balanced q = 19 overshoots and lowers it"
    assert values["best_q"] == max(f1s, key=f1s.get) and 1 < values["best_q"] < 19
    assert values["f1_best"] == pytest.approx(f1s[values["best_q"]], abs=1e-6)
    assert f1s[19] < f1s[1] < values["f1_best"]
    # recall and balanced accuracy rise, precision falls, the ROC AUC "does not move"
    assert values["recall_q19"] > values["recall_q1"] and values["balanced_q19"] > values["balanced_q1"]
    assert values["precision_q19"] < values["precision_q1"]
    assert abs(values["auc_q19"] - values["auc_q1"]) < 0.002
    assert f"{values['auc_q1']:.2f}" == f"{values['auc_q19']:.2f}"  # the alt text: "stays flat"
    # "on at least ... of the test points the two rules make the same decision"
    assert 0.99 < values["same_min"] <= 1
    assert 1 / (1 + 19) == pytest.approx(0.05)  # balanced weights: predict positive above the base rate


def _resampled_indices(y, gen):
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    extra = pos[torch.randint(len(pos), (len(neg) - len(pos),), generator=gen).numpy()]
    return np.r_[neg, pos, extra]


def _under_indices(y, gen):
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    return np.r_[neg[torch.randperm(len(neg), generator=gen)[: len(pos)].numpy()], pos]


def test_resampling(built_site):
    out = _output(built_site, "resampling.py")
    X_train, y_train = _data(0)
    X_test, y_test = _data(1)
    gen = torch.Generator().manual_seed(0)
    over, under = _resampled_indices(y_train, gen), _under_indices(y_train, gen)
    strategies = {
        "plain": (X_train, y_train, 1.0, "1900 + 100"),
        "class weights, q = 19": (X_train, y_train, 19.0, "1900 + 100"),
        "over-sampled": (X_train[over], y_train[over], 1.0, "1900 + 1900"),
        "under-sampled": (X_train[under], y_train[under], 1.0, "100 + 100"),
    }
    for name, (X, y, q, size) in strategies.items():
        s = _logistic(X, y, q).decision_function(X_test)
        expected = _label_scores(y_test, (s >= 0).astype(int))
        expected += [skm.roc_auc_score(y_test, s), skm.average_precision_score(y_test, s)]
        line = next(line for line in out.splitlines() if line.startswith(name))
        assert size in line
        shown = _table_row(out, name)
        assert len(shown) == len(expected)
        # within rounding: an AUC can sit exactly on a rounding edge (the over-sampled one is 0.9205 = 174,895/190,000)
        assert all(abs(a - b) <= 5e-4 + 1e-9 for a, b in zip(shown, expected)), name

    for name, sample in [("over-sampled", _resampled_indices), ("under-sampled", _under_indices)]:
        f1s, aucs = [], []
        for seed in range(1, 11):
            idx = sample(y_train, torch.Generator().manual_seed(seed))
            s = _logistic(X_train[idx], y_train[idx]).decision_function(X_test)
            f1s.append(skm.f1_score(y_test, (s >= 0).astype(int)))
            aucs.append(skm.roc_auc_score(y_test, s))
        line = next(line for line in out.splitlines() if line.startswith(name) and " to " in line)
        shown = [float(v) for v in re.findall(r"\d\.\d+", line)]
        assert all(abs(a - b) <= 5e-4 + 1e-9 for a, b in zip(shown, [min(f1s), max(f1s), min(aucs), max(aucs)])), name
        if name == "under-sampled":
            assert max(f1s) - min(f1s) > 0.02  # under-sampling's draws vary more
        else:
            assert max(f1s) - min(f1s) < 0.02
    values = _values(built_site, "resampling.py")
    weights = _values(built_site, "class_weights.py")
    # "its line and its numbers match q = 19"
    assert abs(values["over_recall"] - weights["recall_q19"]) <= 0.01
    assert abs(values["over_f1"] - weights["f1_q19"]) <= 0.01 and abs(values["over_auc"] - weights["auc_q19"]) <= 0.002
    assert values["over_f1_min"] <= values["over_f1_max"] and values["under_f1_min"] <= values["under_f1_max"]
    assert values["under_f1_max"] - values["under_f1_min"] > values["over_f1_max"] - values["over_f1_min"]
    assert values["auc_min"] < weights["auc_q1"]  # "with AUCs as low as ...", below the full-data model's


# --------------------------------------------------------------------------- exercises


def test_exercise_from_counts(built_site):
    out = _output(built_site, "exercise_from_counts.py")
    y_true = [1] * 30 + [0] * 20 + [1] * 10 + [0] * 940
    y_pred = [1] * 30 + [1] * 20 + [0] * 10 + [0] * 940
    expected = (
        f"accuracy {_f3(skm.accuracy_score(y_true, y_pred))}, precision {_f3(skm.precision_score(y_true, y_pred))}, "
        f"recall {_f3(skm.recall_score(y_true, y_pred))}, F1 {_f3(skm.f1_score(y_true, y_pred))}"
    )
    assert f"by hand:   {expected}" in out and f"lessonlib: {expected}" in out
    assert expected == "accuracy 0.970, precision 0.600, recall 0.750, F1 0.667"
    assert f"flag nothing: accuracy {_f3(skm.accuracy_score(y_true, [0] * 1000))}, recall 0.000, F1 0.000" in out


def test_exercise_macro_micro(built_site):
    out = _output(built_site, "exercise_macro_micro.py")
    y_true = [0] * 90 + [1] * 7 + [2] * 3
    better = [0] * 84 + [1] * 3 + [2] * 3 + [1] * 4 + [0] * 3 + [2] * 1 + [0] * 2
    for name, y_pred in [("always class 0", [0] * 100), ("second classifier", better)]:
        per_class = [round(float(v), 3) for v in skm.f1_score(y_true, y_pred, average=None, zero_division=0)]
        assert (
            f"{name}: accuracy {_f3(skm.accuracy_score(y_true, y_pred))}, F1 per class {per_class}, "
            f"micro F1 {_f3(skm.f1_score(y_true, y_pred, average='micro'))}, "
            f"macro F1 {_f3(skm.f1_score(y_true, y_pred, average='macro', zero_division=0))}"
        ) in out
    values = _values(built_site, "exercise_macro_micro.py")
    for key, y_pred in [("majority", [0] * 100), ("second", better)]:
        assert values[f"{key}_accuracy"] == pytest.approx(skm.accuracy_score(y_true, y_pred), abs=1e-12)
        assert values[f"{key}_macro_f1"] == pytest.approx(
            skm.f1_score(y_true, y_pred, average="macro", zero_division=0), abs=1e-12
        )
    # "the constant classifier has the higher accuracy"; the second the higher macro F1
    assert values["majority_accuracy"] > values["second_accuracy"]
    assert values["second_macro_f1"] > values["majority_macro_f1"]


def test_exercise_hard_label_auc(built_site):
    out = _output(built_site, "exercise_hard_label_auc.py")
    auc = skm.roc_auc_score(SCREEN_TRUE, SCREEN_PRED)
    assert auc == pytest.approx(skm.balanced_accuracy_score(SCREEN_TRUE, SCREEN_PRED))
    assert auc == pytest.approx((4 / 6 + 11 / 14) / 2)
    assert out.count(f"{auc:.4f}") == 3
    values = _values(built_site, "exercise_hard_label_auc.py")
    assert values["hard_label_auc"] == pytest.approx((4 / 6 + 11 / 14) / 2, abs=1e-12)
    assert values["balanced_accuracy"] == pytest.approx(values["hard_label_auc"], abs=1e-12)


def test_exercise_threshold_moving(built_site):
    out = _output(built_site, "exercise_threshold_moving.py")
    X_train, y_train = _data(0)
    X_test, y_test = _data(1)
    X_val, y_val = _data(2)
    model = _logistic(X_train, y_train)
    precision, recall, thresholds = skm.precision_recall_curve(y_val, model.predict_proba(X_val)[:, 1])
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.nan_to_num(2 * precision * recall / (precision + recall))
    best = int(np.argmax(f1[:-1]))
    tau = thresholds[best]
    assert (
        f"τ = {_f3(tau)} (validation F1 {_f3(f1[best])}), like a class weight q = (1 - τ)/τ = {(1 - tau) / tau:.1f}"
        in out
    )
    p_test = model.predict_proba(X_test)[:, 1]
    for label, t in [("τ = 0.5", 0.5), (f"τ = {_f3(tau)}", tau)]:
        y_pred = (p_test >= t).astype(int)
        assert (
            f"test set, {label:<9}: precision {_f3(skm.precision_score(y_test, y_pred))}, "
            f"recall {_f3(skm.recall_score(y_test, y_pred))}, F1 {_f3(skm.f1_score(y_test, y_pred))}"
        ) in out
    values = _values(built_site, "exercise_threshold_moving.py")
    # two fits of the same convex loss (L-BFGS in lessonlib and in scikit-learn) agree to their tolerance
    assert values["tau"] == pytest.approx(tau, abs=1e-5)
    assert values["q_equivalent"] == pytest.approx((1 - values["tau"]) / values["tau"], rel=1e-12)
    assert values["test_f1_tau"] == pytest.approx(skm.f1_score(y_test, (p_test >= tau).astype(int)), abs=1e-12)
    # "close to the best weighted model's", and better than τ = 0.5
    assert abs(values["test_f1_tau"] - _values(built_site, "class_weights.py")["f1_best"]) < 0.02
    assert values["test_f1_tau"] > values["test_f1_half"]


def test_exercise_leaky_oversampling(built_site):
    out = _output(built_site, "exercise_leaky_oversampling.py")
    X, y = imbalanced_binary(4000, ratio=0.05, separation=2.0, seed=3)
    X, y = X.numpy(), y.numpy()
    gen = torch.Generator().manual_seed(0)

    def split(X, y):
        order = torch.randperm(len(y), generator=gen).numpy()
        cut = int(len(y) * 0.5)
        return X[order[:cut]], y[order[:cut]], X[order[cut:]], y[order[cut:]]

    def one_nn(X_train, y_train, X_test, y_test):
        y_pred = KNeighborsClassifier(n_neighbors=1).fit(X_train, y_train).predict(X_test)
        return skm.recall_score(y_test, y_pred), skm.precision_score(y_test, y_pred), int(y_test.sum())

    idx = _resampled_indices(y, gen)
    leaky = one_nn(*split(X[idx], y[idx]))
    X_train, y_train, X_test, y_test = split(X, y)
    idx = _resampled_indices(y_train, gen)
    honest = one_nn(X_train[idx], y_train[idx], X_test, y_test)
    for label, (recall, precision, n) in [("over-sample, then split", leaky), ("split, then over-sample", honest)]:
        assert f"{label}: test recall {_f3(recall)}, precision {_f3(precision)}  ({n} test positives)" in out
    assert leaky[0] > 0.99 and honest[0] < 0.5
    values = _values(built_site, "exercise_leaky_oversampling.py")
    assert (values["leaky_recall"], values["leaky_precision"]) == pytest.approx(leaky[:2], abs=1e-12)
    assert (values["honest_recall"], values["honest_precision"]) == pytest.approx(honest[:2], abs=1e-12)
    assert values["leaky_recall"] == 1.0  # "the nearest neighbour is always right"


def test_lbfgs_needs_far_fewer_steps_than_gradient_descent():
    """The tip's claim: L-BFGS reaches the minimum in a few dozen gradient evaluations, gradient descent in hundreds."""
    X, y = imbalanced_binary(2000, ratio=0.05, separation=2.0, seed=0)
    X, y = X.double(), y.double()

    def loss_of(w, b):
        s = X @ w + b
        return -(y * F.logsigmoid(s) + (1 - y) * F.logsigmoid(-s)).mean()

    def grad_norm(w, b):
        gw, gb = torch.autograd.grad(loss_of(w, b), (w, b))
        return (gw.norm() ** 2 + gb**2).sqrt().item()

    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS(
        [w, b], max_iter=100, tolerance_grad=1e-10, tolerance_change=1e-12, line_search_fn="strong_wolfe"
    )
    calls = []

    def closure():
        calls.append(1)
        optimizer.zero_grad()
        loss = loss_of(w, b)
        loss.backward()
        return loss

    optimizer.step(closure)
    assert len(calls) <= 40 and grad_norm(w, b) < 1e-6

    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=True)
    steps = 0
    while grad_norm(w, b) > 1e-6:  # gradient descent with a step size near its stability limit
        gw, gb = torch.autograd.grad(loss_of(w, b), (w, b))
        with torch.no_grad():
            w -= 4.0 * gw
            b -= 4.0 * gb
        steps += 1
    assert steps > 200
