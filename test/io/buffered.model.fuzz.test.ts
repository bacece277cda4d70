// The buffered classes against a model, property-based (fast-check):
// random interleavings of read, read1, peek, readline, readinto, write,
// flush, seek and tell on raw streams of a program's own that read and
// write in random short pieces, compared at every step with a plain file
// model; then raw streams that lie about their counts (more than they
// wrote, less, out of range, not an int, None): what the buffered object
// hands out is always a prefix of what the raw stream gave (its claimed
// but unwritten bytes are zeros, never an earlier read), and every lie it
// cannot take is CPython's OSError.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockingIOError, io, OSError } from '../../lib/index.js';
import { announceSeed, params, runs, TIMEOUT } from '../helpers/fuzz.js';

announceSeed('buffered model');

/** An in-memory file of a program's own: reads and writes at most the next cap of its turn. */
class MemRaw extends io.RawIOBase {
  data: number[];
  pos = 0;
  private rturn = 0;
  private wturn = 0;
  constructor(
    initial: number[],
    private readonly readCaps: number[],
    private readonly writeCaps: number[],
  ) {
    super();
    this.data = [...initial];
  }
  override readable(): boolean {
    return true;
  }
  override writable(): boolean {
    return true;
  }
  override seekable(): boolean {
    return true;
  }
  override readinto(b: Uint8Array): number {
    const cap = this.readCaps[this.rturn++ % this.readCaps.length] as number;
    const n = Math.max(0, Math.min(b.length, cap, this.data.length - this.pos));
    for (let i = 0; i < n; i++) b[i] = this.data[this.pos + i] as number;
    this.pos += n;
    return n;
  }
  override write(b: Uint8Array): number {
    const cap = this.writeCaps[this.wturn++ % this.writeCaps.length] as number;
    const n = Math.min(b.length, cap);
    if (n === 0) return 0;
    while (this.data.length < this.pos) this.data.push(0);
    for (let i = 0; i < n; i++) this.data[this.pos + i] = b[i] as number;
    this.pos += n;
    return n;
  }
  override seek(off: number, whence = 0): number {
    const p = whence === 0 ? off : whence === 1 ? this.pos + off : this.data.length + off;
    if (p < 0) throw new OSError(22, 'Invalid argument');
    this.pos = p;
    return p;
  }
  override tell(): number {
    return this.pos;
  }
}

/** What a file holds and where its position is: what the buffered object must look like from outside. */
class FileModel {
  pos = 0;
  constructor(public data: number[]) {}
  private end(n: number): number {
    return n < 0 ? Math.max(this.pos, this.data.length) : Math.max(this.pos, Math.min(this.data.length, this.pos + n));
  }
  rest(): number[] {
    return this.data.slice(this.pos);
  }
  read(n: number): number[] {
    const out = this.data.slice(this.pos, this.end(n));
    this.pos += out.length;
    return out;
  }
  readline(limit: number): number[] {
    const nl = this.data.indexOf(10, this.pos);
    let end = nl < 0 ? this.data.length : nl + 1;
    if (limit >= 0) end = Math.min(end, this.pos + limit);
    return this.read(Math.max(0, end - this.pos));
  }
  write(b: number[]): void {
    if (b.length === 0) return;
    while (this.data.length < this.pos) this.data.push(0);
    for (let i = 0; i < b.length; i++) this.data[this.pos + i] = b[i] as number;
    this.pos += b.length;
  }
  /** The new position, or null where the raw stream refuses it (before the start). */
  seek(off: number, whence: number): number | null {
    const p = whence === 0 ? off : whence === 1 ? this.pos + off : this.data.length + off;
    if (p < 0) return null;
    this.pos = p;
    return p;
  }
}

type Op =
  | { op: 'read' | 'read1' | 'peek' | 'readline' | 'readinto'; n: number }
  | { op: 'write'; data: number[] }
  | { op: 'flush' | 'tell' }
  | { op: 'seek'; off: number; whence: number };

const bytes = fc.array(fc.oneof(fc.integer({ min: 1, max: 255 }), fc.constant(10)), { maxLength: 40 });
const size = fc.integer({ min: -1, max: 30 });
const readOps: fc.Arbitrary<Op>[] = [
  fc.record({ op: fc.constantFrom('read', 'read1', 'peek', 'readline', 'readinto' as const), n: size }),
];
const writeOps: fc.Arbitrary<Op>[] = [
  fc.record({ op: fc.constant('write' as const), data: bytes }),
  fc.record({ op: fc.constantFrom('flush', 'tell' as const) }),
  fc.record({
    op: fc.constant('seek' as const),
    off: fc.integer({ min: -4, max: 50 }),
    whence: fc.constantFrom(0, 1, 2),
  }),
];
const caps = fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 });

type Buffered = io.BufferedReader | io.BufferedWriter | io.BufferedRandom;

/** One op on the buffered object and on the model; the two must agree. */
function step(f: Buffered, m: FileModel, o: Op): void {
  const g = f as io.BufferedRandom;
  const rest = m.rest();
  switch (o.op) {
    case 'read':
      expect([...(g.read(o.n) ?? [])]).toEqual(m.read(o.n));
      return;
    case 'readinto': {
      const b = Buffer.alloc(Math.max(0, o.n));
      const k = g.readinto(b);
      expect([...b.subarray(0, k ?? 0)]).toEqual(m.read(Math.max(0, o.n)));
      return;
    }
    case 'readline':
      expect([...g.readline(o.n)]).toEqual(m.readline(o.n));
      return;
    case 'read1':
    case 'peek': {
      const got = [...(o.op === 'read1' ? g.read1(o.n) : g.peek(o.n))];
      // A prefix of what is left; something unless at EOF (or read1(0)).
      expect(got).toEqual(rest.slice(0, got.length));
      if (rest.length > 0 && !(o.op === 'read1' && o.n === 0)) expect(got.length).toBeGreaterThan(0);
      if (o.op === 'read1') {
        if (o.n >= 0) expect(got.length).toBeLessThanOrEqual(o.n);
        m.read(got.length);
      }
      return;
    }
    case 'write':
      expect(g.write(Buffer.from(o.data))).toBe(o.data.length);
      m.write(o.data);
      return;
    case 'flush':
      g.flush();
      return;
    case 'tell':
      expect(g.tell()).toBe(m.pos);
      return;
    case 'seek': {
      const want = m.seek(o.off, o.whence);
      if (want === null) expect(() => g.seek(o.off, o.whence)).toThrow(OSError);
      else expect(g.seek(o.off, o.whence)).toBe(want);
      return;
    }
  }
}

describe('the buffered classes against a file model (property-based)', () => {
  it(
    'BufferedRandom: any mix of reads, writes, seeks and flushes on a raw stream of short reads and writes',
    () => {
      fc.assert(
        fc.property(
          bytes,
          caps,
          caps,
          fc.integer({ min: 1, max: 16 }),
          fc.array(fc.oneof(...readOps, ...writeOps), { maxLength: 25 }),
          (initial, rcaps, wcaps, bufferSize, ops) => {
            const raw = new MemRaw(initial, rcaps, wcaps);
            const f = new io.BufferedRandom(raw, bufferSize);
            const m = new FileModel([...initial]);
            for (const o of ops) step(f, m, o);
            f.close();
            // Everything written reached the raw stream, in its place.
            expect(raw.data).toEqual(m.data);
          },
        ),
        params(runs(500, 50_000)),
      );
    },
    TIMEOUT,
  );

  it(
    'BufferedRandom on a real file (FileIO, the syscall paths): the same mixes, the same model',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'pipefork-buffered-'));
      try {
        let k = 0;
        fc.assert(
          fc.property(
            bytes,
            fc.integer({ min: 1, max: 16 }),
            fc.array(fc.oneof(...readOps, ...writeOps), { maxLength: 25 }),
            (initial, bufferSize, ops) => {
              const path = join(dir, `f${k++}`);
              writeFileSync(path, Buffer.from(initial));
              const f = io.open(path, 'r+b', { buffering: bufferSize }) as io.BufferedRandom;
              try {
                const m = new FileModel([...initial]);
                for (const o of ops) step(f, m, o);
                f.close();
                expect([...readFileSync(path)]).toEqual(m.data);
              } finally {
                f.close();
                rmSync(path);
              }
            },
          ),
          params(runs(300, 20_000)),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );

  it(
    'BufferedReader: read, read1, peek, readline and readinto on a stream that gives short reads',
    () => {
      fc.assert(
        fc.property(
          bytes,
          caps,
          fc.integer({ min: 1, max: 16 }),
          fc.array(fc.oneof(...readOps), { maxLength: 25 }),
          (data, rcaps, bufferSize, ops) => {
            const f = new io.BufferedReader(new MemRaw(data, rcaps, [1]), bufferSize);
            const m = new FileModel([...data]);
            for (const o of ops) step(f, m, o);
            expect([...(f.read() ?? [])]).toEqual(m.read(-1));
          },
        ),
        params(runs(500, 50_000)),
      );
    },
    TIMEOUT,
  );

  it(
    'BufferedWriter: writes, seeks and flushes on a raw stream that takes a few bytes at a time',
    () => {
      fc.assert(
        fc.property(
          bytes,
          caps,
          fc.integer({ min: 1, max: 16 }),
          fc.array(fc.oneof(...writeOps), { maxLength: 25 }),
          (initial, wcaps, bufferSize, ops) => {
            const raw = new MemRaw(initial, [1], wcaps);
            const f = new io.BufferedWriter(raw, bufferSize);
            const m = new FileModel([...initial]);
            for (const o of ops) step(f, m, o);
            f.close();
            expect(raw.data).toEqual(m.data);
          },
        ),
        params(runs(500, 50_000)),
      );
    },
    TIMEOUT,
  );
});

// ---- raw streams that lie ------------------------------------------------------------

/** What a lying raw stream does on one call: writes `wrote` bytes at most, returns `says`. */
type Lie =
  | { kind: 'count'; wrote: number; says: number } // says may be past the buffer or negative
  | { kind: 'none' } // None: would block
  | { kind: 'odd'; value: unknown }; // not an int

const lieArb: fc.Arbitrary<Lie> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('count' as const),
      wrote: fc.nat(12),
      says: fc.integer({ min: -2, max: 14 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('none' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('odd' as const),
      value: fc.constantFrom(1.5, '3', Number.NaN, 2n ** 70n, 1e9, true),
    }),
  },
);

/**
 * A raw reader that lies about its counts; `delivered` is what its answers
 * add up to: the bytes it wrote, zeros for bytes it claimed but never wrote
 * (the buffered layer zeroes the region it asks to be filled).
 */
class LyingReader extends io.RawIOBase {
  delivered: number[] = [];
  private at = 0;
  private turn = 0;
  constructor(
    private readonly data: number[],
    private readonly lies: Lie[],
  ) {
    super();
  }
  override readable(): boolean {
    return true;
  }
  override readinto(b: Uint8Array): number | null {
    // Lies forever would be a stream without end (read() would never return, in CPython too): EOF after 200.
    if (this.turn >= 200) return 0;
    const lie = this.lies[this.turn++ % this.lies.length] as Lie;
    if (lie.kind === 'none') return null;
    if (lie.kind === 'odd') return lie.value as number; // not one, whatever the type says
    const w = Math.min(lie.wrote, b.length, this.data.length - this.at);
    for (let i = 0; i < w; i++) b[i] = this.data[this.at + i] as number;
    this.at += w;
    if (lie.says >= 0 && lie.says <= b.length) {
      for (let i = 0; i < lie.says; i++) this.delivered.push(i < w ? (b[i] as number) : 0);
    }
    return lie.says;
  }
}

/** A raw writer that lies about how much it took; `taken` is what it kept, in order. */
class LyingWriter extends io.RawIOBase {
  taken: number[] = [];
  private turn = 0;
  constructor(private readonly lies: Lie[]) {
    super();
  }
  override writable(): boolean {
    return true;
  }
  override write(b: Uint8Array): number | null {
    // A raw stream that takes nothing forever makes flush() loop forever (in CPython too): honest after 200.
    if (this.turn >= 200) {
      this.taken.push(...b);
      return b.length;
    }
    const lie = this.lies[this.turn++ % this.lies.length] as Lie;
    if (lie.kind === 'none') return null;
    if (lie.kind === 'odd') return lie.value as number; // not one, whatever the type says
    if (lie.says >= 0 && lie.says <= b.length) this.taken.push(...b.subarray(0, lie.says));
    return lie.says;
  }
}

function isSubsequence(a: number[], b: number[]): boolean {
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j] !== x) j++;
    if (j++ >= b.length) return false;
  }
  return true;
}

/** The errors a lie may raise: CPython's, in its words. */
function expectLieError(e: unknown, method: 'readinto' | 'write'): void {
  if (e instanceof BlockingIOError) return;
  // read(-1) goes through the raw stream's own readall() and RawIOBase.read(), with their checks.
  if (method === 'readinto' && !(e instanceof OSError)) {
    expect(`${(e as Error).constructor.name}: ${(e as Error).message}`).toMatch(
      /^(ValueError: readinto returned -?\d+ outside buffer size \d+|ValueError: cannot fit 'int' into an index-sized integer|TypeError: '(float|str|bool)' object cannot be interpreted as an integer)$/,
    );
    return;
  }
  expect(e).toBeInstanceOf(OSError);
  expect((e as Error).message).toMatch(
    new RegExp(
      `^raw ${method}\\(\\) (returned invalid length -?\\d+ \\(should have been between 0 and \\d+\\)|failed)$`,
    ),
  );
}

describe('buffered classes on raw streams that lie (property-based)', () => {
  it(
    'BufferedReader hands out a prefix of what the raw stream gave, never bytes it did not write (zeros there)',
    () => {
      fc.assert(
        fc.property(
          bytes,
          fc.array(lieArb, { minLength: 1, maxLength: 6 }),
          fc.integer({ min: 1, max: 16 }),
          fc.array(readOps[0] as fc.Arbitrary<Op>, { maxLength: 15 }),
          (data, lies, bufferSize, ops) => {
            const raw = new LyingReader(data, lies);
            const f = new io.BufferedReader(raw, bufferSize);
            const out: number[] = [];
            // A call that raises loses what it had taken (in CPython too): from then on what is
            // handed out is only in the raw stream's order, not a prefix of it.
            let failed = false;
            for (const o of ops) {
              const n = (o as { n: number }).n;
              try {
                if (o.op === 'read') out.push(...(f.read(n) ?? []));
                else if (o.op === 'read1') out.push(...f.read1(n));
                else if (o.op === 'readline') out.push(...f.readline(n));
                else if (o.op === 'peek') {
                  const p = [...f.peek(n)];
                  if (!failed) expect([...out, ...p]).toEqual(raw.delivered.slice(0, out.length + p.length));
                } else {
                  const b = Buffer.alloc(Math.max(0, n));
                  out.push(...b.subarray(0, f.readinto(b) ?? 0));
                }
              } catch (e) {
                expectLieError(e, 'readinto');
                failed = true;
              }
              if (failed) expect(isSubsequence(out, raw.delivered)).toBe(true);
              else expect(out).toEqual(raw.delivered.slice(0, out.length));
            }
          },
        ),
        params(runs(500, 50_000)),
      );
    },
    TIMEOUT,
  );

  it(
    'BufferedWriter: what reaches the raw stream is what was written, in order; a lie it cannot take is OSError',
    () => {
      fc.assert(
        fc.property(
          fc.array(lieArb, { minLength: 1, maxLength: 6 }),
          fc.integer({ min: 1, max: 16 }),
          fc.array(
            fc.oneof(
              bytes.map((d) => ({ op: 'write' as const, data: d })),
              fc.constant({ op: 'flush' as const }),
            ),
            {
              maxLength: 15,
            },
          ),
          (lies, bufferSize, ops) => {
            const raw = new LyingWriter(lies);
            const f = new io.BufferedWriter(raw, bufferSize);
            const written: number[] = [];
            for (const o of ops) {
              try {
                if (o.op === 'write') {
                  const k = f.write(Buffer.from(o.data));
                  written.push(...o.data.slice(0, k));
                } else f.flush();
              } catch (e) {
                expectLieError(e, 'write');
                // A BlockingIOError says how much of this write was taken.
                if (e instanceof BlockingIOError && o.op === 'write') {
                  written.push(...o.data.slice(0, e.characters_written ?? 0));
                }
                // After an OSError, what was buffered is not known to be kept or dropped: stop here.
                if (!(e instanceof BlockingIOError)) return;
              }
              expect(raw.taken).toEqual(written.slice(0, raw.taken.length));
            }
          },
        ),
        params(runs(500, 50_000)),
      );
    },
    TIMEOUT,
  );
});
