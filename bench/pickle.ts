// pickle benchmark (issue 16): dumps and loads, protocol 4 as
// multiprocessing sends it, of the shapes a program sends: the issue's
// 1 000-item list of small dicts ({'id': i, 'name': 'x' * 10, 'ok': True,
// 'v': 1.5}), and lists of ints, strs and bytes, nested tuples, a long ASCII
// str and a long non-ASCII one. CPython's C pickle (bench/pickle/pickle_py.py)
// and pipefork side by side: each contender a separate process pinned to
// CPU 0, rounds round-robin, the median. Each side times its loop in CPU
// time (the process's, all threads: V8's compiler and GC threads count), so
// other work on the shared machine does not count; both first run a tenth of
// the loop untimed (V8's JIT and CPython's caches warm up alike). Both sides
// print a digest of their pickle and the driver checks they are the same
// bytes, so the two loops do the same work.
//   node dist/bench/pickle.js                    run everything and print the table
//   BENCH_PICKLE=dicts,ints node dist/bench/pickle.js   only those shapes
//   node dist/bench/pickle.js <what> <shape> <n> one measurement (what main() spawns)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pickle from 'pipefork/pickle';

const here = dirname(fileURLToPath(import.meta.url));

function packageRoot(): string {
  let dir = here;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

const PY = join(packageRoot(), 'bench', 'pickle', 'pickle_py.py');
const { tuple } = pickle;

/**
 * The values, as pickle_py.py builds them in Python, and how many loops
 * make about a tenth of a second of CPython's time. One JS string is one
 * value, so the dicts' 'x' * 10 (one object in Python) is memoized once on
 * both sides.
 */
const SHAPES: Record<string, { make: () => unknown; n: number; roundtrip?: boolean }> = {
  dicts: {
    make: () => Array.from({ length: 1000 }, (_, i) => ({ id: i, name: 'x'.repeat(10), ok: true, v: 1.5 })),
    n: 2000,
    roundtrip: true,
  },
  ints: { make: () => Array.from({ length: 1000 }, (_, i) => i * i), n: 20000 },
  strs: { make: () => Array.from({ length: 1000 }, (_, i) => `item-${i}`), n: 8000 },
  bytes: { make: () => Array.from({ length: 1000 }, (_, i) => Buffer.alloc(16, i % 256)), n: 8000 },
  tuples: { make: () => tuple(Array.from({ length: 1000 }, (_, i) => tuple([i, tuple([i, i - 500])]))), n: 3000 },
  longstr: { make: () => 'pipefork '.repeat(12000), n: 20000 },
  text: { make: () => 'pipefork \u2713 \u00e9t\u00e9 '.repeat(8000), n: 4000 },
};

// ---- pipefork's side (run in its own process) ----

function measure(what: string, shape: string, n: number): void {
  const s = SHAPES[shape];
  if (s === undefined) throw new Error(`unknown shape ${shape}`);
  const data = s.make();
  const blob = pickle.dumps(data, 4);
  const loop = {
    dumps: (k: number) => {
      for (let i = 0; i < k; i++) pickle.dumps(data, 4);
    },
    loads: (k: number) => {
      for (let i = 0; i < k; i++) pickle.loads(blob);
    },
    roundtrip: (k: number) => {
      for (let i = 0; i < k; i++) pickle.loads(pickle.dumps(data, 4));
    },
  }[what];
  if (loop === undefined) throw new Error(`unknown measurement ${what}`);
  loop(Math.floor(n / 10));
  const t = process.cpuUsage();
  loop(n);
  const used = process.cpuUsage(t);
  const sha1 = createHash('sha1').update(blob).digest('hex');
  console.log(`TIME ${((used.user + used.system) / 1e6).toFixed(6)} BYTES ${blob.length} SHA1 ${sha1}`);
}

// ---- the driver ----

function run(cmd: string, args: string[]): { time: number; sha1: string } {
  const r = spawnSync('taskset', ['-c', '0', cmd, ...args], { encoding: 'utf8' });
  const m = /TIME ([\d.]+) BYTES \d+ SHA1 ([0-9a-f]+)/.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return { time: Number(m[1]), sha1: m[2] as string };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

export async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const only = process.env.BENCH_PICKLE?.split(',');
  const py = spawnSync('python3', ['-c', 'import sys; print(sys.version.split()[0])'], {
    encoding: 'utf8',
  }).stdout.trim();
  console.log(`Node ${process.version}, Python ${py}, ${rounds} rounds, protocol 4, per call`);
  console.log('figure              CPython (C pickle)  pipefork       pipefork/CPython time');
  for (const [shape, { n, roundtrip }] of Object.entries(SHAPES)) {
    if (only && !only.includes(shape)) continue;
    for (const what of roundtrip ? ['dumps', 'loads', 'roundtrip'] : ['dumps', 'loads']) {
      const times: { py: number[]; js: number[] } = { py: [], js: [] };
      for (let r = 0; r < rounds; r++) {
        const p = run('python3', [PY, what, shape, String(n)]);
        const j = run(process.execPath, [fileURLToPath(import.meta.url), what, shape, String(n)]);
        if (p.sha1 !== j.sha1) throw new Error(`${shape}: pipefork's pickle differs from CPython's`);
        times.py.push(p.time);
        times.js.push(j.time);
      }
      const [p, j] = [median(times.py), median(times.js)];
      const perOp = (s: number) => `${((s / n) * 1e6).toFixed(2).padStart(8)} µs`;
      console.log(`${`${what} ${shape}`.padEnd(19)} ${perOp(p)}         ${perOp(j)}    ${(j / p).toFixed(2)}x`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [what, shape, n] = process.argv.slice(2);
  if (what) measure(what, shape ?? 'dicts', Number(n));
  else await main();
}
