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
    // mkdocs-jupyter copies each notebook cell's source into a hidden div for
    // its copy button; code is not math, so that text is left alone.
    ignoredClasses: ["clipboard-copy-txt"],
    throwOnError: false,
  });
});
