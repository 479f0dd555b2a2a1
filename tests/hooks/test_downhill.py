"""The MkDocs hook is a thin adapter: event wiring, with the build's errors turned into MkDocs' own."""

import importlib.util
import sys
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from tests.conftest import ROOT

HOOK = ROOT / "hooks" / "downhill.py"


@pytest.fixture
def hook(monkeypatch):
    spec = importlib.util.spec_from_file_location("downhill_hook_under_test", HOOK)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_the_hook_is_under_about_eighty_lines_of_wiring():
    lines = HOOK.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 90, f"hooks/downhill.py has {len(lines)} lines; the work belongs in bookbuild"


def test_a_build_error_becomes_a_plugin_error_naming_the_page(hook):
    page = SimpleNamespace(file=SimpleNamespace(src_uri="part/page.md"))
    with pytest.raises(PluginError, match=r"part/page\.md: no snippet 'snippets/99_test/nope\.py'"):
        hook.on_page_markdown('{{ snippet("snippets/99_test/nope.py") }}', page=page, config=None, files=None)


def test_code_and_outputs_are_left_out_of_the_search_index(hook):
    page = SimpleNamespace(file=SimpleNamespace(src_uri="part/page.md"))
    html = '<p>Prose</p><div class="highlight"><pre><span></span><code>x = 1</code></pre></div>'
    assert "<pre data-search-exclude><span>" in hook.on_page_content(html, page=page, config=None, files=None)
