// The settings every property-based test (test/**/*.fuzz.test.ts) shares:
// `npm test` runs them with a fixed seed and few runs; `npm run test:fuzz`
// (PIPEFORK_FUZZ=long) with many runs and a new seed each time, printed so
// that a failure can be replayed with FUZZ_SEED=<seed>.
import { spawnSync } from 'node:child_process';

export const LONG = process.env.PIPEFORK_FUZZ === 'long';
export const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : LONG ? Date.now() % 2 ** 31 : 20261206;
/**
 * The share of the long runs' counts a long run makes (PIPEFORK_FUZZ_SCALE,
 * default 1): .ci/run's fuzz step takes a quarter, new seeds every time,
 * to stay a few minutes on a 2-core machine (scripts/test-fuzz.js --ci).
 */
export const SCALE = LONG && process.env.PIPEFORK_FUZZ_SCALE ? Number(process.env.PIPEFORK_FUZZ_SCALE) : 1;
/** Short runs in `npm test`, long ones (times SCALE, never fewer than the short) in `npm run test:fuzz`. */
export const runs = (short: number, long: number): number => (LONG ? Math.max(short, Math.round(long * SCALE)) : short);
export const params = (numRuns: number) => ({ seed: SEED, numRuns });
/** The long runs take minutes; the short ones keep vitest's timeout. */
export const TIMEOUT = LONG ? 30 * 60_000 : undefined;

/** Prints the seed of a long run once per file, so a failure can be replayed. */
export function announceSeed(what: string): void {
  if (LONG) console.log(`${what} fuzz seed: FUZZ_SEED=${SEED}`);
}

/**
 * Runs a Python program that reads one JSON document on stdin (`cases`) and
 * prints one JSON document: a batch of cases checked against CPython in one
 * process.
 */
export function cpythonBatch<T>(program: string, cases: unknown): T {
  const r = spawnSync('python3', ['-c', program], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    timeout: LONG ? 20 * 60_000 : 60_000,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`python3 failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
