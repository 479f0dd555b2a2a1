// Loads the optimizer playground (playground.js and its stylesheet) on the one page that holds it, on the first
// load and after each of Material's instant navigations. Every page lists this small file; only the playground's
// page fetches the rest. Their addresses are taken from this file's own, so they hold with the site's folder URLs
// and in the offline edition's .html files alike.
(function () {
  "use strict";
  const here = document.currentScript.src;

  function load() {
    if (!document.getElementById("downhill-playground")) return;
    if (window.downhillPlayground) return window.downhillPlayground.mount(); // fetched on an earlier visit
    if (document.querySelector("script[data-downhill-playground]")) return; // on its way
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = new URL("../stylesheets/playground.css", here).href;
    const script = document.createElement("script");
    script.src = new URL("playground.js", here).href;
    script.dataset.downhillPlayground = "";
    document.head.append(style, script);
  }

  if (typeof document$ !== "undefined") document$.subscribe(load); // Material: every page, instant or not
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load);
  else load();
})();
