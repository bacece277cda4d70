// `npm run bench -- reads` (issue 17): reads that return new bytes, against
// CPython, with the read pool (lib/readpool.ts) and without it
// (PIPEFORK_READ_POOL=0, the ordinary Buffers every line had before):
//   - os.read of 64 KiB and of 4 KiB, 1 GiB through a pipe, each reader fed
//     by a writer of its own kind (CPython's os.write, pipefork's), as
//     bench/os.ts pairs them;
//   - BufferedReader.read(65536), 1 GiB from a C writer, as bench/io.ts;
//   - Popen.communicate() of 100 MiB;
//   - RSS over 10 GiB of 64 KiB os.read (one round: a bound, not a time).
// Each contender is a fresh process per round, pinned to CPU 0 with its
// writer; rounds go round-robin and the figures are medians. The machine is
// shared, so besides the wall time (from the reader's first byte) each
// figure gives the reader's own CPU time, which other load moves much less,
// and both as ratios to CPython's in the same rotation.
//
//   node dist/bench/reads.js [figure ...]   figures: 64k 4k buffered communicate rss
//   BENCH_ROUNDS=7 (default 5); READS_PACING=0,5 adds the pool paced otherwise (lib/readpool.ts)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type io, os, subprocess } from 'pipefork';
import { readPoolStats, setReadPacing } from '../lib/readpool.js';

const self = fileURLToPath(import.meta.url);
const here = dirname(self); // dist/bench
const root = join(here, '..', '..');
const src = join(root, 'bench', 'reads');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const GiB = 2 ** 30;
const MiB = 2 ** 20;

// ---- the pipefork side of each figure (each in its own process) ----------------

/** GC counts by kind while f runs (PerformanceObserver: no V8 flag needed). */
async function withGcCounts<T>(f: () => T): Promise<[T, Record<string, number>]> {
  const counts: Record<string, number> = { minor: 0, major: 0, ms: 0 };
  // perf_hooks.constants: NODE_PERFORMANCE_GC_MINOR 1, _MAJOR 4.
  const kinds: Record<number, string> = { 1: 'minor', 4: 'major' };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      const name = kinds[kind] ?? 'other';
      counts[name] = (counts[name] ?? 0) + 1;
      counts.ms = (counts.ms ?? 0) + e.duration;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  const r = f();
  // The observer is told on a later turn of the event loop.
  await new Promise((res) => setTimeout(res, 20));
  obs.disconnect();
  return [r, counts];
}

function usage() {
  const r = process.resourceUsage();
  return {
    minflt: r.minorPageFault,
    cpu: (r.userCPUTime + r.systemCPUTime) / 1e6,
    csw: r.voluntaryContextSwitches + r.involuntaryContextSwitches,
  };
}

/**
 * Reads fd 0 to EOF: 'os.read' (os.read(0, chunk)), 'readinto' (os.readinto
 * into one Buffer: the floor) or 'buffered' (BufferedReader.read(chunk)).
 * pace: '-' for lib's pacing, else the shift to use (0: none). Prints one JSON line.
 */
async function oneRead(variant: string, chunk: number, pace: string): Promise<void> {
  if (pace !== '-') setReadPacing(Number(pace));
  let read: () => number;
  if (variant === 'os.read') read = () => os.read(0, chunk).length;
  else if (variant === 'readinto') {
    const into = Buffer.allocUnsafe(chunk);
    read = () => os.readinto(0, into);
  } else {
    const f = os.fdopen(0, 'rb') as io.BufferedReader;
    read = () => (f.read(chunk) as Buffer).length;
  }
  // The clock starts at the first byte: neither process's start-up counts.
  let got = read();
  const rssStart = process.memoryUsage.rss();
  let rssMax = rssStart;
  const u0 = usage();
  const t0 = process.hrtime.bigint();
  const [, gc] = await withGcCounts(() => {
    let next = got + 256 * MiB;
    for (;;) {
      const k = read();
      if (k === 0) break;
      got += k;
      if (got >= next) {
        next += 256 * MiB;
        rssMax = Math.max(rssMax, process.memoryUsage.rss());
      }
    }
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9 - 0.02; // less withGcCounts' wait
  const u1 = usage();
  const rssEnd = process.memoryUsage.rss();
  const pool = readPoolStats();
  console.log(
    JSON.stringify({
      s,
      cpu: u1.cpu - u0.cpu,
      bytes: got,
      minflt: u1.minflt - u0.minflt,
      csw: u1.csw - u0.csw,
      gcMinor: gc.minor,
      gcMajor: gc.major,
      gcMs: gc.ms,
      rssStartMiB: rssStart / MiB,
      rssMaxMiB: Math.max(rssMax, rssEnd) / MiB,
      rssEndMiB: rssEnd / MiB,
      poolMiB: (pool?.mapped ?? 0) / MiB,
      fallbacks: pool?.fallbacks ?? 0,
    }),
  );
}

/** pipefork's os.write of chunk bytes to stdout until total (bench/os-workload.ts's writer). */
function oneWrite(total: number, chunk: number): void {
  const buf = Buffer.alloc(chunk, 'x');
  for (let sent = 0; sent < total; ) sent += os.write(1, sent + chunk <= total ? buf : buf.subarray(0, total - sent));
}

/** Popen.communicate() of total bytes from head -c; prints one JSON line. */
function oneCommunicate(total: number): void {
  const u0 = usage();
  const t0 = process.hrtime.bigint();
  const p = new subprocess.Popen(['head', '-c', String(total), '/dev/zero'], { stdout: subprocess.PIPE });
  const [out] = p.communicate() as [Buffer, null];
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const u1 = usage();
  if (out.length !== total) throw new Error(`got ${out.length}`);
  console.log(JSON.stringify({ s, cpu: u1.cpu - u0.cpu, minflt: u1.minflt - u0.minflt }));
}

// ---- the harness ------------------------------------------------------------------

type Contender = { name: string; cmd: string };

function pinnedJson(cmd: string): Record<string, number> {
  const r = spawnSync('taskset', ['-c', '0', 'sh', '-c', cmd], { encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, number>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/** Round-robin rounds over the contenders; the median of each field. */
function rotate(contenders: Contender[], rounds = ROUNDS): Map<string, Record<string, number>> {
  const runs = new Map<string, Record<string, number>[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const c of contenders) runs.get(c.name)?.push(pinnedJson(c.cmd));
  }
  const med = new Map<string, Record<string, number>>();
  for (const [name, rs] of runs) {
    const keys = Object.keys(rs[0] ?? {});
    med.set(name, Object.fromEntries(keys.map((k) => [k, median(rs.map((r) => r[k] as number))])));
  }
  return med;
}

const node = (args: string, env = '') => `${env} ${process.execPath} ${self} ${args}`;
const NOPOOL = 'PIPEFORK_READ_POOL=0';
/** READS_PACING=0,5: contenders with the pool paced by these shifts instead of lib's (0: no pacing). */
const pacings = () => (process.env.READS_PACING ? process.env.READS_PACING.split(',') : []);

/** The pipefork contenders of a read figure: the pool, the ordinary path, and the floor. */
function pipeforkReaders(variant: string, chunk: number, feed: string): Contender[] {
  const list: Contender[] = [
    { name: `pipefork ${variant}`, cmd: `${feed} ${node(`one-read ${variant} ${chunk} -`)}` },
    { name: `  without the pool`, cmd: `${feed} ${node(`one-read ${variant} ${chunk} -`, NOPOOL)}` },
    ...pacings().map((p) => ({ name: `  pacing ${p}`, cmd: `${feed} ${node(`one-read ${variant} ${chunk} ${p}`)}` })),
  ];
  if (variant === 'os.read') {
    list.push({ name: 'pipefork os.readinto', cmd: `${feed} ${node(`one-read readinto ${chunk} -`)}` });
  }
  return list;
}

function printReads(title: string, target: string, med: Map<string, Record<string, number>>, base: string): void {
  const py = med.get(base) as Record<string, number>;
  const gib = (py.bytes as number) / GiB;
  console.log(`\n${title}  (target: ${target})`);
  console.log(
    '  reader                     wall s/GiB  x CPython  CPU s/GiB  x CPython  faults/GiB  ctx-sw/GiB  GCs/GiB (major)  RSS start/max MiB',
  );
  for (const [name, m] of med) {
    const per = (k: string, w: number, d = 0) => ((m[k] ?? 0) / gib).toFixed(d).padStart(w);
    const x = (k: string) => `${((m[k] as number) / (py[k] as number)).toFixed(2)}x`.padStart(9);
    const gcs =
      m.gcMinor === undefined
        ? ''
        : `${(((m.gcMinor ?? 0) + (m.gcMajor ?? 0)) / gib).toFixed(0)} (${per('gcMajor', 0)})`;
    console.log(
      `  ${name.padEnd(26)} ${per('s', 10, 3)} ${x('s')} ${per('cpu', 10, 3)} ${x('cpu')} ${per('minflt', 11)} ${per('csw', 11)}  ${gcs.padStart(15)}  ${(m.rssStartMiB ?? 0).toFixed(0)} / ${(m.rssMaxMiB ?? 0).toFixed(0)}`,
    );
  }
}

function buildWriter(): string {
  const out = join(root, 'build', 'bench-reads');
  mkdirSync(out, { recursive: true });
  const exe = join(out, 'writer');
  execFileSync('cc', ['-O2', '-o', exe, join(src, 'writer.c')]);
  return exe;
}

function streamFigure(chunk: number, writer: string): void {
  const total = GiB;
  // READS_WRITER=c: the C writer for every reader, so that only the readers differ.
  const c = process.env.READS_WRITER === 'c' ? `${writer} ${total} ${chunk} |` : undefined;
  const pyFeed = c ?? `python3 ${join(src, 'writer.py')} ${total} ${chunk} |`;
  const nodeFeed = c ?? `${node(`one-write ${total} ${chunk}`)} |`;
  const med = rotate([
    { name: 'CPython os.read', cmd: `${pyFeed} python3 ${join(src, 'reader.py')} os.read ${chunk}` },
    ...pipeforkReaders('os.read', chunk, nodeFeed),
  ]);
  printReads(
    `os.read(fd, ${chunk / 1024} KiB), 1 GiB through a pipe, ${c ? 'a C writer' : 'each reader fed by its own kind of writer'}`,
    chunk === 65536 ? 'pipefork <= 1.2x CPython' : 'pipefork <= 1.0x CPython',
    med,
    'CPython os.read',
  );
}

function bufferedFigure(writer: string): void {
  const feed = `${writer} ${GiB} 65536 |`;
  const med = rotate([
    { name: 'CPython read', cmd: `${feed} python3 ${join(src, 'reader.py')} buffered 65536` },
    ...pipeforkReaders('buffered', 65536, feed),
  ]);
  printReads(
    'BufferedReader.read(65536), 1 GiB through a pipe from a C writer',
    'pipefork <= 1.2x CPython',
    med,
    'CPython read',
  );
}

function communicateFigure(): void {
  const total = 100 * MiB;
  const med = rotate([
    { name: 'CPython communicate()', cmd: `python3 ${join(src, 'communicate.py')} ${total}` },
    { name: 'pipefork communicate()', cmd: node(`one-communicate ${total}`) },
    { name: '  without the pool', cmd: node(`one-communicate ${total}`, NOPOOL) },
  ]);
  const py = med.get('CPython communicate()') as Record<string, number>;
  console.log('\nPopen.communicate() of 100 MiB from head -c  (target: pipefork <= 1.0x CPython)');
  console.log('  contender                  wall s  x CPython   CPU s  x CPython  faults');
  for (const [name, m] of med) {
    const x = (k: string) => `${((m[k] as number) / (py[k] as number)).toFixed(2)}x`.padStart(9);
    console.log(
      `  ${name.padEnd(26)} ${(m.s as number).toFixed(3).padStart(6)} ${x('s')}  ${(m.cpu as number).toFixed(3).padStart(6)} ${x('cpu')}  ${(m.minflt as number).toFixed(0).padStart(6)}`,
    );
  }
}

function rssFigure(writer: string): void {
  const total = 10 * GiB;
  const feed = `${writer} ${total} 65536 |`;
  const contenders: Contender[] = [
    { name: 'pipefork os.read', cmd: `${feed} ${node('one-read os.read 65536 -')}` },
    { name: '  without the pool', cmd: `${feed} ${node('one-read os.read 65536 -', NOPOOL)}` },
    ...pacings().map((p) => ({ name: `  pacing ${p}`, cmd: `${feed} ${node(`one-read os.read 65536 ${p}`)}` })),
  ];
  const med = rotate(contenders, 1);
  console.log('\nRSS over 10 GiB of os.read(fd, 64 KiB) from a C writer, one run  (target: max - start <= 64 MiB)');
  console.log('  reader                     RSS start  max  end MiB  max - start  pool MiB  fallbacks  GCs (major)');
  for (const [name, m] of med) {
    const grow = (m.rssMaxMiB as number) - (m.rssStartMiB as number);
    console.log(
      `  ${name.padEnd(26)} ${(m.rssStartMiB as number).toFixed(0).padStart(9)} ${(m.rssMaxMiB as number).toFixed(0).padStart(4)} ${(m.rssEndMiB as number).toFixed(0).padStart(4)}      ${grow.toFixed(0).padStart(7)} ${grow <= 64 ? 'OK    ' : 'MISSED'} ${(m.poolMiB as number).toFixed(0).padStart(5)} ${(m.fallbacks as number).toFixed(0).padStart(10)}  ${m.gcMinor} (${m.gcMajor})`,
    );
  }
}

export async function main(figures: string[] = []): Promise<void> {
  const want = (f: string) => figures.length === 0 || figures.includes(f);
  const writer = buildWriter();
  console.log(
    `fresh read results (issue 17): node ${process.version}, ${ROUNDS} rounds round-robin, medians, pinned with taskset -c 0`,
  );
  if (want('64k')) streamFigure(65536, writer);
  if (want('4k')) streamFigure(4096, writer);
  if (want('buffered')) bufferedFigure(writer);
  if (want('communicate')) communicateFigure();
  if (want('rss')) rssFigure(writer);
}

const [mode, ...rest] = process.argv.slice(2);
if (process.argv[1] === self) {
  if (mode === 'one-read') await oneRead(rest[0] as string, Number(rest[1]), rest[2] as string);
  else if (mode === 'one-write') oneWrite(Number(rest[0]), Number(rest[1]));
  else if (mode === 'one-communicate') oneCommunicate(Number(rest[0]));
  else await main(process.argv.slice(2));
}
