"""Run many snippets fast: import the heavy libraries once, then fork per snippet.

Started by ``hooks/downhill.py`` for each build with a JSON list of jobs on
stdin, ``[{"path": ..., "cwd": ..., "env": {...}}, ...]``. It imports torch,
NumPy and matplotlib once (about two seconds of every fresh Python process),
then runs each snippet in a forked child, as ``python <path>`` would run it: a
fresh ``__main__``, ``sys.argv[0]`` and ``sys.path[0]`` set to the file, its
stdout and stderr captured to files in its working folder. Children run in
parallel, one per core. It prints a JSON list of exit codes.

Where ``os.fork`` does not exist (Windows), or with ``DOWNHILL_NO_FORK=1``, each
snippet runs in a plain ``python <path>`` subprocess instead.
"""

import json
import os
import subprocess
import sys


def _child(job: dict) -> None:
    import runpy
    import traceback

    os.chdir(job["cwd"])
    os.environ.update(job["env"])
    out = os.open("stdout.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    err = os.open("stderr.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out, 1)
    os.dup2(err, 2)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
    sys.argv = [job["path"]]
    sys.path[0] = os.path.dirname(job["path"])
    code = 0
    try:
        runpy.run_path(job["path"], run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _subprocess(job: dict) -> int:
    with open(os.path.join(job["cwd"], "stdout.txt"), "w") as out, open(os.path.join(job["cwd"], "stderr.txt"), "w") as err:
        env = dict(os.environ, **job["env"])
        return subprocess.run([sys.executable, job["path"]], cwd=job["cwd"], env=env, stdout=out, stderr=err).returncode


def main() -> None:
    jobs = json.load(sys.stdin)
    workers = max(1, int(os.environ.get("DOWNHILL_JOBS", os.cpu_count() or 2)))
    if not hasattr(os, "fork") or os.environ.get("DOWNHILL_NO_FORK") == "1":
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as pool:
            print(json.dumps(list(pool.map(_subprocess, jobs))))
        return

    os.environ.setdefault("MPLBACKEND", "Agg")
    # MKL may pick fewer threads on a loaded machine, and a different split of a
    # product can change its last bits: fix the count, so a figure drawn twice
    # on one machine is the same bytes whatever else the machine is doing.
    os.environ.setdefault("MKL_DYNAMIC", "FALSE")
    import matplotlib.pyplot  # noqa: F401  (imported once, inherited by every child)
    import numpy  # noqa: F401
    import torch  # noqa: F401
    import torch._dynamo  # noqa: F401  (torch.optim imports it lazily: ~2 s per child otherwise)
    import torch.optim  # noqa: F401

    codes: dict[int, int] = {}
    running: dict[int, int] = {}  # pid -> job index
    pending = list(enumerate(jobs))
    while pending or running:
        while pending and len(running) < workers:
            index, job = pending.pop(0)
            pid = os.fork()
            if pid == 0:
                _child(job)
            running[pid] = index
        pid, status = os.wait()
        codes[running.pop(pid)] = os.waitstatus_to_exitcode(status)
    print(json.dumps([codes[i] for i in range(len(jobs))]))


if __name__ == "__main__":
    main()
