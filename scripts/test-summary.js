// Prints vitest's JSON reports as the one line CI reads: "N passed, N failed"
// (", N skipped" when any were), summed over every report given. A missing
// report (typecheck or lint failed before vitest ran) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (files.length === 0) files.push('build/vitest.json');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  if (!existsSync(file)) {
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that failed to load has no failed tests of its own but must count.
  failed += r.numFailedTests || r.numFailedTestSuites || 0;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
