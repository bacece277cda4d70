// io benchmarks (issue 3): the tutorial's message exchange, bulk reads and
// text line iteration — C, CPython and pipefork side by side, round-robin,
// medians, every process pinned to CPU 0.
//   node dist/bench/io.js            run everything and print the table
//   node dist/bench/io.js <role> ... one measurement (what main() spawns)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as io from 'pipefork/io';
import * as os from 'pipefork/os';
import * as struct from 'pipefork/struct';

const here = dirname(fileURLToPath(import.meta.url));

function packageRoot(): string {
  let dir = here;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

const ROOT = packageRoot();
const SRC = join(ROOT, 'bench', 'io');
const OUT = join(ROOT, 'build', 'bench-io');
const MESSAGES = 100_000;
const PAYLOAD = 100;
const BULK_TOTAL = 1 << 30;
const TEXT_FILE = join(tmpdir(), 'pipefork-io-bench-100MB.txt');

// ---- the pipefork side of each figure (run in its own process) ----

/** The tutorial's exchange, ported line by line from bench/io/pingpong.py. */
function pingpongParent(count: number, size: number): void {
  const [r1, w1] = os.pipe();
  const [r2, w2] = os.pipe();
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'pingpong-child'], {
    stdio: ['ignore', 'inherit', 'inherit', r1, w2],
  });
  os.close(r1);
  os.close(w2);
  const writer = os.fdopen(w1, 'wb');
  const reader = os.fdopen(r2, 'rb');
  reader.read(1);
  const data = Buffer.alloc(size, 'x');
  const t = performance.now();
  for (let i = 0; i < count; i++) {
    writer.write(struct.pack('<i', data.length));
    writer.write(data);
    writer.flush();
    const [n] = struct.unpack('<i', reader.read(4) as Buffer) as [number];
    reader.read(n);
  }
  const elapsed = (performance.now() - t) / 1000;
  writer.close();
  reader.close();
  child.on('exit', () => console.log(`TIME ${elapsed.toFixed(6)}`));
}

function pingpongChild(): void {
  const reader = os.fdopen(3, 'rb');
  const writer = os.fdopen(4, 'wb');
  writer.write(Buffer.from('R'));
  writer.flush();
  for (;;) {
    const header = reader.read(4) as Buffer;
    if (header.length === 0) break;
    const [n] = struct.unpack('<i', header) as [number];
    const data = reader.read(n) as Buffer;
    writer.write(struct.pack('<i', n));
    writer.write(data);
    writer.flush();
  }
  reader.close();
  writer.close();
}

function bulk(variant: string, writerExe: string, total: number): void {
  const [r, w] = os.pipe();
  const p = spawn(writerExe, ['write', String(total)], { stdio: ['ignore', w, 'inherit'] });
  os.close(w);
  let got = 0;
  const t = performance.now();
  if (variant === 'os.read') {
    for (;;) {
      const b = os.read(r, 65536);
      if (b.length === 0) break;
      got += b.length;
    }
    os.close(r);
  } else {
    const f = os.fdopen(r, 'rb');
    for (;;) {
      const b = (variant === 'read' ? f.read(65536) : f.read1(65536)) as Buffer;
      if (b.length === 0) break;
      got += b.length;
    }
    f.close();
  }
  const elapsed = (performance.now() - t) / 1000;
  p.on('exit', () => console.log(`TIME ${elapsed.toFixed(6)} ${got}`));
}

function lines(path: string): void {
  const t = performance.now();
  let n = 0;
  {
    using f = io.open(path, { encoding: 'utf-8' });
    for (const _line of f) n++;
  }
  console.log(`TIME ${((performance.now() - t) / 1000).toFixed(6)} ${n}`);
}

// ---- the harness ----

/** 100 MB of UTF-8 lines, mostly ASCII with accents, CJK and emoji (deterministic). */
function makeTextFile(): void {
  if (existsSync(TEXT_FILE) && statSync(TEXT_FILE).size >= 100 * 1024 * 1024) return;
  const words = ['alpha', 'beta', 'gamma', 'delta', 'épsilon', 'ζeta', 'naïve', 'straße', '日本語', 'data', 'pipe'];
  let seed = 1;
  const rand = (k: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % k;
  };
  const fd = openSync(TEXT_FILE, 'w');
  let size = 0;
  while (size < 100 * 1024 * 1024) {
    let chunk = '';
    for (let i = 0; i < 10000; i++) {
      const n = 3 + rand(14);
      const ws: string[] = [];
      for (let j = 0; j < n; j++) ws.push(words[rand(words.length)] as string);
      chunk += `${ws.join(' ')}${rand(50) === 0 ? ' 😀' : ''}\n`;
    }
    size += writeSync(fd, chunk);
  }
  closeSync(fd);
}

function compile(name: string): string {
  mkdirSync(OUT, { recursive: true });
  const exe = join(OUT, name);
  execFileSync('cc', ['-O2', '-o', exe, join(SRC, `${name}.c`)]);
  return exe;
}

/** Runs cmd pinned to CPU 0; the seconds from its "TIME s" line. */
function timed(cmd: string[]): number {
  const r = spawnSync('taskset', ['-c', '0', ...cmd], { encoding: 'utf8', timeout: 600_000 });
  const m = /TIME ([\d.]+)/.exec(r.stdout ?? '');
  if (r.status !== 0 || !m) throw new Error(`${cmd.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return Number(m[1]);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
};

interface Figure {
  name: string;
  impls: [string, string[]][];
  /** The ratio the issue asks for: [numerator impl, denominator impl, limit]. */
  check: [string, string, number][];
}

export async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const self = fileURLToPath(import.meta.url);
  const node = process.execPath;
  const pingpong = compile('pingpong');
  const bulkExe = compile('bulk');
  makeTextFile();
  const figures: Figure[] = [
    {
      name: `ping-pong, ${MESSAGES} messages of 4+${PAYLOAD} bytes`,
      impls: [
        ['C', [pingpong, String(MESSAGES), String(PAYLOAD)]],
        ['CPython', ['python3', join(SRC, 'pingpong.py'), String(MESSAGES), String(PAYLOAD)]],
        ['pipefork', [node, self, 'pingpong', String(MESSAGES), String(PAYLOAD)]],
      ],
      check: [['pipefork', 'CPython', 0.9]],
    },
    {
      name: 'bulk read, 1 GiB through a pipe, 64 KiB per call',
      impls: [
        ['C read(2)', ['sh', '-c', `"${bulkExe}" write ${BULK_TOTAL} | "${bulkExe}" read`]],
        ['CPython os.read', ['python3', join(SRC, 'bulk.py'), 'os.read', bulkExe, String(BULK_TOTAL)]],
        ['CPython read', ['python3', join(SRC, 'bulk.py'), 'read', bulkExe, String(BULK_TOTAL)]],
        ['CPython read1', ['python3', join(SRC, 'bulk.py'), 'read1', bulkExe, String(BULK_TOTAL)]],
        ['pipefork os.read', [node, self, 'bulk', 'os.read', bulkExe, String(BULK_TOTAL)]],
        ['pipefork read', [node, self, 'bulk', 'read', bulkExe, String(BULK_TOTAL)]],
        ['pipefork read1', [node, self, 'bulk', 'read1', bulkExe, String(BULK_TOTAL)]],
      ],
      // Throughput ratio >= 0.9 is time ratio <= 1/0.9.
      check: [
        ['pipefork read', 'pipefork os.read', 1 / 0.9],
        ['pipefork read1', 'pipefork os.read', 1 / 0.9],
      ],
    },
    {
      name: 'text line iteration, 100 MB of UTF-8',
      impls: [
        ['CPython', ['python3', join(SRC, 'lines.py'), TEXT_FILE]],
        ['pipefork', [node, self, 'lines', TEXT_FILE]],
      ],
      check: [['pipefork', 'CPython', 1]],
    },
  ];
  console.log(`io benchmarks: ${rounds} rounds round-robin, medians, pinned with taskset -c 0`);
  // BENCH_ONLY=ping (a substring of a figure's name) runs just that figure.
  const only = process.env.BENCH_ONLY;
  for (const fig of figures) {
    if (only && !fig.name.includes(only)) continue;
    const times = new Map<string, number[]>(fig.impls.map(([k]) => [k, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [k, cmd] of fig.impls) times.get(k)?.push(timed(cmd));
    }
    const med = new Map([...times].map(([k, v]) => [k, median(v)]));
    const base = med.get(fig.impls[0]?.[0] as string) as number;
    console.log(`\n${fig.name}`);
    for (const [k] of fig.impls) {
      const t = med.get(k) as number;
      console.log(`  ${k.padEnd(18)} ${t.toFixed(3)} s   ${(t / base).toFixed(2)}x ${fig.impls[0]?.[0]}`);
    }
    for (const [a, b, limit] of fig.check) {
      const ratio = (med.get(a) as number) / (med.get(b) as number);
      const ok = ratio <= limit;
      console.log(`  ${a} / ${b} time = ${ratio.toFixed(2)} (target <= ${limit.toFixed(2)}) ${ok ? 'OK' : 'MISSED'}`);
    }
  }
}

const [role, ...rest] = process.argv.slice(2);
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (role === 'pingpong') pingpongParent(Number(rest[0]), Number(rest[1]));
  else if (role === 'pingpong-child') pingpongChild();
  else if (role === 'bulk') bulk(rest[0] as string, rest[1] as string, Number(rest[2]));
  else if (role === 'lines') lines(rest[0] as string);
  else await main();
}
