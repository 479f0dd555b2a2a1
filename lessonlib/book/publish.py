"""Numbers for the book's prose: a snippet names the values its text quotes.

A chapter never types a number that a run produced. The snippet that computes
it publishes it under a name,

    publish(val_loss_final=val_curve[-1], stop_epoch=stopped_at)

and the page quotes it with ``{{ value("12_regularisation/early_stopping",
"val_loss_final", ".3f") }}``, which the build replaces by this build's value.

* Run by a reader, ``publish`` does nothing: the file's prints are its output.
* Run by the book's build, ``DOWNHILL_VALUES`` names a JSON file and each
  call adds its values to it.

A value is an ``int``, a ``float`` (NaN and infinities are refused), a
``bool``, a string, or a one-element tensor or NumPy scalar, which is stored
as the Python number it holds. Publish the full-precision number, not a
rounded copy: the page rounds it with the format it asks for.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import re
from pathlib import Path

from lessonlib._checks import _shown

VALUES_ENV = "DOWNHILL_VALUES"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _plain(name: str, value: object) -> bool | str | int | float:
    """``value`` as a JSON number, bool or string, or a ``TypeError``/``ValueError`` naming ``name``."""
    if hasattr(value, "item") and callable(value.item):  # torch tensors, NumPy scalars and 1-element arrays
        if getattr(value, "numel", lambda: getattr(value, "size", 1))() != 1:
            raise ValueError(f"Invalid {name} shape: {tuple(getattr(value, 'shape', ()))} (must hold one number)")
        value = value.item()
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"Invalid {name} value: {value} (must be finite)")
        return value
    raise TypeError(f"Invalid {name}: {_shown(value)} (must be a number, a bool or a string)")


def publish(**values: object) -> None:
    """Publish named values for the page to quote; outside the build, do nothing.

    Args:
        **values: each name (a Python identifier) and its value: an ``int``,
            a finite ``float``, a ``bool``, a ``str``, or a one-element tensor
            or NumPy scalar.

    Raises:
        TypeError: a value is of another type.
        ValueError: a value is not finite, or a tensor holds more than one
            number, or a name was already published by this run with another
            value.

    Examples:
        >>> import json, os, tempfile, torch
        >>> from pathlib import Path
        >>> with tempfile.TemporaryDirectory() as d:
        ...     os.environ[VALUES_ENV] = os.path.join(d, "values.json")
        ...     publish(loss=torch.tensor(0.25), epoch=12)
        ...     publish(note="converged")
        ...     print(json.loads(Path(os.environ.pop(VALUES_ENV)).read_text()))
        {'epoch': 12, 'loss': 0.25, 'note': 'converged'}
        >>> publish(loss=float("nan"))
        Traceback (most recent call last):
        ...
        ValueError: Invalid loss value: nan (must be finite)
    """
    plain = {}
    for name, value in values.items():
        if not _NAME.match(name):
            raise ValueError(f"Invalid name: {name!r} (must be a Python identifier)")
        plain[name] = _plain(name, value)
    target = os.environ.get(VALUES_ENV)
    if not target:
        return
    path = Path(target)
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for name, value in plain.items():
        if name in known and known[name] != value:
            raise ValueError(f"Invalid {name} value: {value!r} (already published as {known[name]!r})")
    known.update(plain)
    path.write_text(json.dumps(known, sort_keys=True, indent=1) + "\n", encoding="utf-8")
