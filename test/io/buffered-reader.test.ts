// BufferedReader over a pipe, each scenario next to CPython's result for the
// same pieces written by the same child.
import { describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { enc, piecesPipe, pythonPieces, reaped } from '../fixtures/io-util.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

type Reader = io.BufferedReader;

/** Runs fn on os.fdopen(read end, mode) fed with pieces; closes and reaps in any case. */
async function withPieces<T>(pieces: (string | Buffer)[], fn: (f: Reader) => T, mode = 'rb'): Promise<T> {
  const { fd, child } = piecesPipe(pieces);
  try {
    const f = os.fdopen(fd, mode as 'rb');
    try {
      return fn(f);
    } finally {
      f.close();
    }
  } finally {
    await reaped(child);
  }
}

describe('BufferedReader', () => {
  it('read(n) waits for bytes that arrive in several writes (test_io BufferedReaderTest.test_read)', async () => {
    const pieces = ['ab', 'cd', 'ef'];
    const ours = await withPieces(pieces, (f) => [f.read(4), f.read(4), f.read(4)]);
    const theirs = pythonPieces(
      pieces,
      'rb',
      '',
      'out.append(f.read(4)); out.append(f.read(4)); out.append(f.read(4))',
    );
    expect(enc(ours)).toEqual(theirs);
    expect(Buffer.concat(ours as Buffer[]).toString()).toBe('abcdef');
  });

  it('read() and read(-1) read to EOF', async () => {
    const pieces = ['x', 'yz', '\n', 'end'];
    expect(enc(await withPieces(pieces, (f) => [f.read(1), f.read()]))).toEqual(
      pythonPieces(pieces, 'rb', '', 'out.append(f.read(1)); out.append(f.read())'),
    );
    expect(enc(await withPieces(pieces, (f) => [f.read(-1), f.read(-1), f.read(5)]))).toEqual(
      pythonPieces(pieces, 'rb', '', 'out.append(f.read(-1)); out.append(f.read(-1)); out.append(f.read(5))'),
    );
  });

  it('read1 returns what one read(2) gives; peek does not consume', async () => {
    const pieces = ['hello', 'world!'];
    const body =
      'out.append(f.peek()); out.append(f.read1(3)); out.append(f.read1()); out.append(f.read1(100)); out.append(f.read1(100)); out.append(f.peek())';
    const ours = await withPieces(pieces, (f) => [
      f.peek(),
      f.read1(3),
      f.read1(),
      f.read1(100),
      f.read1(100),
      f.peek(),
    ]);
    expect(enc(ours)).toEqual(pythonPieces(pieces, 'rb', '', body));
  });

  it('readinto fills the buffer across writes; readinto1 stops after one read(2)', async () => {
    const pieces = ['abc', 'defg', 'hij'];
    const ours = await withPieces(pieces, (f) => {
      const a = Buffer.alloc(5);
      const b = new Uint8Array(5);
      const n1 = f.readinto(a);
      const n2 = f.readinto1(b);
      const c = Buffer.alloc(10);
      const n3 = f.readinto(c);
      return [n1, a, n2, Buffer.from(b), n3, c.subarray(0, n3 ?? 0)];
    });
    const body = `a = bytearray(5); b = bytearray(5)
n1 = f.readinto(a); n2 = f.readinto1(b)
c = bytearray(10); n3 = f.readinto(c)
out.extend([n1, a, n2, b, n3, c[:n3]])`;
    expect(enc(ours)).toEqual(pythonPieces(pieces, 'rb', '', body));
  });

  it('readline(limit), readlines(hint) and iteration split lines as CPython', async () => {
    const pieces = ['one\ntw', 'o\nthree\n', 'four', '\nfive'];
    const ours = await withPieces(pieces, (f) => [f.readline(2), f.readline(), f.readline(0), f.readlines(1), [...f]]);
    const body = 'out.extend([f.readline(2), f.readline(), f.readline(0), f.readlines(1), list(f)])';
    expect(enc(ours)).toEqual(pythonPieces(pieces, 'rb', '', body));
    const all = await withPieces(pieces, (f) => f.readlines());
    expect(enc(all)).toEqual((pythonPieces(pieces, 'rb', '', 'out.append(f.readlines())') as unknown[])[0]);
  });

  it('a read larger than the buffer goes straight into the result', async () => {
    const big = Buffer.alloc(10000, 0x61);
    big[9999] = 0x62;
    const ours = await withPieces([big.subarray(0, 3000), big.subarray(3000)], (f) => [f.read(9000), f.read(5000)]);
    expect((ours[0] as Buffer).equals(big.subarray(0, 9000))).toBe(true);
    expect((ours[1] as Buffer).equals(big.subarray(9000))).toBe(true);
  });

  it('bytes handed out stay intact while the reader goes on', async () => {
    const pieces = Array.from({ length: 50 }, (_, i) => `${String(i).padStart(3, '0')}:${'x'.repeat(i * 37)}\n`);
    const lines = await withPieces(pieces, (f) => {
      const got: Buffer[] = [];
      for (;;) {
        const h = f.read(4) as Buffer;
        if (h.length === 0) break;
        got.push(h, f.readline());
      }
      return got.map(String);
    });
    expect(lines.join('')).toBe(pieces.join(''));
  });

  it('uses a buffer of st_blksize (4096 for a pipe), io.DEFAULT_BUFFER_SIZE otherwise', () => {
    const [r, w] = os.pipe();
    const f = os.fdopen(r, 'rb');
    const g = os.fdopen(w, 'wb', 100);
    try {
      expect(f.buffer_size).toBe(4096);
      expect(g.buffer_size).toBe(100);
      expect(io.DEFAULT_BUFFER_SIZE).toBe(8192);
      expect(os.fstat(r).st_blksize).toBe(4096);
    } finally {
      f.close();
      g.close();
    }
  });

  it('on a non-blocking fd with no data, read() returns null as CPython returns None', () => {
    const [r, w] = os.pipe();
    os.set_blocking(r, false);
    const f = os.fdopen(r, 'rb');
    try {
      const ours = [f.read(4), f.read(), f.read1(4), f.peek(), f.readinto(Buffer.alloc(3))];
      os.write(w, Buffer.from('ab'));
      ours.push(f.read(4));
      const theirs = pythonJson(`
import os, json
r, w = os.pipe(); os.set_blocking(r, False)
f = os.fdopen(r, 'rb')
out = [f.read(4), f.read(), f.read1(4), f.peek(), f.readinto(bytearray(3))]
os.write(w, b'ab'); out.append(f.read(4))
print(json.dumps([list(x) if isinstance(x, bytes) else x for x in out]))`);
      expect(ours.map((x) => (x instanceof Uint8Array ? [...x] : x))).toEqual(theirs);
    } finally {
      f.close();
      os.close(w);
    }
  });

  it('bad arguments raise what CPython raises', () => {
    const [r, w] = os.pipe();
    const f = os.fdopen(r, 'rb');
    try {
      const ours = [
        outcome(() => f.read(-5)),
        outcome(() => f.read(1.5)),
        outcome(() => f.read(Number.NaN)),
        outcome(() => f.read('x' as unknown as number)),
        outcome(() => f.readinto('abc' as unknown as Buffer)),
        outcome(() => f.write(Buffer.from('x'))),
        outcome(() => f.read1(null as unknown as number)),
        outcome(() => f.read1(1.5)),
        outcome(() => f.peek(null as unknown as number)),
        outcome(() => f.peek(1.5)),
      ];
      const theirs = pythonJson(`${PY_OUTCOME}
r, w = os.pipe()
f = os.fdopen(r, 'rb')
print(json.dumps([outcome(lambda: f.read(-5)), outcome(lambda: f.read(1.5)), outcome(lambda: f.read(float('nan'))),
  outcome(lambda: f.read('x')), outcome(lambda: f.readinto('abc')), outcome(lambda: f.write(b'x')),
  outcome(lambda: f.read1(None)), outcome(lambda: f.read1(1.5)), outcome(lambda: f.peek(None)), outcome(lambda: f.peek(1.5))]))`);
      expect(ours).toEqual(theirs);
    } finally {
      f.close();
      os.close(w);
    }
  });
});
