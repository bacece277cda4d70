// Property-based tests of the frame decoder (fast-check): random and mutated
// byte streams read by Connection.recv_bytes (with and without maxlength)
// and recv, until EOF. Every call gives a value or a clear Python error,
// never a crash, a hang or a V8 error; recv_bytes gives exactly what a model
// of CPython 3.11's Connection._recv_bytes gives, and the model is checked
// against CPython itself on a batch of the same streams. `npm test` runs a
// fixed seed and few runs; `npm run test:fuzz` many, with a new seed it
// prints (replay with FUZZ_SEED=<seed>).
import { constants as bufferConstants } from 'node:buffer';
import { totalmem } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { multiprocessing, os, pickle } from '../../lib/index.js';
import { announceSeed, SEED as FUZZ_SEED, LONG, runs, TIMEOUT } from '../helpers/fuzz.js';
import { pythonJson } from '../helpers/python.js';

const { Connection } = multiprocessing.connection;

// Its own fixed seed in `npm test` (20261207), the shared settings otherwise.
const SEED = process.env.FUZZ_SEED || LONG ? FUZZ_SEED : 20261207;
announceSeed('connection');
const params = (short: number, long: number) => ({ seed: SEED, numRuns: runs(short, long) });

/** A stream fits in a pipe's 64 KiB, so it is written whole before it is read. */
const MAX_STREAM = 60_000;

type Outcome = ['ok', string] | ['raise', string, string];

/**
 * CPython 3.11's recv_bytes over an in-memory stream whose writer has closed
 * (Connection._recv and _recv_bytes, read as code), one call. `stop` says
 * the connection is closed after it (bad message length on a read-only
 * connection) or the stream is at EOF.
 */
function model(s: { buf: Buffer; pos: number }, maxlength: number | null): { out: Outcome; stop: boolean } {
  const recv = (n: number | bigint): Buffer => {
    if (n <= 0) return Buffer.alloc(0);
    const avail = s.buf.length - s.pos;
    if (avail === 0) throw ['EOFError', ''];
    if (BigInt(avail) < BigInt(n)) {
      s.pos = s.buf.length;
      throw ['OSError', 'got end of file during message'];
    }
    const out = s.buf.subarray(s.pos, s.pos + Number(n));
    s.pos += Number(n);
    return out;
  };
  try {
    let size: number | bigint = recv(4).readInt32BE(0);
    if (size === -1) size = recv(8).readBigUInt64BE(0);
    if (maxlength !== null && size > maxlength) return { out: ['raise', 'OSError', 'bad message length'], stop: true };
    // os.read's own limits, before it allocates: a C ssize_t, then malloc's refusal of more than the
    // machine's memory (Linux's default overcommit), and (pipefork) what a Buffer can hold.
    if (size >= 2n ** 63n) throw ['OverflowError', 'Python int too large to convert to C ssize_t'];
    if (size > Math.min(bufferConstants.MAX_LENGTH, totalmem())) throw ['MemoryError', ''];
    return { out: ['ok', recv(size).toString('hex')], stop: false };
  } catch (e) {
    const [name, message] = e as [string, string];
    return { out: ['raise', name, message], stop: name === 'EOFError' };
  }
}

function modelAll(stream: Buffer, maxlength: number | null): Outcome[] {
  const s = { buf: stream, pos: 0 };
  const outs: Outcome[] = [];
  for (;;) {
    const { out, stop } = model(s, maxlength);
    outs.push(out);
    if (stop) return outs;
  }
}

/** Connection's answers for the same stream: calls until EOFError or until it closes itself. */
function ours(stream: Buffer, call: (c: InstanceType<typeof Connection>) => unknown, show = true): Outcome[] {
  const [r, w] = os.pipe();
  os.write(w, stream);
  os.close(w);
  const c = new Connection(r, { writable: false });
  const outs: Outcome[] = [];
  try {
    for (let i = 0; i <= stream.length + 1; i++) {
      try {
        const v = call(c);
        outs.push(['ok', show ? (v as Buffer).toString('hex') : '']);
      } catch (e) {
        const err = e as Error;
        outs.push(['raise', err.constructor.name, err.message]);
        if (err.constructor.name === 'EOFError' || c.closed) return outs;
      }
    }
    throw new Error('the decoder read more messages than the stream has bytes');
  } finally {
    c.close();
  }
}

/** A 4-byte header of n. */
function header(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
function bigHeader(n: bigint): Buffer {
  const b = Buffer.alloc(12);
  b.writeInt32BE(-1);
  b.writeBigUInt64BE(n, 4);
  return b;
}

/** Valid frames (both header forms, sizes up to 300), then mutated: bytes changed, cut short, garbage appended. */
const validish = fc
  .tuple(
    fc.array(
      fc
        .tuple(fc.uint8Array({ maxLength: 300 }), fc.boolean())
        .map(([p, long]) => Buffer.concat([long ? bigHeader(BigInt(p.length)) : header(p.length), p])),
      { maxLength: 20 },
    ),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    fc.option(fc.nat(), { nil: undefined }),
    fc.uint8Array({ maxLength: 16 }),
  )
  .map(([frames, edits, cut, tail]) => {
    const b = Buffer.concat([...frames, tail]);
    for (const [at, v] of edits) if (b.length > 0) b[at % b.length] = v;
    return cut === undefined || b.length === 0 ? b : b.subarray(0, cut % (b.length + 1));
  })
  .filter((b) => b.length <= MAX_STREAM);

/** Headers at the edges: the boundaries of both forms, negative sizes, sizes beyond the data. */
const edgy = fc
  .array(
    fc.oneof(
      fc.constantFrom(0, 1, -1, -2, 2 ** 31 - 1, -(2 ** 31), 0x7fffff00).map(header),
      fc
        .constantFrom(
          0n,
          1n,
          2n ** 31n,
          3n * 2n ** 30n,
          2n ** 32n + 1n,
          2n ** 53n,
          2n ** 63n - 1n,
          2n ** 63n,
          2n ** 64n - 1n,
        )
        .map(bigHeader),
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
    ),
    { maxLength: 8 },
  )
  .map((parts) => Buffer.concat(parts));

const anyStream = fc.oneof(
  validish,
  edgy,
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
);
const maxlength = fc.option(fc.oneof(fc.constantFrom(0, 1, 16, 300), fc.nat({ max: 100_000 })), { nil: null });

describe('Connection.recv_bytes() on random and damaged streams', () => {
  it(
    "gives what CPython's _recv_bytes gives, call by call, to EOF",
    () => {
      fc.assert(
        fc.property(anyStream, maxlength, (stream, max) => {
          const got = ours(stream, (c) => (max === null ? c.recv_bytes() : c.recv_bytes(max)));
          expect(got).toEqual(modelAll(stream, max));
        }),
        params(300, 30_000),
      );
    },
    TIMEOUT,
  );

  it('the model is CPython: the same answers from python3 for a batch of the streams', () => {
    // Declared sizes of 1 GiB and more are left out: there CPython's answer depends on how much
    // memory malloc gives it (it allocates the declared size before reading).
    const cases = fc.sample(fc.tuple(anyStream, maxlength), params(150, 2000)).filter(([stream, max]) => {
      const s = { buf: stream, pos: 0 };
      for (;;) {
        if (s.buf.length - s.pos < 4) return true;
        let size: number | bigint = s.buf.readInt32BE(s.pos);
        s.pos += 4;
        if (size === -1) {
          if (s.buf.length - s.pos < 8) return true;
          size = s.buf.readBigUInt64BE(s.pos);
          s.pos += 8;
        }
        if (max !== null && size > max) return true;
        if (size >= 2 ** 30 && size < 2n ** 63n) return false;
        if (size >= 2n ** 63n) continue;
        s.pos += Math.max(0, Number(size));
      }
    });
    const python = pythonJson<Outcome[][]>(`
import json, os, sys
from multiprocessing.connection import Connection
cases = json.loads(${JSON.stringify(JSON.stringify(cases.map(([s, m]) => [s.toString('hex'), m])))})
out = []
for hexdata, maxlength in cases:
    r, w = os.pipe()
    os.write(w, bytes.fromhex(hexdata))
    os.close(w)
    c = Connection(r, writable=False)
    outs = []
    while True:
        try:
            outs.append(['ok', c.recv_bytes(maxlength).hex()])
        except BaseException as e:
            outs.append(['raise', type(e).__name__, str(e)])
            if isinstance(e, EOFError) or c.closed:
                break
    c.close()
    out.append(outs)
print(json.dumps(out))
`);
    expect(cases.length).toBeGreaterThan(50);
    expect(cases.map(([s, m]) => modelAll(s, m))).toEqual(python);
  });
});

describe('Connection.recv() on random and damaged streams', () => {
  const KNOWN = new Set(['EOFError', 'OSError', 'OverflowError', 'MemoryError', 'UnpicklingError']);
  /** Frames holding pickles of random values, mutated; or random bytes as frames. */
  const pickleStream = fc
    .tuple(
      fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    )
    .map(([values, edits]) => {
      const frames = values.map((v) => {
        const p = pickle.dumps(v);
        return Buffer.concat([header(p.length), p]);
      });
      const b = Buffer.concat(frames);
      for (const [at, v] of edits) if (b.length > 0) b[at % b.length] = v;
      return b;
    })
    .filter((b) => b.length <= MAX_STREAM);

  it(
    'always a value or a clear Python error (never a crash, a hang or a V8 error)',
    () => {
      fc.assert(
        fc.property(fc.oneof(pickleStream, anyStream), (stream) => {
          for (const [kind, name, message] of ours(stream, (c) => c.recv(), false)) {
            if (kind === 'ok') continue;
            expect(KNOWN.has(name), `${name}: ${message}`).toBe(true);
          }
        }),
        params(300, 30_000),
      );
    },
    TIMEOUT,
  );
});
