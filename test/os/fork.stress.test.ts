// The fork stress of issue 4, in its own `node --expose-gc` process
// (test/fixtures/fork-stress.mjs): 500 forks (`npm run test:stress`, and
// .ci/run on every Node line; 100 in `npm test`, to keep it short), 60 (12) of whose children allocate
// and run full GCs, while the parent churns its heap, keeps a worker_thread
// busy and thread-pool work (readFile, pbkdf2, gzip, randomBytes) in flight.
// Other children use the thread pool themselves or leave by process.exit().
// Every child has a deadline; the report counts hangs, zombies and fds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('../fixtures/fork-stress.mjs', import.meta.url));
const FULL = process.env.PIPEFORK_FULL_STRESS === '1';
const FORKS = FULL ? 500 : 100;
const GC_CHILDREN = FULL ? 60 : 12;

describe('os.fork() stress', () => {
  it(`${FORKS} forks under GC pressure, a busy worker_thread and in-flight thread-pool work: 0 hangs, 0 zombies, 0 leaked fds`, () => {
    const r = spawnSync(process.execPath, ['--expose-gc', fixture, String(FORKS), String(GC_CHILDREN)], {
      encoding: 'utf8',
      timeout: 280_000,
      killSignal: 'SIGKILL',
      maxBuffer: 64 << 20,
    });
    if (r.error) throw r.error;
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    // The counts, for the CI log.
    console.log(`fork stress: ${JSON.stringify({ ...report, backtraces: report.backtraces.length })}`);
    for (const bt of report.backtraces) console.log(`hung child backtrace:\n${bt}`);
    expect(report.failures).toEqual([]);
    expect(report.hangs).toBe(0);
    expect(report.ok).toBe(FORKS);
    expect(report.kinds.gc).toBeGreaterThanOrEqual(Math.floor(GC_CHILDREN * 0.8));
    expect(report.kinds.pool).toBeGreaterThan(0);
    expect(report.zombies).toBe(0);
    expect(report.leakedFds).toEqual([]);
    // The load was really there while the parent forked.
    expect(report.poolOpsCompleted).toBeGreaterThan(0);
    expect(report.workerMessages).toBeGreaterThan(0);
    // No child ran the parent's 'exit' listener.
    expect(r.stderr).not.toContain('LISTENER RAN IN CHILD');
  }, 300_000);
});
