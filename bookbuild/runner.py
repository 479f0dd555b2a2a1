"""Run many snippets fast: import the heavy libraries once, then fork per job.

Started by :mod:`bookbuild.runs` with a JSON list of jobs on stdin. A job is
``{"paths": [...], "cwd": ..., "env": {...}}``:

* one path is a **standalone run**, as ``python <path>`` runs it: a fresh
  ``__main__``, ``sys.argv[0]`` and ``sys.path[0]`` set to the file;
* several paths are a **notebook run**: the files run one after the other in
  one namespace, as a chapter's notebook runs its cells in one Jupyter kernel
  (no ``__file__``, the working folder fixed, whatever one cell leaves behind
  seen by the next).

The parent imports torch, NumPy and matplotlib once (about two seconds of
every fresh Python process; ``DOWNHILL_PRELOAD`` lists them) and forks a child
per job, as many at once as there are cores (``DOWNHILL_JOBS``), each with one
thread (``OMP_NUM_THREADS``, ``MKL_NUM_THREADS``). A child writes
each file's stdout, stderr and published values (``lessonlib.book.publish``) to
``<i>.stdout``, ``<i>.stderr`` and ``<i>.values.json`` in its working folder,
and ``DOWNHILL_FIGURE_DIR`` points at ``cell-<i>/figures/<chapter>``.
It prints a JSON list, per job, of ``{"code": exit code, "seconds": wall time}``.

Where ``os.fork`` does not exist (Windows), or with ``DOWNHILL_NO_FORK=1``, each
job runs the same way in a fresh interpreter of its own instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

PRELOAD = "matplotlib.pyplot,numpy,torch,torch._dynamo,torch.optim,sklearn.datasets"


def figure_dir(cwd: str, index: int, path: str) -> str:
    """Where file ``index`` of a job saves its figures: ``<cwd>/cell-<index>/figures/<chapter>``."""
    return os.path.join(cwd, f"cell-{index}", "figures", os.path.basename(os.path.dirname(path)))


def _child(job: dict) -> None:
    import runpy
    import traceback

    os.chdir(job["cwd"])
    os.environ.update(job["env"])
    paths = job["paths"]
    namespace: dict = {"__name__": "__main__", "__builtins__": __builtins__}
    code = 0
    for index, path in enumerate(paths):
        out = os.open(f"{index}.stdout", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        err = os.open(f"{index}.stderr", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        os.environ["DOWNHILL_FIGURE_DIR"] = figure_dir(job["cwd"], index, path)
        os.environ["DOWNHILL_VALUES"] = os.path.join(job["cwd"], f"{index}.values.json")
        try:
            if len(paths) == 1:
                sys.argv = [path]
                sys.path[0] = os.path.dirname(path)
                runpy.run_path(path, run_name="__main__")
            else:  # a notebook cell: the file's code in the chapter's one namespace
                with open(path, encoding="utf-8") as f:
                    exec(compile(f.read(), f"<cell {index + 1}: {os.path.basename(path)}>", "exec"), namespace)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        if code:
            break
    os._exit(code)


def _warm_up_matplotlib() -> None:
    """Draw and save one throwaway figure, so that every child inherits what matplotlib builds on first use
    (the font lookup, the mathtext parser, compiled patterns: about a sixth of a second per drawing snippet).
    The settings are restored afterwards, and none of it changes a byte of what a snippet saves (the tests compare
    every figure with one drawn again)."""
    import io

    import matplotlib
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "warm-up"}):
        fig, (ax, bx) = plt.subplots(1, 2)
        ax.plot([1, 2, 3], [3, 1, 2], label=r"$\alpha_t = \frac{1}{\sqrt{t}}$")
        ax.set(xlabel="step $t$", ylabel="loss", title="warm-up", yscale="log")
        ax.legend()
        bx.contour([[0.0, 1.0], [1.0, 2.0]])
        bx.scatter([0, 1], [1, 0])
        fig.colorbar(bx.imshow([[0.0, 1.0], [1.0, 0.0]]), ax=bx)
        fig.savefig(io.BytesIO(), format="svg", bbox_inches="tight", metadata={"Date": None})
        plt.close(fig)


def _subprocess(job: dict) -> dict:
    """The job in a fresh interpreter instead of a forked child: the same code, without the shared imports."""
    start = time.perf_counter()
    code = subprocess.run([sys.executable, "-m", "bookbuild.runner", "--one"], input=json.dumps(job), text=True)
    return {"code": code.returncode, "seconds": time.perf_counter() - start}


def main() -> None:
    if sys.argv[1:] == ["--one"]:  # a job of _subprocess's
        _child(json.load(sys.stdin))
    jobs = json.load(sys.stdin)
    workers = max(1, int(os.environ.get("DOWNHILL_JOBS") or os.cpu_count() or 2))
    # One thread per snippet, as many snippets at once as there are cores: the
    # book's tensors are small, and two snippets of two threads each on two cores
    # ran a sixth slower than two of one thread. (It changes no snippet's text;
    # the tests' fresh interpreters run with torch's own thread count.)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")
    if not hasattr(os, "fork") or os.environ.get("DOWNHILL_NO_FORK") == "1":
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as pool:
            print(json.dumps(list(pool.map(_subprocess, jobs))))
        return

    os.environ.setdefault("MPLBACKEND", "Agg")
    # MKL may change its thread count on a loaded machine, and a different split
    # of a product can change its last bits: fix it, so a figure drawn twice on
    # one machine is the same bytes whatever else the machine is doing.
    os.environ.setdefault("MKL_DYNAMIC", "FALSE")
    import importlib

    # Imported once, inherited by every child: torch.optim imports torch._dynamo
    # lazily (about two seconds per child otherwise), and lessonlib.data.digits
    # imports sklearn.datasets (one and a half seconds).
    # A job or two (a rebuild after one edit) would pay for imports they may not need.
    preload = os.environ.get("DOWNHILL_PRELOAD", PRELOAD if len(jobs) > 2 else "")
    for name in filter(None, preload.split(",")):
        importlib.import_module(name)
    if "matplotlib.pyplot" in preload:
        _warm_up_matplotlib()
    # Children leave the inherited objects alone: the collector would otherwise touch, and so copy, their pages.
    import gc

    gc.freeze()

    results: dict[int, dict] = {}
    running: dict[int, tuple[int, float]] = {}  # pid -> (job index, start)
    pending = list(enumerate(jobs))
    while pending or running:
        while pending and len(running) < workers:
            index, job = pending.pop(0)
            start = time.perf_counter()
            pid = os.fork()
            if pid == 0:
                _child(job)
            running[pid] = (index, start)
        pid, status = os.wait()
        index, start = running.pop(pid)
        results[index] = {"code": os.waitstatus_to_exitcode(status), "seconds": time.perf_counter() - start}
    print(json.dumps([results[i] for i in range(len(jobs))]))


if __name__ == "__main__":
    main()
