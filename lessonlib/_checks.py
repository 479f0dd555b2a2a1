"""Argument checks shared by lessonlib, one wording per mistake (the optimizers word them as `torch.optim`)."""

import torch


def check_lr(lr: float | torch.Tensor) -> None:
    """Refuse a negative (or NaN) learning rate and a tensor lr with more than one element.

    Examples:
        >>> check_lr(-1.0)
        Traceback (most recent call last):
        ...
        ValueError: Invalid learning rate: -1.0
    """
    if isinstance(lr, torch.Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def check_non_negative(name: str, value: float) -> None:
    """Refuse a negative (or NaN) hyperparameter called ``name``.

    Examples:
        >>> check_non_negative("momentum", -0.5)
        Traceback (most recent call last):
        ...
        ValueError: Invalid momentum value: -0.5
    """
    if not 0.0 <= value:
        raise ValueError(f"Invalid {name} value: {value}")


def check_betas(betas: tuple[float, float]) -> None:
    """Refuse a beta outside $[0, 1)$, as ``torch.optim.Adam`` does.

    Examples:
        >>> check_betas((0.9, 1.0))
        Traceback (most recent call last):
        ...
        ValueError: Invalid beta parameter at index 1: 1.0
    """
    for index, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta}")


def check_beta_types(betas: tuple[float, float]) -> None:
    """Refuse a mix of float and tensor betas, and a tensor beta with more than one element.

    Examples:
        >>> check_beta_types((0, 0.999))
        Traceback (most recent call last):
        ...
        ValueError: betas must be either both floats or both Tensors
    """
    floats = all(isinstance(beta, float) for beta in betas)
    tensors = all(isinstance(beta, torch.Tensor) for beta in betas)
    if not (floats or tensors):
        raise ValueError("betas must be either both floats or both Tensors")
    for index, beta in enumerate(betas):
        if tensors and beta.numel() != 1:
            raise ValueError(f"Tensor betas[{index}] must be 1-element")
