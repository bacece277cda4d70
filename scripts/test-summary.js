// Prints vitest's JSON reports as the one line CI reads: "N passed, N failed"
// (", N skipped" when any were), summed over every report given. A missing
// report (typecheck or lint failed before vitest ran) counts as one failure.
// Above that line it names each failure (report, file, test, first line of
// the message), since CI keeps only the tail of the output.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const files = process.argv.slice(2);
if (files.length === 0) files.push('build/vitest.json');
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of files) {
  if (!existsSync(file)) {
    failed += 1;
    failures.push(`${file}: no report (the step failed before vitest ran, or never ran)`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that failed to load has no failed tests of its own but must count.
  failed += r.numFailedTests || r.numFailedTestSuites || 0;
  for (const suite of r.testResults ?? []) {
    const where = relative(process.cwd(), suite.name ?? '');
    const bad = (suite.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of bad) failures.push(`${file}: ${where} > ${t.fullName}: ${firstLine(t.failureMessages)}`);
    if (bad.length === 0 && suite.status === 'failed')
      failures.push(`${file}: ${where}: ${firstLine([suite.message])}`);
  }
}
for (const f of failures) console.log(`FAILED ${f}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);

function firstLine(messages) {
  const text = (messages ?? []).find((m) => m) ?? '';
  return String(text).split('\n')[0].slice(0, 300);
}
