// `npm run test:fuzz`: the long run of every property-based test, that is
// every test/**/*.fuzz.test.ts, and of the robustness gates in
// test/robustness/ (the bad-input matrix's keyword sweeps, the fault file's
// 10,000-process loops). `npm test` runs the same files with a fixed seed
// and few runs; here PIPEFORK_FUZZ=long asks each of them for many runs and
// a new seed, which it prints (replay a failure with FUZZ_SEED=<seed>).
// A fuzz test of a new feature only has to be named *.fuzz.test.ts and read
// PIPEFORK_FUZZ and FUZZ_SEED (test/helpers/fuzz.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const files = readdirSync('test', { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.fuzz.test.ts') || (f.startsWith('robustness') && f.endsWith('.test.ts')))
  .map((f) => join('test', f));
if (files.length === 0) {
  console.error('no test/**/*.fuzz.test.ts');
  process.exit(1);
}
const r = spawnSync('npx', ['vitest', 'run', '--testTimeout=0', ...files, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, PIPEFORK_FUZZ: 'long' },
});
process.exit(r.status ?? 1);
