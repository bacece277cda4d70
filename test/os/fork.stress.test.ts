// The fork stress of issue 4, in its own `node --expose-gc` process
// (test/fixtures/fork-stress.mjs): 500 forks (`npm run test:stress`, and
// .ci/run on every Node line; 100 in `npm test`, to keep it short), 60 (12) of whose children allocate
// and run full GCs, while the parent churns its heap, keeps a worker_thread
// busy and thread-pool work (readFile, pbkdf2, gzip, randomBytes) in flight.
// Other children use the thread pool themselves, leave by process.exit(),
// run code no process ran before (its compile jobs on the child's own V8
// worker threads, native/fork/workers.h), or do that and fork a grandchild
// while those jobs are in flight.
// Every child has a deadline; the report counts hangs, zombies and fds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('../fixtures/fork-stress.mjs', import.meta.url));
const FULL = process.env.PIPEFORK_FULL_STRESS === '1';
const FORKS = FULL ? 500 : 100;
const GC_CHILDREN = FULL ? 60 : 12;
// The full run took 137-259 s on a 2-CPU machine under load 5-15 (each child
// has its own 20 s deadline, so a hang is reported as one, not as this
// budget running out); 280 s left too little margin there.
const BUDGET_MS = FULL ? 540_000 : 280_000;

describe('os.fork() stress', () => {
  it(
    `${FORKS} forks under GC pressure, a busy worker_thread and in-flight thread-pool work: 0 hangs, 0 zombies, 0 leaked fds`,
    () => {
      const r = spawnSync(process.execPath, ['--expose-gc', fixture, String(FORKS), String(GC_CHILDREN)], {
        encoding: 'utf8',
        timeout: BUDGET_MS,
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
      // os.fork() refuses ("stayed busy for 10 s ... try again") only when
      // V8's workers do not park in 10 s of 20 ms attempts. The one refusal
      // seen (Node 26, a run's start) was a worker waiting for this thread's
      // GC, which the attempts now let run (test/os/fork.test.ts): none is allowed.
      expect(report.refusals).toBe(0);
      expect(report.ok).toBe(FORKS);
      expect(report.kinds.gc).toBeGreaterThanOrEqual(Math.floor(GC_CHILDREN * 0.8));
      expect(report.kinds.pool).toBeGreaterThan(0);
      expect(report.kinds.hot).toBeGreaterThan(0);
      expect(report.kinds.nested).toBeGreaterThan(0);
      expect(report.zombies).toBe(0);
      expect(report.leakedFds).toEqual([]);
      // The load was really there while the parent forked.
      expect(report.poolOpsCompleted).toBeGreaterThan(0);
      expect(report.workerMessages).toBeGreaterThan(0);
      // No child ran the parent's 'exit' listener.
      expect(r.stderr).not.toContain('LISTENER RAN IN CHILD');
    },
    BUDGET_MS + 20_000,
  );
});
