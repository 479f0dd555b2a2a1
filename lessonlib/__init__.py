"""lessonlib: the small library of gradient-based learning behind *Downhill*.

Every module holds one concept, short enough to quote whole in a chapter, and
is tested against an independent oracle (PyTorch, scikit-learn or a closed
form). The book's plumbing, which is no idea of the book (the device, the
figures, the values a page quotes, benchmarks), lives apart in `lessonlib.book`.
"""

__version__ = "0.1.0"
