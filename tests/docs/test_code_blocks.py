"""Every Python code block in the chapters runs.

Blocks are read from docs/**/*.md: fenced with ```python (at any indentation,
so solutions inside collapsible blocks count). The blocks of one page run in
order in one namespace, like the cells of a notebook. A block is skipped only
when its fence says so visibly, as ```{.python notest}; the count of such blocks
is printed at the end of the run. Snippets included with {{ snippet(...) }}
are not code blocks here: tests/snippets runs them.
"""

import re
from pathlib import Path

import pytest

from tests.conftest import DOCS, ROOT

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")


def _blocks(page: Path):
    """Yield (line number, info string, code) for each fenced block of a page."""
    lines = page.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, ticks, info = m["indent"], m["ticks"], m["info"].strip()
        body, j = [], i + 1
        while j < len(lines) and not re.match(rf"^{re.escape(indent)}{re.escape(ticks)}[ \t]*$", lines[j]):
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j].lstrip())
            j += 1
        yield i + 1, info, "\n".join(body)
        i = j + 1


def _is_python(info: str) -> bool:
    lang = info.split()[0] if info else ""
    return lang in ("python", "py") or bool(re.match(r"^\{[^}]*\.(python|py)\b", info))


def _notest(info: str) -> bool:
    return info.startswith("{") and "notest" in info


BLOCKS, NOTEST_BLOCKS = [], []
for _page in sorted(DOCS.rglob("*.md")):
    for _line, _info, _code in _blocks(_page):
        if not _is_python(_info):
            continue
        _where = f"{_page.relative_to(ROOT).as_posix()}:{_line}"
        (NOTEST_BLOCKS if _notest(_info) else BLOCKS).append((_where, _page, _code))

_namespaces: dict[Path, dict] = {}


@pytest.mark.kind_code_block
@pytest.mark.parametrize("where, page, code", BLOCKS, ids=[b[0] for b in BLOCKS])
def test_code_block_runs(where, page, code, capsys):
    namespace = _namespaces.setdefault(page, {"__name__": "__main__"})
    exec(compile(code, where, "exec"), namespace)


def test_the_collector_sees_indented_and_marked_blocks(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "```python\nx = 1\n```\n\n    ??? success\n\n        ```python\n        y = 2\n        ```\n\n"
        "```{.python notest}\nboom()\n```\n\n```text\nnot python\n```\n"
    )
    blocks = [(info, code) for _, info, code in _blocks(page)]
    assert blocks == [("python", "x = 1"), ("python", "y = 2"), ("{.python notest}", "boom()"), ("text", "not python")]
    assert [_is_python(i) for i, _ in blocks] == [True, True, True, False]
    assert [_notest(i) for i, _ in blocks] == [False, False, True, False]


def test_there_are_code_blocks_to_run():
    assert BLOCKS, "no Python code block found under docs/: the collector is broken"
