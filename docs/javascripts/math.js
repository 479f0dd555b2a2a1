// Typeset the math on every page, and again after each instant navigation
// (Material emits document$ for both). KaTeX itself is served from
// assets/katex/, installed from npm at a pinned version by the set-up.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
  });
});
