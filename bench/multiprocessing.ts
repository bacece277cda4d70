// multiprocessing benchmark (issue 16): a parent and a child started by
// Process (the fork start method) talking over Pipe() (a socketpair), in
// pipefork and in CPython 3.11 (bench/multiprocessing/mp_py.py), side by
// side:
//   pingpong  send_bytes/recv_bytes round trips of 16 bytes
//   objects   send/recv of a 1 000-item list of small dicts, child -> parent
//   bytes     1 GiB in 1 MiB messages through send_bytes/recv_bytes, child -> parent
// Each contender is a separate program pinned with its child to CPU 0
// (taskset -c 0), rounds alternate, the median is kept. Each side times its
// own part of the loop in CPU time after a warm-up, so the machine's other
// work does not count; their sum is the cost of a message (on one CPU, the
// wall time is that sum plus the scheduler's switches, printed too). The
// sides' split says which end is slower: in `objects` the child pickles
// (send) and the parent unpickles (recv).
//   node dist/bench/multiprocessing.js             run everything and print the table
//   node dist/bench/multiprocessing.js <what> <n>  one measurement (what main() spawns)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connection, Process } from 'pipefork/multiprocessing';

const here = dirname(fileURLToPath(import.meta.url));

function packageRoot(): string {
  let dir = here;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

const PY = join(packageRoot(), 'bench', 'multiprocessing', 'mp_py.py');
const WHAT = { pingpong: 100_000, objects: 2_000, bytes: 1024 } as const;
type What = keyof typeof WHAT;

// ---- pipefork's side (run in its own program) ----

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

function measure(what: What, n: number): void {
  const warm = Math.max(Math.floor(n / 10), 1);
  const data = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: 'x'.repeat(10), ok: true, v: 1.5 }));
  const mib = Buffer.alloc(1 << 20, 'x');
  const small = Buffer.from('0123456789abcdef');
  const [a, b] = connection.Pipe();
  const child = (conn: typeof b) => {
    let t: NodeJS.CpuUsage;
    if (what === 'pingpong') {
      for (let i = 0; i < warm; i++) conn.send_bytes(conn.recv_bytes());
      t = process.cpuUsage();
      for (let i = 0; i < n; i++) conn.send_bytes(conn.recv_bytes());
    } else {
      const send = what === 'objects' ? () => conn.send(data) : () => conn.send_bytes(mib);
      for (let i = 0; i < warm; i++) send();
      t = process.cpuUsage();
      for (let i = 0; i < n; i++) send();
    }
    conn.send_bytes(Buffer.from(String(cpuSeconds(t))));
  };
  const p = new Process({ target: child, args: [b] });
  p.start();
  b.close();
  let t: NodeJS.CpuUsage;
  let w: number;
  if (what === 'pingpong') {
    for (let i = 0; i < warm; i++) {
      a.send_bytes(small);
      a.recv_bytes();
    }
    t = process.cpuUsage();
    w = performance.now();
    for (let i = 0; i < n; i++) {
      a.send_bytes(small);
      a.recv_bytes();
    }
  } else {
    const recv = what === 'objects' ? () => a.recv() : () => a.recv_bytes();
    for (let i = 0; i < warm; i++) recv();
    t = process.cpuUsage();
    w = performance.now();
    for (let i = 0; i < n; i++) recv();
  }
  const mine = cpuSeconds(t);
  const wall = (performance.now() - w) / 1000;
  const theirs = Number(a.recv_bytes().toString());
  p.join();
  p.close();
  a.close();
  console.log(`PARENT ${mine.toFixed(6)} CHILD ${theirs.toFixed(6)} WALL ${wall.toFixed(6)}`);
}

// ---- the driver ----

interface Figures {
  parent: number;
  child: number;
  wall: number;
}

function run(cmd: string, args: string[]): Figures {
  const r = spawnSync('taskset', ['-c', '0', cmd, ...args], { encoding: 'utf8' });
  const m = /PARENT ([\d.]+) CHILD ([\d.]+) WALL ([\d.]+)/.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return { parent: Number(m[1]), child: Number(m[2]), wall: Number(m[3]) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

function medians(fs: Figures[]): Figures {
  return {
    parent: median(fs.map((f) => f.parent)),
    child: median(fs.map((f) => f.child)),
    wall: median(fs.map((f) => f.wall)),
  };
}

/** The per-message figure of a measurement, in its unit. */
function perMessage(what: What, s: number, n: number): string {
  if (what === 'bytes') return `${(n / 1024 / s).toFixed(2).padStart(6)} GiB/s`;
  if (what === 'objects') return `${((s / n) * 1e6).toFixed(0).padStart(6)} µs/list`;
  return `${((s / n) * 1e6).toFixed(2).padStart(6)} µs/trip`;
}

export async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const py = spawnSync('python3', ['-c', 'import sys; print(sys.version.split()[0])'], {
    encoding: 'utf8',
  }).stdout.trim();
  const flags = process.execArgv.length ? ` (node ${process.execArgv.join(' ')})` : '';
  console.log(`Node ${process.version}${flags}, Python ${py}, ${rounds} rounds, parent and child pinned to CPU 0`);
  console.log(
    'figure     side           CPython              pipefork           pipefork/CPython time (lower is better)',
  );
  for (const what of Object.keys(WHAT) as What[]) {
    const n = Math.max(1, Math.round(WHAT[what] * scale));
    const py: Figures[] = [];
    const js: Figures[] = [];
    for (let r = 0; r < rounds; r++) {
      py.push(run('python3', [PY, what, String(n)]));
      js.push(run(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), what, String(n)]));
    }
    const [p, j] = [medians(py), medians(js)];
    const sides: [string, (f: Figures) => number][] =
      what === 'pingpong'
        ? [
            ['both (CPU)', (f) => f.parent + f.child],
            ['wall', (f) => f.wall],
          ]
        : [
            ['both (CPU)', (f) => f.parent + f.child],
            ['send (child)', (f) => f.child],
            ['recv (parent)', (f) => f.parent],
            ['wall', (f) => f.wall],
          ];
    for (const [side, get] of sides) {
      console.log(
        `${what.padEnd(10)} ${side.padEnd(14)} ${perMessage(what, get(p), n)}    ${perMessage(what, get(j), n)}    ${(get(j) / get(p)).toFixed(2)}x`,
      );
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [what, n] = process.argv.slice(2);
  if (what) measure(what as What, Number(n));
  else await main();
}
