"""Pick the device the book's examples run on.

The order is CUDA, then Apple's MPS, then the CPU. Set the environment
variable ``DOWNHILL_DEVICE`` to force one (``DOWNHILL_DEVICE=cpu`` makes every
snippet run on the CPU, which is what the book's build does; the tests check
that each snippet prints the same text along two different CPU arithmetic
paths, while a GPU may print other last digits).
"""

import os

import torch

ENV_VAR = "DOWNHILL_DEVICE"


def get_device() -> torch.device:
    """Return the device to run on: CUDA, then MPS, then CPU.

    ``DOWNHILL_DEVICE`` overrides the choice; its value is any string
    ``torch.device`` accepts (``cpu``, ``cuda``, ``cuda:1``, ``mps``).

    Returns:
        The chosen ``torch.device``.

    Raises:
        ValueError: ``DOWNHILL_DEVICE`` names no device torch knows, or one
            that is not available on this machine.

    Examples:
        >>> import os
        >>> os.environ["DOWNHILL_DEVICE"] = "cpu"
        >>> get_device()
        device(type='cpu')
        >>> del os.environ["DOWNHILL_DEVICE"]
    """
    forced = os.environ.get(ENV_VAR, "").strip()
    if forced:
        try:
            device = torch.device(forced)
        except RuntimeError as err:
            raise ValueError(f"Invalid {ENV_VAR}: {forced!r} ({err})") from None
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"Invalid {ENV_VAR}: {forced!r} (CUDA is not available here)")
        if device.type == "mps" and not torch.backends.mps.is_available():
            raise ValueError(f"Invalid {ENV_VAR}: {forced!r} (MPS is not available here)")
        return device
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
