// Prints the closing lines of a CI run from vitest's JSON report: the counts, then every failed
// test (file, name, first lines of its message) and every file that failed without a failed test
// (an error while collecting or in a hook). CI shows only the tail of its log, so this goes last.
const path = require("node:path");
const results = require(path.resolve(__dirname, "../.cache/vitest-results.json"));

const skipped = results.numPendingTests + results.numTodoTests;
console.log(
  `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed` +
    (skipped ? `, ${skipped} skipped` : ""),
);
const root = path.resolve(__dirname, "../..");
for (const file of results.testResults) {
  const name = path.relative(root, file.name);
  const failed = file.assertionResults.filter((t) => t.status === "failed");
  if (failed.length === 0 && file.status === "failed") {
    console.log(`FAILED FILE ${name}: ${firstLines(file.message, 6)}`);
  }
  for (const test of failed) {
    console.log(`FAILED ${name} > ${test.fullName}`);
    const message = firstLines((test.failureMessages ?? []).join("\n"), 6);
    if (message) console.log(`  ${message.replaceAll("\n", "\n  ")}`);
  }
}

function firstLines(text, count) {
  return (text ?? "").split("\n").slice(0, count).join("\n").trim();
}
