"""The build hook's own behaviour: directives, quoted values, the guard against typed numbers, failures that
name the file, figures."""

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
    monkeypatch.setattr(module, "TYPED_NUMBERS", tmp_path / "typed-numbers.toml")
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


PUBLISHER = """from lessonlib.publish import publish
loss = 0.96484375
print(f"final loss {loss:.3f}")
publish(final_loss=loss, epochs=300, converged=True)
"""


def test_published_values_are_quoted_with_their_format_and_recorded_in_the_manifest(hook):
    module, snippets = hook
    (snippets / "train.py").write_text(PUBLISHER)
    module._runs = module.run_snippets()
    assert module._runs["snippets/99_test/train.py"].values == {"final_loss": 0.96484375, "epochs": 300, "converged": True}
    md = module.on_page_markdown(
        'The loss ends at ${{ value("99_test/train", "final_loss", ".3f") }}$ after '
        '{{value("snippets/99_test/train.py", "epochs")}} epochs ({{ value("99_test/train", "final_loss", format=".1%") }}).',
        _page(), None, None,
    )
    assert md == "The loss ends at $0.965$ after 300 epochs (96.5%)."
    shown = 'Quote it with `{{ value("99_test/train", "final_loss", ".3f") }}`.\n\n```text\n{{ value("a/b", "c") }}\n```'
    assert module.on_page_markdown(shown, _page(), None, None) == shown  # the syntax shown in code stays as written
    manifest = json.loads((module.CACHE / "manifest.json").read_text())
    assert manifest["snippets/99_test/train.py"]["values"]["final_loss"] == 0.96484375
    assert manifest["snippets/99_test/train.py"]["stdout"] == "final loss 0.965\n"


def test_a_value_no_snippet_publishes_fails_naming_both(hook):
    module, snippets = hook
    (snippets / "train.py").write_text(PUBLISHER)
    module._runs = module.run_snippets()
    with pytest.raises(PluginError, match=r"part/page\.md: .*snippets/99_test/train\.py publishes no value 'val_loss' "
                                          r"\(it publishes converged, epochs, final_loss"):
        module.on_page_markdown('{{ value("99_test/train", "val_loss", ".3f") }}', _page(), None, None)
    with pytest.raises(PluginError, match=r"quotes snippets/99_test/nope\.py, which is not a snippet"):
        module.on_page_markdown('{{ value("99_test/nope", "x") }}', _page(), None, None)
    with pytest.raises(PluginError, match=r"cannot format 300 with 'q'"):
        module.on_page_markdown('{{ value("99_test/train", "epochs", "q") }}', _page(), None, None)


def test_prose_that_types_a_printed_number_fails_the_build(hook):
    module, snippets = hook
    (snippets / "train.py").write_text(PUBLISHER)
    module._runs = module.run_snippets()
    include = '{{ snippet("snippets/99_test/train.py") }}\n\n'
    with pytest.raises(PluginError, match=r"part/page\.md: the prose types 0\.965, which a run of this page's snippets prints"):
        module.on_page_markdown(include + "The loss ends at $0.965$.", _page(), None, None)
    # quoted, in code, in a link target, or with fewer than three significant digits: fine
    module.on_page_markdown(
        include + 'It ends at {{ value("99_test/train", "final_loss", ".3f") }}, near 0.96, after 300 epochs.\n\n'
        "```python\nprint(0.965)\n```\n\n[see](https://example.org/0.965)", _page(), None, None,
    )
    (module.TYPED_NUMBERS).write_text('["part/page.md"]\n"0.965" = "a fact of the text, for this test"\n')
    module.on_page_markdown(include + "The loss ends at $0.965$.", _page(), None, None)


@pytest.mark.parametrize(("prose", "output", "copies"), [
    ("a loss of 1.49", "loss 1.488", ["1.49"]),  # a rounded copy
    ("a loss of 1.48", "loss 1.488", []),  # not the same number
    ("an accuracy of 96.5%", "accuracy 0.965", ["96.5%"]),
    (r"a gap of $9.51 \times 10^{-5}$", "gap 9.51e-05", [r"9.51 \times 10^{-5}"]),
    (r"$235\,146$ parameters", "235146", [r"235\,146"]),
    ("353 of 360", "353/360", ["353"]),
    ("300 epochs and 0.90 accuracy", "300 0.90", []),  # one or two significant digits are not checked
    ("784 inputs", "784.3", []),  # an integer matches only exactly
])
def test_typed_copies(hook, prose, output, copies):
    module, _ = hook
    assert module.typed_copies(prose, [output]) == copies


def test_a_snippet_that_declares_its_output_varies_gets_a_note(hook):
    module, snippets = hook
    (snippets / "timing.py").write_text("# downhill: output varies (a timing)\nprint('0.01 s')\n")
    module._runs = module.run_snippets()
    md = module.on_page_markdown('{{ snippet("snippets/99_test/timing.py") }}', _page(), None, None)
    assert '!!! note "Measured on the machine that built this page"' in md and "yours will differ" in md
    (snippets / "steady.py").write_text("print('1')\n")
    module._runs = module.run_snippets()
    assert "!!! note" not in module.on_page_markdown('{{ snippet("snippets/99_test/steady.py") }}', _page(), None, None)


def test_run_uncached_runs_under_the_environment_it_is_given(hook, tmp_path):
    module, snippets = hook
    (snippets / "env.py").write_text("import os\nprint(os.environ.get('DOWNHILL_PROBE'))\n")
    runs = module.run_uncached([snippets / "env.py"], tmp_path / "other", {"DOWNHILL_PROBE": "other path"})
    assert runs["snippets/99_test/env.py"].stdout == "other path\n"
    assert not (module.CACHE / "runs").exists()  # nothing cached
