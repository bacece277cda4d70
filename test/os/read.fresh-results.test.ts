// Fresh read results from the read pool (lib/readpool.ts, native/fork/
// readpool.cc): each result independent of later reads, whatever the memory
// goes through (transfer(), a byte stream's enqueue(), postMessage to a
// Worker, a fork), pools per Worker, readall, and the ordinary path that
// PIPEFORK_READ_POOL=0 forces. Each scenario reads enough, with garbage
// collections between, that the pool lends the same blocks again: the
// tests check that it did (taken > what was ever mapped), so a block lent
// while its memory lives would show as changed bytes.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { io, os, subprocess } from '../../lib/index.js';
import { setPipeSize } from '../../lib/posix/index.js';
import { readPoolStats } from '../../lib/readpool.js';
import { reap } from '../fixtures/fork-helpers.js';
import { PIPEFORK, runNode } from '../helpers/program.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const K64 = 65536;

/** A pipe; fill(i) writes then reads one 64 KiB result of the byte i & 255 (and a small one every 8th). */
function pipeReader() {
  const [r, w] = os.pipe();
  return {
    read(byte: number, n = K64): Buffer {
      os.write(w, Buffer.alloc(n, byte & 255));
      const out = os.read(r, n);
      expect(out.length).toBe(n);
      return out;
    },
    close() {
      os.close(r);
      os.close(w);
    },
  };
}

/** Reads `rounds` x 500 results, collecting garbage between, so that the pool lends its blocks again. */
function churn(p: ReturnType<typeof pipeReader>, rounds = 6): void {
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < 500; i++) p.read(i % 7 === 0 ? 200 : 100 + (i % 50), i % 8 === 0 ? 3000 : K64);
    gc();
  }
}

/** The pool lent blocks again while the test ran (else the test proves nothing). */
function expectReuse(before: ReturnType<typeof readPoolStats>) {
  const after = readPoolStats();
  if (before === undefined || after === undefined) throw new Error('no read pool here');
  expect(after.taken - before.taken).toBeGreaterThan(after.mapped / K64);
}

const HAS_POOL = readPoolStats() !== undefined;

describe('fresh read results from the read pool', () => {
  it('the per-ABI addon provides the pool on this line (linux, no V8 sandbox)', () => {
    expect(HAS_POOL).toBe(process.platform === 'linux');
    const s = readPoolStats();
    if (s) expect(s.cap).toBe(48 * 2 ** 20);
  });

  it.runIf(HAS_POOL)('each result keeps its bytes while later reads reuse the pool', () => {
    const p = pipeReader();
    const before = readPoolStats();
    const kept: [Buffer, number][] = [];
    try {
      for (let i = 0; i < 4000; i++) {
        const small = i % 8 === 0;
        const b = p.read(i, small ? 1000 + (i % 3000) : K64);
        if (i % 37 === 0) kept.push([b, i & 255]);
        if (i % 500 === 499) gc();
      }
      for (const [b, v] of kept) expect(b.every((x) => x === v)).toBe(true);
      expectReuse(before);
    } finally {
      p.close();
    }
  });

  it.runIf(HAS_POOL)(
    'the awaitable reads (os.readAsync, FileIO.readAsync) take pool blocks too, each keeping its bytes',
    async () => {
      const [r, w] = os.pipe();
      const f = io.FileIO(r, 'r', { closefd: false });
      const before = readPoolStats();
      const kept: [Buffer, number][] = [];
      try {
        for (let i = 0; i < 3000; i++) {
          // A read that waits (the write comes after it started) and one that finds data.
          const pending = i % 2 === 0 ? os.readAsync(r, K64) : f.readAsync(K64);
          os.write(w, Buffer.alloc(K64, i & 255));
          const b = await pending;
          expect(b.length).toBe(K64);
          if (i % 37 === 0) kept.push([b, i & 255]);
          if (i % 500 === 499) gc();
        }
        for (const [b, v] of kept) expect(b.every((x) => x === v)).toBe(true);
        expectReuse(before);
      } finally {
        f.close();
        os.close(r);
        os.close(w);
      }
    },
  );

  // ArrayBuffer.prototype.transfer() came with Node 22 (V8 11.4): Node 20 has nothing to test here.
  it.runIf(HAS_POOL && 'transfer' in ArrayBuffer.prototype)(
    'ArrayBuffer.prototype.transfer(): the moved memory is not lent again while it lives',
    () => {
      const p = pipeReader();
      try {
        const before = readPoolStats();
        const moved = (p.read(42).buffer as ArrayBuffer & { transfer(): ArrayBuffer }).transfer();
        gc();
        churn(p);
        expect(new Uint8Array(moved).every((x) => x === 42)).toBe(true);
        expectReuse(before);
      } finally {
        p.close();
      }
    },
  );

  it.runIf(HAS_POOL)(
    "a bytes ReadableStream's enqueue() (which transfers the memory) keeps the chunk intact",
    async () => {
      const p = pipeReader();
      try {
        const before = readPoolStats();
        const result = p.read(43);
        const stream = new ReadableStream({
          type: 'bytes',
          start(c) {
            c.enqueue(result);
            c.close();
          },
        });
        const chunk = (await stream.getReader().read()).value as Uint8Array;
        gc();
        churn(p);
        expect(chunk.length).toBe(K64);
        expect(chunk.every((x) => x === 43)).toBe(true);
        expectReuse(before);
      } finally {
        p.close();
      }
    },
  );

  it.runIf(HAS_POOL)(
    'structuredClone (copied or transferred) and postMessage: a clone, or the memory transferred to a Worker, stay intact',
    async () => {
      const p = pipeReader();
      const worker = new Worker(
        `const { parentPort } = require('node:worker_threads');
       let held;
       parentPort.on('message', (m) => {
         if (m.hold) { held = new Uint8Array(m.hold); parentPort.postMessage('held'); }
         else parentPort.postMessage({ length: held.length, intact: held.every((x) => x === 44) });
       });`,
        { eval: true },
      );
      const reply = () => new Promise<unknown>((resolve) => worker.once('message', resolve));
      try {
        const before = readPoolStats();
        const cloned = structuredClone(p.read(45));
        const movedByClone = p.read(46);
        const moved = structuredClone(movedByClone, { transfer: [movedByClone.buffer as ArrayBuffer] });
        expect(movedByClone.buffer.byteLength).toBe(0);
        const sent = p.read(44);
        const held = reply();
        worker.postMessage({ hold: sent.buffer }, [sent.buffer as ArrayBuffer]);
        expect(await held).toBe('held');
        expect(sent.buffer.byteLength).toBe(0); // detached here: the Worker has it
        churn(p);
        const report = reply();
        worker.postMessage({ report: true });
        expect(await report).toEqual({ length: K64, intact: true });
        expect(cloned.every((x) => x === 45)).toBe(true);
        expect(moved.length).toBe(K64);
        expect(moved.every((x) => x === 46)).toBe(true);
        expectReuse(before);
      } finally {
        await worker.terminate();
        p.close();
      }
    },
  );

  it.runIf(HAS_POOL)(
    "each Worker reads from a pool of its own, and what it read outlives the Worker and its pool's environment",
    async () => {
      const worker = new Worker(
        `import { os } from ${JSON.stringify(PIPEFORK)};
         import { readPoolStats } from ${JSON.stringify(PIPEFORK.replace(/index\.js$/, 'readpool.js'))};
         import { parentPort } from 'node:worker_threads';
         const [r, w] = os.pipe();
         const out = [];
         for (let i = 0; i < 50; i++) { os.write(w, Buffer.alloc(65536, 100 + i)); out.push(os.read(r, 65536)); }
         os.close(r); os.close(w);
         const stats = readPoolStats();
         parentPort.postMessage({ taken: stats.taken, buffers: out.map((b) => b.buffer) }, out.map((b) => b.buffer));`,
        { eval: true, type: 'module' } as ConstructorParameters<typeof Worker>[1],
      );
      // Listen for the exit now: a Worker that ends before this thread takes
      // its message has both delivered in one turn, 'exit' right after 'message'.
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      const before = readPoolStats();
      const msg = (await new Promise((resolve) => worker.once('message', resolve))) as {
        taken: number;
        buffers: ArrayBuffer[];
      };
      await exited;
      // The Worker's 50 results came from its own pool, not this one.
      expect(msg.taken).toBe(50);
      expect(readPoolStats()?.taken).toBe(before?.taken);
      // Its environment is gone; the memory it lent here is still good.
      const p = pipeReader();
      try {
        gc();
        churn(p, 2);
        msg.buffers.forEach((ab, i) => {
          expect(new Uint8Array(ab).every((x) => x === 100 + i)).toBe(true);
        });
      } finally {
        p.close();
      }
      msg.buffers.length = 0;
      gc(); // the last of that pool's blocks come back, and it is freed (ASan: no use after free)
    },
  );

  it.runIf(HAS_POOL)(
    'past its cap the pool hands out ordinary Buffers; once results die it lends its blocks again',
    () => {
      const p = pipeReader();
      try {
        gc();
        const cap = (readPoolStats() as NonNullable<ReturnType<typeof readPoolStats>>).cap;
        const before = readPoolStats() as NonNullable<ReturnType<typeof readPoolStats>>;
        // Every result kept: more than the cap holds.
        const kept = Array.from({ length: cap / K64 + 64 }, (_, i) => p.read(i));
        const full = readPoolStats() as NonNullable<ReturnType<typeof readPoolStats>>;
        expect(full.mapped).toBeLessThanOrEqual(cap);
        expect(full.fallbacks - before.fallbacks).toBeGreaterThanOrEqual(64);
        kept.forEach((b, i) => {
          expect(b.length).toBe(K64);
          expect(b.every((x) => x === (i & 255))).toBe(true);
        });
        // Mutated, kept, and the pool churned: still each its own.
        for (const b of kept) b[0] = 7;
        const some = kept.filter((_, i) => i % 97 === 0);
        kept.length = 0;
        // The second collection finishes the first's sweeping, which frees the
        // dead results' memory (on V8's sweeper thread): every block is back.
        gc();
        gc();
        const fallbacks = (readPoolStats() as NonNullable<ReturnType<typeof readPoolStats>>).fallbacks;
        churn(p, 2);
        const after = readPoolStats() as NonNullable<ReturnType<typeof readPoolStats>>;
        expect(after.fallbacks).toBe(fallbacks); // blocks came back: no ordinary Buffers needed
        expect(after.mapped).toBeLessThanOrEqual(cap);
        some.forEach((b) => {
          expect(b[0]).toBe(7);
          expect(b.subarray(1).every((x) => x === b[1])).toBe(true);
        });
      } finally {
        p.close();
      }
    },
  );

  it.runIf(HAS_POOL)("a forked child reads from its copy of the pool; the parent's results stay intact in both", () => {
    const p = pipeReader();
    try {
      const mine = Array.from({ length: 20 }, (_, i) => p.read(60 + i));
      const [r, w] = os.pipe();
      const pid = os.fork(() => {
        os.close(r);
        churn(p, 2);
        const ok = mine.every((b, i) => b.every((x) => x === 60 + i));
        os.write(w, Buffer.from(ok ? 'ok' : 'changed'));
        return 0;
      });
      os.close(w);
      const said = os.read(r, 100).toString();
      os.close(r);
      expect(reap(pid)).toBe(0);
      expect(said).toBe('ok');
      churn(p, 1);
      mine.forEach((b, i) => {
        expect(b.every((x) => x === 60 + i)).toBe(true);
      });
    } finally {
      p.close();
    }
  });
});

describe('readall (FileIO.readall, BufferedReader.read(), communicate())', () => {
  const SIZES = [0, 1, 4095, 32768, 32769, 65535, 65536, 65537, 200_000, 5 * 2 ** 20 + 3];
  /** Deterministic bytes that differ at every offset mod 251 and between sizes. */
  const pattern = (n: number) => Buffer.from(Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) % 251));
  const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  it('communicate() and stdout.read() return exactly what the child wrote, at every size', () => {
    for (const n of SIZES) {
      const code = `import sys; n=${n}; sys.stdout.buffer.write(bytes((i * 7 + n) % 251 for i in range(n)))`;
      const p = new subprocess.Popen(['python3', '-c', code], { stdout: subprocess.PIPE });
      const [out] = p.communicate() as [Buffer, null];
      expect(out.length).toBe(n);
      expect(digest(out)).toBe(digest(pattern(n)));
      // A short result does not keep a 64 KiB block (CPython shrinks its bytes).
      if (n > 0 && n <= 32768) expect(out.buffer.byteLength).toBeLessThanOrEqual(32768);
    }
  });

  it('FileIO.readall and BufferedReader.read() of regular files, from the start and from an offset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipefork-readall-'));
    try {
      for (const n of SIZES) {
        const path = join(dir, `f${n}`);
        const data = pattern(n);
        writeFileSync(path, data);
        const raw = io.open(path, 'rb', 0) as io.FileIO;
        expect(digest(raw.readall() as Buffer)).toBe(digest(data));
        raw.seek(Math.floor(n / 3));
        expect(digest(raw.readall() as Buffer)).toBe(digest(data.subarray(Math.floor(n / 3))));
        raw.close();
        const f = io.open(path, 'rb');
        if (n > 10) f.read(10);
        expect(digest(f.read() as Buffer)).toBe(digest(data.subarray(n > 10 ? 10 : 0)));
        f.close();
      }
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('a non-blocking pipe: None with nothing to read, what is there without EOF', () => {
    const [r, w] = os.pipe();
    // Room for more than one 64 KiB block, so that readall grows past it
    // with no reader: the writes below must not block.
    if (!setPipeSize(w, 262144)) {
      // No F_SETPIPE_SZ here: nothing to test.
      os.close(r);
      os.close(w);
      return;
    }
    os.set_blocking(r, false);
    const f = io.open(r, 'rb', 0) as io.FileIO;
    try {
      expect(f.readall()).toBe(null);
      os.write(w, pattern(70000).subarray(0, 65536));
      os.write(w, Buffer.alloc(100, 1));
      const got = f.readall() as Buffer;
      expect(got.length).toBe(65536 + 100);
      expect(got.subarray(0, 65536).equals(pattern(70000).subarray(0, 65536))).toBe(true);
      os.close(w);
      expect((f.readall() as Buffer).length).toBe(0);
    } finally {
      f.close();
    }
  });

  it('readall results stay intact while the pool lends its blocks again', () => {
    const p = pipeReader();
    try {
      const results: Buffer[] = [];
      for (const n of [10, 40000, 65536, 300000]) {
        const child = new subprocess.Popen(['head', '-c', String(n), '/dev/zero'], { stdout: subprocess.PIPE });
        results.push((child.communicate() as [Buffer, null])[0]);
      }
      gc();
      if (HAS_POOL) churn(p, 2);
      expect(results.map((b) => [b.length, b.every((x) => x === 0)])).toEqual([
        [10, true],
        [40000, true],
        [65536, true],
        [300000, true],
      ]);
    } finally {
      p.close();
    }
  });
});

/** Reads through os.read, BufferedReader.read and communicate(); prints what it got and the pool's stats. */
const ORDINARY_PROGRAM = (pipefork: string) => `
  import { io, os, subprocess } from '${pipefork}';
  import { readPoolStats } from '${pipefork.replace(/index\.js$/, 'readpool.js')}';
  const [r, w] = os.pipe();
  const out = [];
  for (const n of [10, 5000, 65536]) { os.write(w, Buffer.alloc(n, n & 255)); out.push(os.read(r, n)); }
  os.write(w, Buffer.alloc(30000, 9));
  const f = io.open(r, 'rb');
  out.push(f.read(30000));
  f.close(); os.close(w);
  const p = new subprocess.Popen(['head', '-c', '300000', '/dev/zero'], { stdout: subprocess.PIPE });
  const [all] = p.communicate();
  let fork;
  try { os.fork(); fork = 'forked'; } catch (e) { fork = e.message.slice(0, 40); }
  console.log(JSON.stringify({ pool: readPoolStats() ?? null, lengths: out.map((b) => b.length),
    intact: out.every((b) => b.every((x) => x === (b.length & 255) || (b.length === 30000 && x === 9))),
    all: [all.length, all.every((x) => x === 0)], fork }));`;

const ORDINARY = { pool: null, lengths: [10, 5000, 65536, 30000], intact: true, all: [300000, true] };

describe('without the read pool: the ordinary path', () => {
  it('PIPEFORK_READ_POOL=0: no pool; os.read, BufferedReader.read and communicate() give the same results', () => {
    const r = runNode(ORDINARY_PROGRAM(PIPEFORK).replace('os.fork()', 'void 0'), {
      env: { PIPEFORK_READ_POOL: '0' },
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ ...ORDINARY, fork: 'forked' });
  });

  it('the per-ABI addon absent (a package without native/fork/prebuilds): the same results, os.fork() says why', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const pkg = mkdtempSync(join(tmpdir(), 'pipefork-noabi-'));
    try {
      cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
      cpSync(join(root, 'dist', 'lib'), join(pkg, 'dist', 'lib'), { recursive: true });
      mkdirSync(join(pkg, 'build', 'Release'), { recursive: true });
      cpSync(join(root, 'build', 'Release', 'pipefork.node'), join(pkg, 'build', 'Release', 'pipefork.node'));
      symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
      const r = runNode(ORDINARY_PROGRAM(`file://${join(pkg, 'dist', 'lib', 'index.js')}`));
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ ...ORDINARY, fork: "os.fork() needs pipefork's fork addon bu" });
    } finally {
      rmSync(pkg, { recursive: true });
    }
  });
});
