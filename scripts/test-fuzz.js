// `npm run test:fuzz [-- --ci] [vitest args]`: the long run of every
// property-based test, that is every test/**/*.fuzz.test.ts, and of the
// robustness gates in test/robustness/ (the bad-input matrix's keyword
// sweeps, the fault file's 10,000-process loops). `npm test` runs the same
// files with a fixed seed and few runs; here PIPEFORK_FUZZ=long asks each of
// them for many runs and a new seed, which it prints (replay a failure with
// FUZZ_SEED=<seed>).
//
// --ci is .ci/run's gate: new seeds every run, but PIPEFORK_FUZZ_SCALE=0.25
// of the long counts (never fewer than npm test's) and without the bad-input
// matrix, whose fast set npm test has just run, so that the step stays a few
// minutes on a 2-core machine (82 s on Node 20, 2 cores shared). The full run
// took 165 s on Node 20 (2 cores shared with a CI run): run it by hand
// after changing a decoder or a buffered class.
//
// A fuzz test of a new feature only has to be named *.fuzz.test.ts and take
// its counts and seed from test/helpers/fuzz.ts.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const ci = argv.includes('--ci');
const files = readdirSync('test', { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.fuzz.test.ts') || (f.startsWith('robustness') && f.endsWith('.test.ts')))
  .filter((f) => !(ci && f.endsWith('bad-input.matrix.test.ts')))
  .map((f) => join('test', f));
if (files.length === 0) {
  console.error('no test/**/*.fuzz.test.ts');
  process.exit(1);
}
const env = { ...process.env, PIPEFORK_FUZZ: 'long' };
if (ci) env.PIPEFORK_FUZZ_SCALE ??= '0.25';
const r = spawnSync('npx', ['vitest', 'run', '--testTimeout=0', ...files, ...argv.filter((a) => a !== '--ci')], {
  stdio: 'inherit',
  env,
});
process.exit(r.status ?? 1);
