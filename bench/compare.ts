// Two builds of pipefork side by side in one process: this checkout and
// another one (a worktree of main, say), each compiled (npm run compile), on
// the hot paths (os.read/os.write, FileIO, the buffered classes' arena
// reads) and struct's unpack. Rounds alternate between the two and are timed in CPU time (user +
// system), which leaves out the time other processes held the CPU: on a
// shared machine, wall-clock figures of separate runs swing by a third,
// these by a few percent. Prints each build's median ns per operation and
// the median of the per-round ratios (see main() for the load order).
//
//   npm run compile && taskset -c 0 node dist/bench/compare.js /path/to/other/checkout
//   ONLY=struct ... (only the loops whose names contain 'struct')
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Lib = typeof import('../lib/index.js');
type Loop = (lib: Lib, n: number) => number;

const ROUNDS = Number(process.env.ROUNDS ?? 21);
/** ONLY=struct: just the loops whose names contain it. */
const ONLY = process.env.ONLY ?? '';
const N = Number(process.env.N ?? 50_000);

/** CPU time of this process (user + system), in ms. */
function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** A loop over a fresh pipe: fill the pipe, then the operation under test; returns its CPU ms. */
function onPipe(step: (lib: Lib, r: number, w: number) => () => void): Loop {
  return (lib, n) => {
    const [r, w] = lib.os.pipe();
    const op = step(lib, r, w);
    const t = cpu();
    for (let i = 0; i < n; i++) op();
    const dt = cpu() - t;
    for (const fd of [r, w]) {
      try {
        lib.os.close(fd);
      } catch {
        // closed by its file object
      }
    }
    return dt;
  };
}

/** A loop of n calls of the operation step(lib) makes, with no pipe. */
function inMemory(step: (lib: Lib) => () => unknown): Loop {
  return (lib, n) => {
    const op = step(lib);
    let keep: unknown;
    const t = cpu();
    for (let i = 0; i < n; i++) keep = op();
    const dt = cpu() - t;
    if (keep === undefined) throw new Error('nothing returned');
    return dt;
  };
}

const LOOPS: Record<string, Loop> = {
  // struct's results are tuples (lib/tuple.ts): what making them costs.
  "struct.unpack('<i')": inMemory(({ struct }) => {
    const b = struct.pack('<i', 123456);
    return () => struct.unpack('<i', b);
  }),
  "struct.unpack('<ihd')": inMemory(({ struct }) => {
    const b = struct.pack('<ihd', 7, -2, 0.5);
    return () => struct.unpack('<ihd', b);
  }),
  "Struct('<4sHHq').unpack_from": inMemory(({ struct }) => {
    const s = new struct.Struct('<4sHHq');
    const b = Buffer.concat([Buffer.alloc(3), s.pack(Buffer.from('head'), 1, 2, 3)]);
    return () => s.unpack_from(b, 3);
  }),
  'os.write + os.read, 1 byte': onPipe(({ os }, r, w) => {
    const one = Buffer.from('x');
    return () => {
      os.write(w, one);
      os.read(r, 1);
    };
  }),
  'os.write + os.read, 4 KiB': onPipe(({ os }, r, w) => {
    const b = Buffer.alloc(4096, 1);
    return () => {
      os.write(w, b);
      os.read(r, 4096);
    };
  }),
  'os.write + os.readinto, 4 KiB': onPipe(({ os }, r, w) => {
    const b = Buffer.alloc(4096, 1);
    const into = Buffer.alloc(4096);
    return () => {
      os.write(w, b);
      os.readinto(r, into);
    };
  }),
  'FileIO.read, 1 byte': onPipe(({ os, io }, r, w) => {
    const f = io.open(r, 'rb', 0);
    const one = Buffer.from('x');
    return () => {
      os.write(w, one);
      f.read(1);
    };
  }),
  'BufferedReader.read, 100 bytes': onPipe(({ os, io }, r, w) => {
    const f = io.open(r, 'rb');
    const b = Buffer.alloc(100, 1);
    return () => {
      os.write(w, b);
      f.read(100);
    };
  }),
  'BufferedReader.read1, 4 KiB': onPipe(({ os, io }, r, w) => {
    const f = io.open(r, 'rb');
    const b = Buffer.alloc(4096, 1);
    return () => {
      os.write(w, b);
      f.read1(4096);
    };
  }),
  'BufferedWriter.write + flush, 100 bytes': onPipe(({ os, io }, r, w) => {
    const g = io.open(w, 'wb');
    const b = Buffer.alloc(100, 1);
    const into = Buffer.alloc(100);
    return () => {
      g.write(b);
      g.flush();
      os.readinto(r, into);
    };
  }),
  // The write path without a syscall per call: the pending-bytes state the finalizer shares (issue 10).
  'BufferedWriter.write, 10 bytes': onPipe(({ os, io }, r, w) => {
    const g = io.open(w, 'wb', { buffering: 8192 });
    const b = Buffer.alloc(10, 1);
    const into = Buffer.alloc(8000);
    let i = 0;
    return () => {
      g.write(b);
      if (++i % 800 === 0) {
        g.flush();
        os.readinto(r, into);
      }
    };
  }),
  'TextIOWrapper.write, 10 characters': onPipe(({ os, io }, r, w) => {
    const t = io.open(w, 'w');
    const into = Buffer.alloc(8000);
    let i = 0;
    return () => {
      t.write('0123456789');
      if (++i % 800 === 0) {
        t.flush();
        os.readinto(r, into);
      }
    };
  }),
  // What every file object now costs to make and close: the fd's claim and the finalizer's registration.
  "io.open(fd, 'wb') + close(closefd=False)": onPipe(({ io }, _r, w) => {
    return () => {
      io.open(w, 'wb', { closefd: false }).close();
    };
  }),
};

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const quantile = (xs: number[], q: number) => sorted(xs)[Math.floor(q * (xs.length - 1))] as number;

type Result = Record<string, { other: number[]; this: number[] }>;

/** One process: both builds loaded (`first` first), every loop, ROUNDS alternating rounds each. */
async function runBoth(thisDir: string, otherDir: string, first: 'this' | 'other'): Promise<Result> {
  const load = async (dir: string) => (await import(pathToFileURL(join(dir, 'dist', 'lib', 'index.js')).href)) as Lib;
  const builds: [string, Lib][] = [];
  for (const which of first === 'this' ? ['this', 'other'] : ['other', 'this']) {
    builds.push([which, await load(which === 'this' ? thisDir : otherDir)]);
  }
  const out: Result = {};
  for (const [name, loop] of Object.entries(LOOPS)) {
    if (!name.includes(ONLY)) continue;
    for (const [, lib] of builds) loop(lib, N); // JIT warm-up
    const ns: { other: number[]; this: number[] } = { other: [], this: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [...builds].reverse() : builds;
      for (const [build, lib] of order) ns[build as 'this' | 'other'].push((loop(lib, N) * 1e6) / N);
    }
    out[name] = ns;
  }
  return out;
}

/**
 * The build loaded first into a process runs these loops a few percent
 * faster than the second (measured: the same build against itself gives
 * 1.00, two builds give 1.02-1.04 one way round and 0.97-0.98 the other), so
 * each comparison runs twice, once in each order, in processes of its own,
 * and the ratio reported is the geometric mean of the two.
 */
export async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const here = resolve(self, '..', '..', '..');
  if (process.argv[2] === '--run') {
    const r = await runBoth(here, process.argv[3] as string, process.argv[4] as 'this' | 'other');
    process.stdout.write(JSON.stringify(r));
    return;
  }
  const other = process.argv[2];
  if (!other) throw new Error('usage: node dist/bench/compare.js /path/to/other/checkout');
  const run = (first: string): Result =>
    JSON.parse(
      execFileSync(process.execPath, [self, '--run', resolve(other), first], { encoding: 'utf8', maxBuffer: 1 << 24 }),
    ) as Result;
  const thisFirst = run('this');
  const otherFirst = run('other');
  console.log(`node ${process.version}, ${ROUNDS} alternating rounds of ${N} operations, CPU time, both load orders`);
  console.log(`other: ${resolve(other)}\nthis:  ${here}\n`);
  const spread = (xs: number[]) => ((quantile(xs, 0.75) - quantile(xs, 0.25)) / quantile(xs, 0.5)) * 50;
  for (const name of Object.keys(LOOPS)) {
    if (!name.includes(ONLY)) continue;
    const ratio = (r: Result) => {
      const { this: t, other: o } = r[name] as { other: number[]; this: number[] };
      return quantile(
        t.map((x, i) => x / (o[i] as number)),
        0.5,
      );
    };
    const [a, b] = [ratio(thisFirst), ratio(otherFirst)];
    const o = [...(thisFirst[name]?.other ?? []), ...(otherFirst[name]?.other ?? [])];
    const t = [...(thisFirst[name]?.this ?? []), ...(otherFirst[name]?.this ?? [])];
    console.log(
      `${name.padEnd(40)} other ${quantile(o, 0.5).toFixed(0).padStart(5)} ns (±${spread(o).toFixed(1)}%)` +
        `  this ${quantile(t, 0.5).toFixed(0).padStart(5)} ns (±${spread(t).toFixed(1)}%)` +
        `  this/other ${Math.sqrt(a * b).toFixed(3)} (this loaded first ${a.toFixed(3)}, second ${b.toFixed(3)})`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
