"""lessonlib.book.publish: what a snippet publishes reaches the build's file exactly, and bad values are refused."""

import json

import numpy as np
import pytest
import torch

from lessonlib.book.publish import VALUES_ENV, publish


@pytest.fixture
def target(tmp_path, monkeypatch):
    path = tmp_path / "values.json"
    monkeypatch.setenv(VALUES_ENV, str(path))
    return path


def test_values_round_trip_exactly(target):
    x = torch.tensor(0.1, dtype=torch.float64) * 3  # 0.30000000000000004, not 0.3
    publish(loss=x, count=np.int64(7), ratio=np.float32(0.5), flag=False, name="adam")
    publish(epochs=12)
    assert json.loads(target.read_text()) == {
        "loss": 0.30000000000000004,
        "count": 7,
        "ratio": 0.5,
        "flag": False,
        "name": "adam",
        "epochs": 12,
    }


def test_without_the_build_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.delenv(VALUES_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    publish(loss=0.25)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (float("inf"), ValueError, r"^Invalid loss value: inf \(must be finite\)$"),
        (torch.zeros(2), ValueError, r"^Invalid loss shape: \(2,\) \(must hold one number\)$"),
        ([0.1], TypeError, r"^Invalid loss: \[0\.1\] \(must be a number, a bool or a string\)$"),
        (None, TypeError, r"^Invalid loss: None \(must be a number, a bool or a string\)$"),
    ],
)
def test_bad_values_are_refused_naming_them(value, error, message, target):
    with pytest.raises(error, match=message):
        publish(loss=value)
    assert not target.exists()


def test_republishing_a_name_with_another_value_is_an_error(target):
    publish(loss=0.5)
    publish(loss=0.5)  # the same value again is harmless
    with pytest.raises(ValueError, match=r"^Invalid loss value: 0\.25 \(already published as 0\.5\)$"):
        publish(loss=0.25)


def test_a_name_that_is_not_an_identifier_is_refused(target):
    with pytest.raises(ValueError, match=r"^Invalid name: '1st' \(must be a Python identifier\)$"):
        publish(**{"1st": 1})
