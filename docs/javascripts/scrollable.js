// A block wider than the page scrolls sideways, and a reader without a mouse reaches what lies past its edge only
// if the block takes the keyboard's focus (WCAG 2.1.1). Material makes its code blocks focusable where they
// scroll; this does the same for displayed formulas and tables. The build marks every formula focusable, so that
// none is out of reach without JavaScript; here the mark stays only on those that scroll, and follows the width
// of the window. Material emits document$ on every page, and again after each instant navigation.
let scrollers;
document$.subscribe(() => {
  scrollers?.disconnect();
  scrollers = new ResizeObserver((entries) => {
    for (const { target } of entries) {
      if (target.scrollWidth > target.clientWidth) target.setAttribute("tabindex", "0");
      else target.removeAttribute("tabindex");
    }
  });
  for (const block of document.querySelectorAll(".md-typeset .katex-display, .md-typeset__scrollwrap")) {
    scrollers.observe(block);
  }
});
