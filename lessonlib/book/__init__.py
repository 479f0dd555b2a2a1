"""The book's plumbing, beside lessonlib's ideas: what the examples need to run and to appear in the book.

None of it is a concept the chapters teach:

- `lessonlib.book.device`: the device the examples run on (``get_device``);
- `lessonlib.book.plotting`: the book's figure style and its byte-stable SVG files (``use_book_style``, ``savefig``);
- `lessonlib.book.publish`: the numbers a snippet hands to the build for the prose to quote (``publish``);
- `lessonlib.book.bench`: timings of lessonlib against PyTorch (``python -m lessonlib.book.bench optim``).
"""
