// Prints vitest's JSON report as the one line CI reads: "N passed, N failed"
// (", N skipped" when any were). A missing report (typecheck or lint failed
// before vitest ran) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'build/vitest.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
// A file that failed to load has no failed tests of its own but must count.
const failed = r.numFailedTests || r.numFailedTestSuites || 0;
console.log(`${r.numPassedTests ?? 0} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
