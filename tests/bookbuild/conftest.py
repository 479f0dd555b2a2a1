"""A tiny book in a temporary folder: one chapter of snippets, no heavy imports, so each run takes milliseconds."""

import pytest

from bookbuild import Book


@pytest.fixture
def book(tmp_path) -> Book:
    (tmp_path / "snippets" / "99_test").mkdir(parents=True)
    (tmp_path / "docs" / "part").mkdir(parents=True)
    (tmp_path / "lessonlib").mkdir()
    return Book(root=tmp_path, cache=tmp_path / "cache", preload="")


def write(book: Book, name: str, code: str):
    path = book.snippets / "99_test" / name
    path.write_text(code, encoding="utf-8")
    return path


PUBLISHER = """from lessonlib.book.publish import publish
loss = 0.96484375
print(f"final loss {loss:.3f}")
publish(final_loss=loss, epochs=300, converged=True)
"""
