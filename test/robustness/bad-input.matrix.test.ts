// The bad-input matrix: every callable pipefork exports (found by walking
// the module namespaces, classes' methods and setters, exported objects'
// methods: a new export is covered without being listed) × 33 bad values
// (wrong types, NaN, ±Infinity, -0, 2**53, 2n**64n, detached buffers,
// Proxies, throwing getters, a Symbol, a sparse array, ...) × a few argument
// patterns. Whatever a call throws must be a Python-named exception in
// CPython's words, never V8's or Node's, and nothing may crash or hang.
// The calls run in a child process (test/fixtures/bad-input-runner.mjs) so
// that a crash shows as a crash; the call in progress is named if it dies.
// `npm test` runs the fast set; `npm run test:fuzz` (PIPEFORK_FUZZ=long)
// adds the keyword sweeps of Popen, run, io.open and TextIOWrapper.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pythonJson } from '../helpers/python.js';

const LONG = process.env.PIPEFORK_FUZZ === 'long';
const here = dirname(fileURLToPath(import.meta.url));
const runner = join(here, '..', 'fixtures', 'bad-input-runner.mjs');

interface Failure {
  target: string;
  value: string;
  pattern: string;
  kind: string;
  error: string;
  message: string;
}

/** The names a Python program can see an exception by: the builtins' and the modules' pipefork mirrors. */
function pythonExceptionNames(): string[] {
  return pythonJson<string[]>(`
import builtins, io, json, multiprocessing, pickle, select, signal, struct, subprocess
names = [n for n, v in vars(builtins).items() if isinstance(v, type) and issubclass(v, BaseException)]
for m in (io, multiprocessing, pickle, select, signal, struct, subprocess):
    names += [n for n, v in vars(m).items() if isinstance(v, type) and issubclass(v, BaseException)]
print(json.dumps(sorted(set(names))))
`);
}

describe('every export × bad values', () => {
  it(
    'raises Python-named exceptions in CPython words, never crashes or hangs',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'pipefork-matrix-'));
      const results = join(dir, 'results.json');
      const mark = join(dir, 'mark.txt');
      try {
        const r = spawnSync(
          process.execPath,
          [runner, LONG ? 'long' : 'fast', results, mark, JSON.stringify(pythonExceptionNames())],
          {
            stdio: ['ignore', 'ignore', 'pipe'],
            encoding: 'utf8',
            timeout: LONG ? 1_500_000 : 500_000,
            killSignal: 'SIGKILL',
            maxBuffer: 64 * 1024 * 1024,
          },
        );
        const inProgress = readFileSync(mark, 'utf8').trim();
        expect(
          { status: r.status, signal: r.signal, error: r.error?.message, inProgress },
          `the runner died or hung (stderr: ${r.stderr?.slice(-2000)})`,
        ).toEqual({ status: 0, signal: null, error: undefined, inProgress: 'done' });
        const out = JSON.parse(readFileSync(results, 'utf8')) as {
          calls: number;
          targets: number;
          missing: string[];
          failures: Failure[];
        };
        // A class with methods needs a factory in the runner before its methods can be called.
        expect(out.missing, 'exported classes the runner cannot make an instance of').toEqual([]);
        expect(out.targets).toBeGreaterThan(500);
        expect(out.calls).toBeGreaterThan(50_000);
        expect(
          out.failures.map((f) => `${f.target} [${f.value}; ${f.pattern}] ${f.kind}: ${f.error}: ${f.message}`),
        ).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    LONG ? 1_600_000 : 600_000,
  );
});
