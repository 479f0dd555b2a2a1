"""Time lessonlib against PyTorch: ``python -m lessonlib.book.bench optim``.

For each optimizer, one step of `lessonlib.optim` is timed side by side with
`torch.optim`'s single-tensor path (``foreach=False``), its multi-tensor path
(``foreach=True``) and its fused kernel (``fused=True``, where torch has one on
this device). Every implementation gets its own copy of the same parameters
and shares one set of random gradients, set once. After a warm-up, steps are
timed in rounds, each round running every implementation once in a rotating
order, and the median is reported, so that load from other processes falls on
all of them alike. Under glibc, malloc is first told to keep freed memory
(see `keep_freed_memory`; ``--malloc-defaults`` turns that off). The output is
Markdown: a table of times, and the optimizer state of Adafactor against Adam
on one large matrix.

`best_time` is the timer that the chapters' timing snippets use.
"""

import argparse
import ctypes
import math
import statistics
import time
from collections.abc import Callable, Sequence

import torch

import lessonlib.optim

# the options each optimizer is timed with: the same for lessonlib and torch
OPTIONS: dict[str, dict] = {
    "SGD": {"lr": 1e-3, "momentum": 0.9},
    "Adagrad": {},
    "RMSprop": {},
    "Adam": {},
    "AdamW": {},
    "Adafactor": {},
}


def keep_freed_memory() -> bool:
    """Tell glibc's malloc to keep freed memory instead of handing it back to the system.

    The update rules allocate a few parameter-sized temporaries per step. With
    glibc's defaults, whether a freed temporary is returned to the system (and
    the next one page-faults on every page) depends on what else sits on the
    heap, which can make the same kernel twice as slow in one implementation
    as in another. Keeping freed memory times the arithmetic instead.

    Returns:
        True where glibc took the settings, False elsewhere (then nothing changes).
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3  # from glibc's <malloc.h>
    no_mmap = mallopt(m_mmap_threshold, 32 * 1024 * 1024)  # the largest glibc accepts
    no_trim = mallopt(m_trim_threshold, 2**31 - 1)
    return bool(no_mmap and no_trim)


def matrix_shape(numel: int) -> tuple[int, int]:
    """The most nearly square `(rows, cols)` with `rows * cols == numel`.

    Examples:
        >>> matrix_shape(1_000_000), matrix_shape(12)
        ((1000, 1000), (3, 4))
    """
    rows = max(r for r in range(1, math.isqrt(numel) + 1) if numel % r == 0)
    return rows, numel // rows


def torch_variants(name: str) -> dict[str, Callable]:
    """torch.optim's implementations of `name` that run here: single-tensor, foreach, fused."""
    cls = getattr(torch.optim, name)
    variants = {
        "single": {"foreach": False},
        "foreach": {"foreach": True},
        "fused": {"fused": True},
    }
    runnable = {}
    for label, flags in variants.items():
        try:  # not every optimizer has every path on every device (RMSprop has no fused kernel)
            probe = torch.zeros(2, requires_grad=True)
            probe.grad = torch.ones(2)
            cls([probe], **OPTIONS[name], **flags).step()
        except (TypeError, RuntimeError, ValueError):
            continue
        runnable[label] = lambda params, flags=flags: cls(params, **OPTIONS[name], **flags)
    return runnable


def best_time(fn: Callable[[], object], repeats: int = 5) -> tuple[float, object]:
    """The fastest of `repeats` timed calls of `fn()`, and what the last call returned.

    The minimum, not the mean: other work on the machine can only slow a run
    down, so the fastest run is the one least disturbed. Where CUDA is in use,
    the GPU is synchronised before the clock starts and before it stops, so
    that the time covers the queued kernels and not only their launch.

    Examples:
        >>> seconds, result = best_time(lambda: sum(range(1000)), repeats=3)
        >>> result, seconds > 0
        (499500, True)
    """
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"Invalid repeats: {repeats!r} (expected an int >= 1)")
    times = []
    for _ in range(repeats):
        if torch.cuda.is_initialized():
            torch.cuda.synchronize()
        start = time.perf_counter()
        result = fn()
        if torch.cuda.is_initialized():
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return min(times), result


def time_steps(
    factories: dict[str, Callable], shapes: Sequence[tuple[int, int]], repeats: int, warmup: int
) -> dict[str, float]:
    """Median seconds per `step()` of each optimizer factory, timed in rotating rounds."""
    gen = torch.Generator().manual_seed(0)
    start = [torch.randn(shape, generator=gen) for shape in shapes]
    grads = [torch.randn(shape, generator=gen) for shape in shapes]
    optimizers = {}
    for label, factory in factories.items():
        params = [p.clone().requires_grad_() for p in start]
        for p, g in zip(params, grads, strict=True):
            p.grad = g  # shared and never written: every optimizer reads the same gradients
        optimizers[label] = factory(params)
    for opt in optimizers.values():
        for _ in range(warmup):
            opt.step()
    times: dict[str, list[float]] = {label: [] for label in optimizers}
    labels = list(optimizers)
    for round_ in range(repeats):
        for label in labels[round_ % len(labels) :] + labels[: round_ % len(labels)]:
            begin = time.perf_counter()
            optimizers[label].step()
            times[label].append(time.perf_counter() - begin)
    return {label: statistics.median(values) for label, values in times.items()}


def state_bytes(opt: torch.optim.Optimizer) -> int:
    """Bytes held in tensors of the optimizer's state."""
    return sum(
        value.numel() * value.element_size()
        for state in opt.state.values()
        for value in state.values()
        if isinstance(value, torch.Tensor)
    )


def bench_optim(
    numel: int,
    tensors: int,
    repeats: int,
    warmup: int,
    memory_side: int,
    names: Sequence[str] = tuple(OPTIONS),
) -> str:
    """The Markdown report: time per step, then Adafactor's state memory against Adam's."""
    for arg, value, least in [
        ("numel", numel, tensors),
        ("tensors", tensors, 1),
        ("repeats", repeats, 1),
        ("warmup", warmup, 0),
        ("memory_side", memory_side, 1),
    ]:
        if value < least:
            raise ValueError(f"Invalid {arg}: {value} (must be at least {least})")
    shapes = [matrix_shape(numel // tensors)] * tensors
    rows = [
        f"Time per step, {tensors} float32 tensors of {shapes[0][0]}x{shapes[0][1]}"
        f" ({tensors * shapes[0][0] * shapes[0][1]:,} parameters), median of {repeats},"
        f" {torch.get_num_threads()} threads:",
        "",
        "| optimizer | options | lessonlib (ms) | torch single (ms) | torch foreach (ms)"
        " | torch fused (ms) | lessonlib / single |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        if name not in OPTIONS:
            raise ValueError(f"Invalid optimizer: {name!r} (choose from {', '.join(OPTIONS)})")
    for name in names:
        options = OPTIONS[name]
        ours = getattr(lessonlib.optim, name)
        factories = {"lessonlib": lambda params, ours=ours, options=options: ours(params, **options)}
        factories |= torch_variants(name)
        median = time_steps(factories, shapes, repeats, warmup)
        ms = {
            label: f"{1e3 * median[label]:.2f}" if label in median else "n/a"
            for label in ("lessonlib", "single", "foreach", "fused")
        }
        ratio = median["lessonlib"] / median["single"]
        described = ", ".join(f"{k}={v}" for k, v in options.items()) or "defaults"
        rows.append(
            f"| {name} | {described} | {ms['lessonlib']} | {ms['single']} | {ms['foreach']}"
            f" | {ms['fused']} | {ratio:.2f} |"
        )
    memory = {}
    for name in ("Adafactor", "Adam"):
        theta = torch.zeros(memory_side, memory_side, requires_grad=True)
        theta.grad = torch.ones_like(theta)
        opt = getattr(lessonlib.optim, name)([theta])
        opt.step()
        memory[name] = state_bytes(opt)
    rows += [
        "",
        f"Optimizer state for one {memory_side}x{memory_side} float32 matrix:",
        "",
        "| optimizer | state (bytes) |",
        "|---|---:|",
        f"| Adafactor | {memory['Adafactor']:,} |",
        f"| Adam | {memory['Adam']:,} |",
        f"| ratio Adam / Adafactor | {memory['Adam'] / memory['Adafactor']:,.0f} |",
    ]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the chosen benchmark, print its table."""
    parser = argparse.ArgumentParser(prog="python -m lessonlib.book.bench", description=__doc__)
    benchmarks = parser.add_subparsers(dest="benchmark", required=True)
    optim = benchmarks.add_parser("optim", help="lessonlib.optim against torch.optim")
    add = optim.add_argument
    add("--numel", type=int, default=10_000_000, help="parameters in all (default 10M)")
    add("--tensors", type=int, default=10, help="tensors they are split into (default 10)")
    add("--repeats", type=int, default=15, help="timed steps per implementation (default 15)")
    add("--warmup", type=int, default=3, help="untimed steps first (default 3)")
    add("--memory-side", type=int, default=4096, help="side of the memory test's matrix")
    add("--threads", type=int, default=None, help="torch threads (default: torch's choice)")
    add("--malloc-defaults", action="store_true", help="leave glibc's malloc trimming on")
    add("names", nargs="*", default=list(OPTIONS), help="optimizers to time (default: all)")
    args = parser.parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    kept = not args.malloc_defaults and keep_freed_memory()
    print(f"malloc: {'freed memory kept (no trim, no mmap)' if kept else 'system defaults'}")
    names, sizes = args.names, (args.numel, args.tensors, args.repeats, args.warmup)
    print(bench_optim(*sizes, args.memory_side, names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
