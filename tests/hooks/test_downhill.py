"""The build hook's own behaviour: directives, failures that name the file, figures."""

import importlib.util
import json
import sys
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from tests.conftest import ROOT


@pytest.fixture
def hook(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("downhill_hook_under_test", ROOT / "hooks" / "downhill.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    snippets = tmp_path / "snippets" / "99_test"
    snippets.mkdir(parents=True)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "SNIPPETS", tmp_path / "snippets")
    monkeypatch.setattr(module, "CACHE", tmp_path / "cache")
    return module, snippets


def _page(src_uri="part/page.md"):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))


def test_a_failing_snippet_fails_the_build_naming_the_file(hook):
    module, snippets = hook
    (snippets / "ok.py").write_text("print('fine')\n")
    (snippets / "broken.py").write_text("raise RuntimeError('this figure cannot be drawn')\n")
    with pytest.raises(PluginError, match=r"Snippet snippets/99_test/broken\.py failed \(exit code 1\)") as err:
        module.run_snippets()
    assert "RuntimeError: this figure cannot be drawn" in str(err.value)


def test_runs_are_cached_and_rerun_when_the_snippet_changes(hook):
    module, snippets = hook
    path = snippets / "count.py"
    path.write_text("print(1)\n")
    assert module.run_snippets()["snippets/99_test/count.py"].stdout == "1\n"
    stamp = next((module.CACHE / "runs").rglob("done.json"))
    json.loads(stamp.read_text())  # a completed run is on disk
    assert module.run_snippets()["snippets/99_test/count.py"].folder == stamp.parent  # served from the cache
    path.write_text("print(2)\n")
    assert module.run_snippets()["snippets/99_test/count.py"].stdout == "2\n"
    assert not stamp.exists(), "the stale run should be evicted"


def test_directive_expands_to_include_link_and_output(hook):
    module, snippets = hook
    (snippets / "hello.py").write_text("'''Say hello.'''\nprint('hello')\nprint('again')\n")
    module._runs = module.run_snippets()
    md = module.on_page_markdown('Text\n\n    {{ snippet("snippets/99_test/hello.py", lines="2:2") }}\n', _page(), None, None)
    assert '    ```python title="hello.py, lines 2–2"\n    --8<-- "snippets/99_test/hello.py:2:2"\n    ```' in md
    assert "(../snippets/99_test/hello.py) (the whole file)" in md
    assert '    ```text title="Output"\n    hello\n    again\n    ```' in md


def test_unknown_snippet_and_unknown_option_are_errors(hook):
    module, snippets = hook
    module._runs = {}
    with pytest.raises(PluginError, match=r"part/page\.md: no snippet 'snippets/99_test/nope\.py'"):
        module.on_page_markdown('{{ snippet("snippets/99_test/nope.py") }}', _page(), None, None)
    with pytest.raises(PluginError, match=r"unknown options \['colour'\]"):
        module.on_page_markdown('{{ snippet("snippets/99_test/nope.py", colour="red") }}', _page(), None, None)


def test_a_figure_no_snippet_draws_is_an_error(hook):
    module, _ = hook
    module._runs = {}
    with pytest.raises(PluginError, match=r"figure figures/99_test/ghost\.svg is not drawn by any snippet"):
        module.on_page_markdown("![a ghost](../figures/99_test/ghost.svg)", _page(), None, None)
