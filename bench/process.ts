// Benchmark: starting and reaping a program, pipefork against C, CPython and
// Node's child_process, side by side in one run, at rest and with 1 GiB of
// live, touched JS heap (issue 4). Run it pinned to one CPU:
//   npx tsc -p . && taskset -c 0 node dist/bench/process.js
// Each contender runs ITER round trips per round; rounds go round-robin and
// the figure is the median of the per-round means.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { subprocess } from '../lib/index.js';
import { growHeap } from './heap.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cSource = join(root, 'bench', 'process', 'spawn_true.c');
const pySource = join(root, 'bench', 'process', 'popen_true.py');
const cBinary = join(root, 'build', 'bench', 'spawn_true');

const ROUNDS = Number(process.env.ROUNDS ?? 21);
const ITER = Number(process.env.ITER ?? 100);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function timeUs(iters: number, f: () => void): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iters; i++) f();
  return Number(process.hrtime.bigint() - t0) / 1e3 / iters;
}

function buildC(): void {
  if (existsSync(cBinary)) return;
  mkdirSync(dirname(cBinary), { recursive: true });
  execFileSync('cc', ['-O2', '-o', cBinary, cSource]);
}

type Contender = { name: string; run: (iters: number) => number };

function contenders(touchedMiB: number): Contender[] {
  return [
    {
      name: 'C posix_spawn + waitpid',
      run: (n) => Number(execFileSync(cBinary, [String(n), String(touchedMiB)], { encoding: 'utf8' })),
    },
    {
      name: "pipefork Popen(['/bin/true']).wait()",
      run: (n) => timeUs(n, () => new subprocess.Popen(['/bin/true']).wait()),
    },
    {
      name: "CPython subprocess.Popen(['/bin/true']).wait()",
      run: (n) => Number(execFileSync('python3', [pySource, String(n), String(touchedMiB)], { encoding: 'utf8' })),
    },
    {
      name: "child_process.spawnSync('/bin/true')",
      run: (n) => timeUs(n, () => spawnSync('/bin/true')),
    },
  ];
}

function measure(touchedMiB: number): { name: string; us: number }[] {
  const cs = contenders(touchedMiB);
  const samples = cs.map(() => [] as number[]);
  for (const c of cs) c.run(20); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    cs.forEach((c, i) => {
      samples[i]?.push(c.run(ITER));
    });
  }
  return cs.map((c, i) => ({ name: c.name, us: median(samples[i] as number[]) }));
}

function print(title: string, rows: { name: string; us: number }[]): void {
  const base = rows[0]?.us as number;
  console.log(`\n${title}`);
  console.log('| operation | median µs per round trip | ratio to C |');
  console.log('|---|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.us.toFixed(0)} | ${(r.us / base).toFixed(2)}x |`);
}

export async function main(): Promise<void> {
  buildC();
  console.log(`node ${process.version}, ${ROUNDS} rounds x ${ITER} round trips, affinity: ${affinity()}`);
  print('At rest', measure(0));
  if (process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) {
    measureWithHeap();
  } else {
    // The big heap needs a larger old space than some machines default to.
    const r = spawnSync(
      process.execPath,
      ['--max-old-space-size=4096', fileURLToPath(import.meta.url), '--heavy-only'],
      {
        stdio: 'inherit',
        env: { ...process.env },
      },
    );
    if (r.status !== 0) throw new Error(`heavy run failed: ${r.status ?? r.signal}`);
  }
}

/** The figures with 1 GiB of live heap held for the whole measurement. */
function measureWithHeap(): void {
  const heap = growHeap(1024);
  const used = process.memoryUsage();
  print(
    `With 1 GiB of live, touched JS heap (heapUsed ${(used.heapUsed / 2 ** 20).toFixed(0)} MiB, rss ${(used.rss / 2 ** 20).toFixed(0)} MiB; C and CPython touch 1 GiB too)`,
    measure(1024),
  );
  if (heap.length === 0) console.log('');
}

async function heavyOnly(): Promise<void> {
  buildC();
  measureWithHeap();
}

function affinity(): string {
  try {
    return (
      execFileSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' })
        .trim()
        .split(': ')[1] ?? '?'
    );
  } catch {
    return '?';
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--heavy-only')) await heavyOnly();
  else await main();
}
