// pickle benchmark (issue 16): dumps and loads of a 1 000-item list of small
// dicts ({'id': i, 'name': 'x' * 10, 'ok': True, 'v': 1.5}), protocol 4 as
// multiprocessing sends it, CPython's C pickle (bench/pickle/pickle_py.py)
// and pipefork side by side: each contender a separate process pinned to
// CPU 0, rounds round-robin, the median. Each side times its loop in CPU
// time (the process's, all threads: V8's compiler and GC threads count), so
// other work on the shared machine does not count; both first run a tenth of
// the loop untimed (V8's JIT and CPython's caches warm up alike).
//   node dist/bench/pickle.js            run everything and print the table
//   node dist/bench/pickle.js <what> <n> one measurement (what main() spawns)
import { spawnSync } from 'node:child_process';
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
const N = 2000;
const WHAT = ['dumps', 'loads', 'roundtrip'] as const;

// ---- pipefork's side (run in its own process) ----

function measure(what: string, n: number): void {
  const data = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: 'x'.repeat(10), ok: true, v: 1.5 }));
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
  console.log(`TIME ${((used.user + used.system) / 1e6).toFixed(6)} BYTES ${blob.length}`);
}

// ---- the driver ----

function run(cmd: string, args: string[]): number {
  const r = spawnSync('taskset', ['-c', '0', cmd, ...args], { encoding: 'utf8' });
  const m = /TIME ([\d.]+)/.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return Number(m[1]);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

export async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const py = spawnSync('python3', ['-c', 'import sys; print(sys.version.split()[0])'], {
    encoding: 'utf8',
  }).stdout.trim();
  console.log(`Node ${process.version}, Python ${py}, ${rounds} rounds, ${N} loops of 1 000 dicts, protocol 4`);
  console.log('figure      CPython (C pickle)   pipefork          pipefork/CPython time');
  for (const what of WHAT) {
    const times: { py: number[]; js: number[] } = { py: [], js: [] };
    for (let r = 0; r < rounds; r++) {
      times.py.push(run('python3', [PY, what, String(N)]));
      times.js.push(run(process.execPath, [fileURLToPath(import.meta.url), what, String(N)]));
    }
    const [p, j] = [median(times.py), median(times.js)];
    const perOp = (s: number) => `${((s / N) * 1e6).toFixed(1).padStart(7)} µs/list`;
    console.log(`${what.padEnd(11)} ${perOp(p)}      ${perOp(j)}    ${(j / p).toFixed(2)}x`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [what, n] = process.argv.slice(2);
  if (what) measure(what, Number(n));
  else await main();
}
