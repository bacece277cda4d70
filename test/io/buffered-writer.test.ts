// BufferedWriter: what the reader sees, and when — next to CPython.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BlockingIOError, io, os } from '../../lib/index.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

const here = dirname(fileURLToPath(import.meta.url));

/** What a non-blocking reader finds in the pipe right now ('' if nothing). */
function drain(r: number): string {
  let s = '';
  for (;;) {
    try {
      const b = os.read(r, 1 << 20);
      if (b.length === 0) return s;
      s += b.toString('latin1');
    } catch (e) {
      if (e instanceof BlockingIOError) return s;
      throw e;
    }
  }
}

const PY_DRAIN = `
import os, json
def drain(r):
    s = b''
    while True:
        try:
            b = os.read(r, 1 << 20)
        except BlockingIOError:
            return s.decode('latin1')
        if not b:
            return s.decode('latin1')
        s += b
`;

describe('BufferedWriter', () => {
  it('keeps bytes from the reader until flush, overflow or close (test_io BufferedWriterTest.test_write_overflow)', () => {
    const [r, w] = os.pipe();
    os.set_blocking(r, false);
    const f = os.fdopen(w, 'wb', 8);
    const seen: unknown[] = [];
    try {
      seen.push(f.write(Buffer.from('abc')), drain(r));
      seen.push(f.write(Buffer.from('defgh')), drain(r));
      seen.push(f.write(Buffer.from('ij')), drain(r));
      seen.push(f.write(Buffer.from('0123456789abcdefghij')), drain(r));
      seen.push(f.write(Buffer.from('xyz')), drain(r));
      f.flush();
      seen.push(drain(r));
      seen.push(f.write(Buffer.from('tail')), drain(r));
    } finally {
      f.close();
    }
    seen.push(drain(r));
    os.close(r);
    const theirs = pythonJson(`${PY_DRAIN}
r, w = os.pipe(); os.set_blocking(r, False)
f = os.fdopen(w, 'wb', 8)
seen = []
seen += [f.write(b'abc'), drain(r)]
seen += [f.write(b'defgh'), drain(r)]
seen += [f.write(b'ij'), drain(r)]
seen += [f.write(b'0123456789abcdefghij'), drain(r)]
seen += [f.write(b'xyz'), drain(r)]
f.flush(); seen.append(drain(r))
seen += [f.write(b'tail'), drain(r)]
f.close(); seen.append(drain(r))
print(json.dumps(seen))`);
    expect(seen).toEqual(theirs);
  });

  it('a write larger than the buffer goes straight through', () => {
    const [r, w] = os.pipe();
    os.set_blocking(r, false);
    const f = os.fdopen(w, 'wb');
    try {
      expect(f.buffer_size).toBe(4096);
      f.write(Buffer.from('head'));
      expect(drain(r)).toBe('');
      expect(f.write(Buffer.alloc(5000, 0x78))).toBe(5000);
      expect(drain(r)).toBe(`head${'x'.repeat(5000)}`);
    } finally {
      f.close();
      os.close(r);
    }
  });

  it('on a full non-blocking pipe raises BlockingIOError with characters_written (attribute and args) as CPython', () => {
    const [r, w] = os.pipe();
    os.set_blocking(w, false);
    const f = os.fdopen(w, 'wb');
    const ours: unknown[] = [];
    try {
      for (const size of [100000, 10, 5000]) {
        try {
          ours.push(['ok', f.write(Buffer.alloc(size, 0x79))]);
        } catch (e) {
          const err = e as BlockingIOError;
          ours.push(['raise', err.name, err.message, err.errno, err.characters_written, err.args]);
        }
      }
      try {
        f.flush();
        ours.push(['ok']);
      } catch (e) {
        const err = e as BlockingIOError;
        ours.push(['raise', err.name, err.message, err.errno, err.characters_written, err.args]);
      }
      os.set_blocking(r, false);
      ours.push(drain(r).length);
    } finally {
      f.close();
      ours.push(drain(r).length);
      os.close(r);
    }
    const theirs = pythonJson(`${PY_DRAIN}
r, w = os.pipe(); os.set_blocking(w, False)
f = os.fdopen(w, 'wb')
out = []
for size in [100000, 10, 5000]:
    try:
        out.append(['ok', f.write(b'y' * size)])
    except BlockingIOError as e:
        out.append(['raise', type(e).__name__, str(e), e.errno, e.characters_written, list(e.args)])
try:
    f.flush(); out.append(['ok'])
except BlockingIOError as e:
    out.append(['raise', type(e).__name__, str(e), e.errno, e.characters_written, list(e.args)])
os.set_blocking(r, False)
out.append(len(drain(r)))
f.close()
out.append(len(drain(r)))
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
  });

  it('flushes open writers at normal exit, as CPython does', () => {
    const script = join(here, '..', 'fixtures', 'io-exit-flush.mjs');
    for (const [mode, py] of [
      ['binary', "import os\nf = os.fdopen(1, 'wb')\nf.write(b'binary kept in the buffer')"],
      ['text', "import os\nt = os.fdopen(1, 'w')\nt.write('text kept in the buffer\\n')\nt.write('and more')"],
      ['exit', "import os, sys\nf = os.fdopen(1, 'wb')\nf.write(b'before process.exit')\nsys.exit(3)"],
    ] as const) {
      const ours = spawnSync(process.execPath, [script, mode], { encoding: 'utf8', timeout: 10_000 });
      const theirs = spawnSync('python3', ['-c', py], { encoding: 'utf8', timeout: 10_000 });
      expect([ours.stdout, ours.status]).toEqual([theirs.stdout, theirs.status]);
    }
  });

  it('write takes any bytes-like object and refuses str; closefd=False leaves the fd open', () => {
    const [r, w] = os.pipe();
    const f = os.fdopen(w, 'wb', -1, null, null, null, false);
    try {
      const ours = [
        outcome(() => f.write(new Uint16Array([0x6261]))),
        outcome(() => f.write(new ArrayBuffer(2))),
        outcome(() => f.write('x' as never)),
        outcome(() => f.write(null as never)),
        outcome(() => f.write(5 as never)),
      ];
      const theirs = pythonJson(`${PY_OUTCOME}
import array
r, w = os.pipe(); f = os.fdopen(w, 'wb')
print(json.dumps([outcome(lambda: f.write(array.array('H', [0x6261]))), outcome(lambda: f.write(bytearray(2))),
  outcome(lambda: f.write('x')), outcome(lambda: f.write(None)), outcome(lambda: f.write(5))]))`);
      expect(ours).toEqual(theirs);
      f.close();
      f.close();
      expect(f.closed).toBe(true);
      expect(os.write(w, Buffer.from('still open'))).toBe(10);
      expect(os.read(r, 100).toString()).toBe('ab\0\0still open');
    } finally {
      os.close(r);
      os.close(w);
    }
  });
});

describe('which buffered classes have peek', () => {
  it('BufferedWriter has none (CPython: no attribute); the readers and BufferedRandom do', () => {
    const theirs = pythonJson<boolean[]>(`
import io, json
print(json.dumps([hasattr(c, 'peek') for c in (io.BufferedReader, io.BufferedWriter, io.BufferedRandom, io.BufferedRWPair)]))`);
    const ours = [io.BufferedReader, io.BufferedWriter, io.BufferedRandom, io.BufferedRWPair].map(
      (c) => typeof (c.prototype as { peek?: unknown }).peek === 'function',
    );
    expect(ours).toEqual(theirs);
  });
});
