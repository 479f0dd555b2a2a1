"""lessonlib.metrics against sklearn.metrics on random labels and scores."""

import itertools
import math

import numpy as np
import pytest
import sklearn.metrics as skm
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lessonlib import metrics

PRF = ["precision_score", "recall_score", "f1_score"]
SIZES = [1, 7, 50, 300]
ZERO_DIVISIONS = ["warn", 0, 1, float("nan")]


def _labels(rng, m, k):
    return rng.integers(0, k, size=m)


def _close(ours, theirs):
    if isinstance(ours, torch.Tensor):
        torch.testing.assert_close(
            ours, torch.as_tensor(np.ascontiguousarray(theirs)), check_dtype=False, equal_nan=True
        )
    elif math.isnan(theirs):
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-12)


# ---------------------------------------------------------------- label metrics


@pytest.mark.parametrize("m", SIZES)
@pytest.mark.parametrize("k", [2, 3, 6])
def test_confusion_matrix_matches_sklearn(m, k):
    rng = np.random.default_rng(m * 10 + k)
    y_true, y_pred = _labels(rng, m, k), _labels(rng, m, k)
    if len(np.union1d(y_true, y_pred)) < 2:
        y_pred[0] = 1 - y_true[0]  # sklearn warns on a 1×1 matrix
    ours = metrics.confusion_matrix(torch.from_numpy(y_true), torch.from_numpy(y_pred))
    torch.testing.assert_close(ours, torch.from_numpy(skm.confusion_matrix(y_true, y_pred)))


def test_confusion_matrix_with_labels_reorders_and_drops():
    rng = np.random.default_rng(0)
    y_true, y_pred = _labels(rng, 80, 5) + 3, _labels(rng, 80, 5) + 3
    labels = [6, 3, 9, 4]  # 9 is absent, 5 and 7 are left out
    ours = metrics.confusion_matrix(torch.from_numpy(y_true), torch.from_numpy(y_pred), labels=torch.tensor(labels))
    theirs = skm.confusion_matrix(y_true, y_pred, labels=labels)
    torch.testing.assert_close(ours, torch.from_numpy(theirs))


@pytest.mark.parametrize("m", SIZES)
@pytest.mark.parametrize("k", [2, 4])
def test_accuracy_matches_sklearn(m, k):
    rng = np.random.default_rng(m + k)
    y_true, y_pred = _labels(rng, m, k), _labels(rng, m, k)
    args = torch.from_numpy(y_true), torch.from_numpy(y_pred)
    _close(metrics.accuracy_score(*args), skm.accuracy_score(y_true, y_pred))
    _close(
        metrics.accuracy_score(*args, normalize=False),
        skm.accuracy_score(y_true, y_pred, normalize=False),
    )


@pytest.mark.parametrize("name", PRF)
@pytest.mark.parametrize("average", ["macro", "micro", "weighted", None])
def test_prf_multiclass_matches_sklearn(name, average):
    for m, k, zero_division in itertools.product(SIZES, [2, 3, 5], ZERO_DIVISIONS):
        rng = np.random.default_rng(m * 100 + k)
        y_true = _labels(rng, m, k)
        y_pred = _labels(rng, m, k + 1)  # one class predicted but never true
        ours = getattr(metrics, name)(
            torch.from_numpy(y_true),
            torch.from_numpy(y_pred),
            average=average,
            zero_division=zero_division,
        )
        oracle_zd = 0 if zero_division == "warn" else zero_division  # 0 does not warn
        theirs = getattr(skm, name)(y_true, y_pred, average=average, zero_division=oracle_zd)
        _close(ours, theirs)


@pytest.mark.parametrize("name", PRF)
@pytest.mark.parametrize("labels", [(0, 1), (-1, 1), (3, 7)])
def test_prf_binary_matches_sklearn(name, labels):
    for m, zero_division in itertools.product(SIZES, ZERO_DIVISIONS):
        rng = np.random.default_rng(m)
        y_true = np.array(labels)[_labels(rng, m, 2)]
        y_pred = np.array(labels)[_labels(rng, m, 2)]
        pos_label = labels[1]
        ours = getattr(metrics, name)(
            torch.from_numpy(y_true),
            torch.from_numpy(y_pred),
            pos_label=pos_label,
            zero_division=zero_division,
        )
        oracle_zd = 0 if zero_division == "warn" else zero_division
        theirs = getattr(skm, name)(y_true, y_pred, pos_label=pos_label, zero_division=oracle_zd)
        _close(ours, theirs)


@pytest.mark.parametrize("name", PRF)
@pytest.mark.parametrize("zero_division", ["warn", 1, float("nan")])
def test_prf_zero_division_cases_match_sklearn(name, zero_division):
    oracle_zd = 0 if zero_division == "warn" else zero_division
    cases = [
        ([0, 0, 0, 0], [0, 0, 0, 0]),  # the positive class neither true nor predicted
        ([0, 1, 0, 0], [0, 0, 0, 0]),  # never predicted positive
        ([0, 0, 0, 0], [1, 0, 0, 0]),  # never truly positive
    ]
    for y_true, y_pred in cases:
        for average in ["binary", "macro", "micro", "weighted"]:
            ours = getattr(metrics, name)(
                torch.tensor(y_true),
                torch.tensor(y_pred),
                average=average,
                zero_division=zero_division,
            )
            theirs = getattr(skm, name)(y_true, y_pred, average=average, zero_division=oracle_zd)
            _close(ours, theirs)


@pytest.mark.parametrize("name", PRF)
@pytest.mark.parametrize("average", ["macro", "micro", "weighted", None])
def test_prf_with_labels_matches_sklearn(name, average):
    rng = np.random.default_rng(3)
    y_true, y_pred = _labels(rng, 60, 5), _labels(rng, 60, 5)
    labels = [4, 0, 2, 7]  # 7 is absent; 1 and 3 are not scored
    ours = getattr(metrics, name)(
        torch.from_numpy(y_true),
        torch.from_numpy(y_pred),
        labels=labels,
        average=average,
        zero_division=0,
    )
    theirs = getattr(skm, name)(y_true, y_pred, labels=labels, average=average, zero_division=0)
    _close(ours, theirs)


def test_prf_default_zero_division_emits_no_warning():
    # filterwarnings = error would turn any warning into a failure here
    assert metrics.precision_score(torch.tensor([1, 0]), torch.tensor([0, 0])) == 0.0
    assert metrics.f1_score(torch.tensor([0, 0]), torch.tensor([0, 0])) == 0.0


# ---------------------------------------------------------------- score metrics


def _binary_scores(rng, m, ties):
    y_true = _labels(rng, m, 2)
    y_true[:2] = [0, 1]  # both classes present
    y_score = rng.random(m)
    if ties:
        y_score = np.round(y_score, 1)  # many tied scores
    return y_true, y_score


@pytest.mark.parametrize("m", [2, 3, 10, 100, 1000])
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("drop_intermediate", [True, False])
def test_roc_curve_matches_sklearn(m, ties, drop_intermediate):
    rng = np.random.default_rng(m)
    y_true, y_score = _binary_scores(rng, m, ties)
    ours = metrics.roc_curve(
        torch.from_numpy(y_true),
        torch.from_numpy(y_score),
        drop_intermediate=drop_intermediate,
    )
    theirs = skm.roc_curve(y_true, y_score, drop_intermediate=drop_intermediate)
    for a, b in zip(ours, theirs, strict=True):
        _close(a, b)
    assert ours[2][0] == math.inf


def test_roc_curve_default_drops_intermediate_like_sklearn():
    rng = np.random.default_rng(5)
    y_true, y_score = _binary_scores(rng, 200, ties=False)
    fpr, _, _ = metrics.roc_curve(torch.from_numpy(y_true), torch.from_numpy(y_score))
    assert len(fpr) == len(skm.roc_curve(y_true, y_score)[0]) < 201


@pytest.mark.parametrize("ties", [False, True])
def test_roc_curve_pos_label_matches_sklearn(ties):
    rng = np.random.default_rng(11)
    y_true, y_score = _binary_scores(rng, 60, ties)
    y_true = np.where(y_true == 1, 2, 1)  # labels {1, 2}
    for pos_label in [1, 2]:
        ours = metrics.roc_curve(torch.from_numpy(y_true), torch.from_numpy(y_score), pos_label=pos_label)
        theirs = skm.roc_curve(y_true, y_score, pos_label=pos_label)
        for a, b in zip(ours, theirs, strict=True):
            _close(a, b)


@pytest.mark.parametrize("m", [2, 10, 100, 1000])
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("labels", [(0, 1), (-1, 1), (2, 5)])
def test_roc_auc_matches_sklearn(m, ties, labels):
    rng = np.random.default_rng(m + 1)
    y_true, y_score = _binary_scores(rng, m, ties)
    y_true = np.array(labels)[y_true]
    ours = metrics.roc_auc_score(torch.from_numpy(y_true), torch.from_numpy(y_score))
    _close(ours, skm.roc_auc_score(y_true, y_score))


def test_roc_auc_is_the_probability_a_positive_outranks_a_negative():
    rng = np.random.default_rng(2)
    y_true, y_score = _binary_scores(rng, 80, ties=True)
    pos, neg = y_score[y_true == 1], y_score[y_true == 0]
    wins = (pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean()
    ours = metrics.roc_auc_score(torch.from_numpy(y_true), torch.from_numpy(y_score))
    assert ours == pytest.approx(wins, rel=1e-12)


@pytest.mark.parametrize("m", [2, 3, 10, 100, 1000])
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("drop_intermediate", [False, True])
def test_precision_recall_curve_matches_sklearn(m, ties, drop_intermediate):
    rng = np.random.default_rng(m + 2)
    y_true, y_score = _binary_scores(rng, m, ties)
    ours = metrics.precision_recall_curve(
        torch.from_numpy(y_true),
        torch.from_numpy(y_score),
        drop_intermediate=drop_intermediate,
    )
    theirs = skm.precision_recall_curve(y_true, y_score, drop_intermediate=drop_intermediate)
    for a, b in zip(ours, theirs, strict=True):
        _close(a, b)


def test_precision_recall_curve_with_only_positives_matches_sklearn():
    y_true, y_score = np.ones(5, dtype=int), np.array([0.3, 0.1, 0.3, 0.9, 0.5])
    ours = metrics.precision_recall_curve(torch.from_numpy(y_true), torch.from_numpy(y_score))
    for a, b in zip(ours, skm.precision_recall_curve(y_true, y_score), strict=True):
        _close(a, b)


@pytest.mark.parametrize("m", [2, 10, 100, 1000])
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("pos_label", [0, 1])
def test_average_precision_matches_sklearn(m, ties, pos_label):
    rng = np.random.default_rng(m + 3)
    y_true, y_score = _binary_scores(rng, m, ties)
    ours = metrics.average_precision_score(torch.from_numpy(y_true), torch.from_numpy(y_score), pos_label=pos_label)
    _close(ours, skm.average_precision_score(y_true, y_score, pos_label=pos_label))


def test_integer_scores_are_accepted():
    y_true, y_score = np.array([0, 1, 1, 0, 1]), np.array([3, 5, 3, 1, 4])
    ours = metrics.roc_curve(torch.from_numpy(y_true), torch.from_numpy(y_score))
    for a, b in zip(ours, skm.roc_curve(y_true, y_score), strict=True):
        _close(a, b)


# ---------------------------------------------------------------- properties


labels_and_preds = st.integers(1, 40).flatmap(
    lambda m: st.tuples(
        st.lists(st.integers(0, 3), min_size=m, max_size=m),
        st.lists(st.integers(0, 3), min_size=m, max_size=m),
    )
)


@settings(max_examples=40, deadline=None)
@given(labels_and_preds, st.sampled_from(["macro", "micro", "weighted"]))
def test_label_metrics_lie_in_unit_interval(pair, average):
    y_true, y_pred = torch.tensor(pair[0]), torch.tensor(pair[1])
    assert 0.0 <= metrics.accuracy_score(y_true, y_pred) <= 1.0
    for f in (metrics.precision_score, metrics.recall_score, metrics.f1_score):
        assert 0.0 <= f(y_true, y_pred, average=average) <= 1.0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 1), st.floats(0, 1, allow_nan=False)),
        min_size=2,
        max_size=40,
    ).filter(lambda rows: len({y for y, _ in rows}) == 2)
)
def test_score_metrics_lie_in_unit_interval(rows):
    y_true = torch.tensor([y for y, _ in rows])
    y_score = torch.tensor([s for _, s in rows], dtype=torch.float64)
    assert 0.0 <= metrics.roc_auc_score(y_true, y_score) <= 1.0
    assert 0.0 <= metrics.average_precision_score(y_true, y_score) <= 1.0
    fpr, tpr, _ = metrics.roc_curve(y_true, y_score)
    assert fpr.min() >= 0 and tpr.max() <= 1 and (fpr.diff() >= 0).all()


# ---------------------------------------------------------------- input checks


def test_mismatched_lengths_raise():
    with pytest.raises(ValueError, match=r"^Invalid y_pred shape: \(2,\) \(must have y_true's length, 3\)$"):
        metrics.accuracy_score(torch.tensor([0, 1, 1]), torch.tensor([0, 1]))
    with pytest.raises(ValueError, match=r"^Invalid y_pred shape: \(2,\) \(must have y_true's length, 3\)$"):
        metrics.f1_score(torch.tensor([0, 1, 1]), torch.tensor([0, 1]))
    with pytest.raises(ValueError, match=r"^Invalid y_score shape: \(3,\) \(must have y_true's length, 2\)$"):
        metrics.roc_curve(torch.tensor([0, 1]), torch.tensor([0.1, 0.2, 0.3]))


def test_non_1d_input_raises():
    with pytest.raises(ValueError, match=r"^Invalid y_pred shape: \(2, 2\) \(must be 1-D, \(m,\)\)$"):
        metrics.confusion_matrix(torch.tensor([0, 1]), torch.zeros(2, 2))


def test_bad_average_raises():
    with pytest.raises(
        ValueError,
        match=r"^Invalid average value: 'mean' \(must be 'binary', 'micro', 'macro', 'weighted' or None\)$",
    ):
        metrics.precision_score(torch.tensor([0, 1]), torch.tensor([0, 1]), average="mean")


def test_binary_average_on_multiclass_raises():
    with pytest.raises(ValueError, match=r"average='binary' needs two classes.*\[0, 1, 2\]"):
        metrics.recall_score(torch.tensor([0, 1, 2]), torch.tensor([0, 1, 1]))


def test_bad_pos_label_raises():
    with pytest.raises(ValueError, match=r"^Invalid pos_label value: 2 \(must be 0 or 1\)$"):
        metrics.f1_score(torch.tensor([0, 1]), torch.tensor([0, 1]), pos_label=2)


def test_bad_zero_division_raises():
    with pytest.raises(ValueError, match=r"^Invalid zero_division value: 'ignore' \(must be 'warn', 0, 1 or nan\)$"):
        metrics.f1_score(torch.tensor([0, 1]), torch.tensor([0, 1]), zero_division="ignore")


def test_empty_labels_raise():
    with pytest.raises(ValueError, match=r"^Invalid labels value: \[\] \(must hold at least one label\)$"):
        metrics.confusion_matrix(torch.tensor([0, 1]), torch.tensor([0, 1]), labels=[])


def test_one_class_raises_for_roc():
    with pytest.raises(ValueError, match=r"roc_auc_score needs exactly two classes in y_true, got \[1\]"):
        metrics.roc_auc_score(torch.tensor([1, 1, 1]), torch.tensor([0.2, 0.5, 0.9]))
    with pytest.raises(ValueError, match="roc_curve needs negative examples.*pos_label=1"):
        metrics.roc_curve(torch.tensor([1, 1, 1]), torch.tensor([0.2, 0.5, 0.9]))
    with pytest.raises(ValueError, match="roc_curve needs positive examples.*pos_label=1"):
        metrics.roc_curve(torch.tensor([0, 0]), torch.tensor([0.2, 0.5]))


def test_no_positive_raises_for_precision_recall():
    with pytest.raises(ValueError, match="precision_recall_curve needs positive examples.*pos_label=1"):
        metrics.precision_recall_curve(torch.tensor([0, 0]), torch.tensor([0.2, 0.5]))
    with pytest.raises(ValueError, match="average_precision_score needs binary y_true"):
        metrics.average_precision_score(torch.tensor([0, 1, 2]), torch.tensor([0.2, 0.5, 0.1]))


def test_non_binary_y_true_without_pos_label_raises():
    with pytest.raises(ValueError, match=r"pos_label=None needs y_true in \{0, 1\} or \{-1, 1\}, got \[1, 2\]"):
        metrics.roc_curve(torch.tensor([1, 2, 2]), torch.tensor([0.2, 0.5, 0.9]))
