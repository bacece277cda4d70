// Benchmark: os.fork() round trips (fork, the child _exits or execs
// /bin/true, waitpid) against CPython's os.fork and C's fork, side by side
// in one run, at rest and with 1 GiB of live, touched heap (issue 4):
//   npx tsc -p . && node dist/bench/fork.js
// Each contender runs ITER round trips per round; rounds go round-robin and
// the figure is the median of the per-round means. The JS fork's own cost is
// also split into its native steps (lib/fork.ts lastForkStats).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ForkStats, lastForkStats } from '../lib/fork.js';
import { os } from '../lib/index.js';
import { growHeap } from './heap.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cSource = join(root, 'bench', 'fork', 'fork_exit.c');
const pySource = join(root, 'bench', 'fork', 'fork_exit.py');
const cBinary = join(root, 'build', 'bench', 'fork_exit');

const ROUNDS = Number(process.env.ROUNDS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

function buildC(): void {
  if (existsSync(cBinary)) return;
  mkdirSync(dirname(cBinary), { recursive: true });
  execFileSync('cc', ['-O2', '-o', cBinary, cSource]);
}

const steps: Record<keyof ForkStats, number[]> = {
  ranges: [],
  bytes: [],
  parked: [],
  queueLocked: [],
  scanned: [],
  parkMs: [],
  scanMs: [],
  doforkMs: [],
  forkMs: [],
  restoreMs: [],
  childSetupMs: [],
  unparkMs: [],
};

/** Mean µs of n JS fork round trips; the child _exits at once or execs /bin/true. */
function jsFork(n: number, exec: boolean): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const pid = os.fork();
    if (pid === 0) {
      if (exec) os.execv('/bin/true', ['/bin/true']);
      os._exit(0);
    }
    if (!exec) {
      const s = lastForkStats();
      for (const k of Object.keys(steps) as (keyof ForkStats)[]) steps[k].push(s[k]);
    }
    os.waitpid(pid, 0);
  }
  return Number(process.hrtime.bigint() - t0) / 1e3 / n;
}

type Contender = { name: string; run: (iters: number) => number };

function contenders(touchedMiB: number): Contender[] {
  const ext = (file: string, mode: string) => (n: number) =>
    Number(
      execFileSync(
        file === cBinary ? cBinary : 'python3',
        [...(file === cBinary ? [] : [file]), String(n), String(touchedMiB), mode],
        { encoding: 'utf8' },
      ),
    );
  return [
    { name: 'C fork + _exit + waitpid', run: ext(cBinary, 'exit') },
    { name: 'CPython os.fork + os._exit + os.waitpid', run: ext(pySource, 'exit') },
    { name: 'pipefork os.fork + os._exit (from JS) + os.waitpid', run: (n) => jsFork(n, false) },
    { name: 'C fork + execv /bin/true + waitpid', run: ext(cBinary, 'exec') },
    { name: 'CPython os.fork + os.execv /bin/true + os.waitpid', run: ext(pySource, 'exec') },
    { name: 'pipefork os.fork + os.execv /bin/true + os.waitpid', run: (n) => jsFork(n, true) },
  ];
}

function measure(touchedMiB: number, iters: number): { name: string; us: number }[] {
  const cs = contenders(touchedMiB);
  const samples = cs.map(() => [] as number[]);
  for (const c of cs) c.run(Math.max(2, iters >> 3)); // warm-up
  for (const k of Object.keys(steps) as (keyof ForkStats)[]) steps[k].length = 0;
  for (let r = 0; r < ROUNDS; r++) {
    cs.forEach((c, i) => {
      samples[i]?.push(c.run(iters));
    });
  }
  return cs.map((c, i) => ({ name: c.name, us: median(samples[i] as number[]) }));
}

function print(title: string, rows: { name: string; us: number }[]): void {
  console.log(`\n${title}`);
  console.log('| operation | median ms per round trip | ratio to CPython |');
  console.log('|---|---:|---:|');
  rows.forEach((r, i) => {
    const py = rows[i < 3 ? 1 : 4]?.us as number;
    console.log(`| ${r.name} | ${(r.us / 1000).toFixed(2)} | ${(r.us / py).toFixed(2)}x |`);
  });
  const m = (k: keyof ForkStats) => median(steps[k]);
  console.log(
    `\nInside the JS fork (medians): park ${m('parkMs').toFixed(2)} ms, finding the DONTFORK ranges ${m('scanMs').toFixed(2)} ms ` +
      `(smaps read in ${(100 * mean(steps.scanned)).toFixed(0)}% of forks; ${m('ranges')} ranges, ${(m('bytes') / 2 ** 20).toFixed(0)} MiB virtual), ` +
      `MADV_DOFORK ${m('doforkMs').toFixed(2)} ms, fork() ${m('forkMs').toFixed(2)} ms, ` +
      `MADV_DONTFORK restore ${m('restoreMs').toFixed(2)} ms, unpark ${m('unparkMs').toFixed(2)} ms`,
  );
}

function heavy(): void {
  const heap = growHeap(1024);
  // Collect the garbage growHeap left, so that every run measures the same
  // 1 GiB live heap (heapUsed was 1028-1380 MiB from run to run without it).
  (globalThis as { gc?: () => void }).gc?.();
  const used = process.memoryUsage();
  print(
    `With 1 GiB of live, touched heap (JS heapUsed ${(used.heapUsed / 2 ** 20).toFixed(0)} MiB, rss ${(used.rss / 2 ** 20).toFixed(0)} MiB; C and CPython touch 1 GiB too)`,
    measure(1024, Number(process.env.ITER_HEAVY ?? 8)),
  );
  if (heap.length === 0) console.log('');
}

export async function main(): Promise<void> {
  buildC();
  const rss = (process.memoryUsage().rss / 2 ** 20).toFixed(0);
  console.log(`node ${process.version}, ${ROUNDS} rounds, round-robin; medians of per-round means`);
  print(`At rest (node rss ${rss} MiB)`, measure(0, Number(process.env.ITER ?? 100)));
  // The big heap needs a larger old space than some machines default to.
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=4096', fileURLToPath(import.meta.url), '--heavy-only'],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error(`heavy run failed: ${r.status ?? r.signal}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--heavy-only')) {
    buildC();
    heavy();
  } else {
    await main();
  }
}
