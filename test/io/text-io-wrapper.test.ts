// TextIOWrapper: decoding across writes, universal newlines, characters
// counted as Python counts them, encodings and error handlers — against CPython.
import { describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { enc, piecesPipe, pythonPieces, reaped } from '../fixtures/io-util.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

type Text = io.TextIOWrapper;

async function withText<T>(pieces: (string | Buffer)[], kw: Record<string, unknown>, fn: (f: Text) => T): Promise<T> {
  const { fd, child } = piecesPipe(pieces);
  try {
    const f = os.fdopen(fd, 'r', kw as Omit<io.OpenOptions, 'mode'>) as Text;
    try {
      return fn(f);
    } finally {
      f.close();
    }
  } finally {
    await reaped(child);
  }
}

const pyKw = (kw: Record<string, unknown>) =>
  Object.entries(kw)
    .map(([k, v]) => `${k}=${v === null ? 'None' : JSON.stringify(v)}`)
    .join(', ');

describe('TextIOWrapper', () => {
  it('decodes UTF-8 by default, with characters split across writes (test_io TextIOWrapperTest.test_issue1395)', async () => {
    const pieces = [
      Buffer.from('h\xc3', 'latin1'),
      Buffer.from('\xa9llo \xf0\x9f', 'latin1'),
      Buffer.from('\x98\x80!\nok', 'latin1'),
    ];
    const ours = await withText(pieces, {}, (f) => [
      f.encoding,
      f.errors,
      f.read(2),
      f.read(5),
      f.readline(),
      f.read(),
    ]);
    const theirs = pythonPieces(
      pieces,
      'r',
      '',
      'out += [f.encoding, f.errors, f.read(2), f.read(5), f.readline(), f.read()]',
    );
    expect(ours).toEqual(theirs);
    expect(ours[3]).toBe('llo 😀');
  });

  it('read(n) counts code points, not UTF-16 units', async () => {
    const pieces = ['a😀b', '😀😀c', 'd'];
    const ours = await withText(pieces, {}, (f) => [f.read(2), f.read(1), f.read(3), f.read(10)]);
    expect(ours).toEqual(pythonPieces(pieces, 'r', '', 'out += [f.read(2), f.read(1), f.read(3), f.read(10)]'));
  });

  for (const newline of [null, '', '\n', '\r', '\r\n']) {
    it(`newline=${JSON.stringify(newline)}: lines and newlines as CPython, '\\r' at one write's end and '\\n' at the next's start`, async () => {
      const pieces = ['a\r', '\nb\r', 'c\n', 'd\r\n', 'e\r', '\r\n', 'f'];
      const ours = await withText(pieces, { newline }, (f) => [f.readline(), f.readlines(), f.newlines]);
      const theirs = pythonPieces(pieces, 'r', pyKw({ newline }), 'out += [f.readline(), f.readlines(), f.newlines]');
      expect(enc(ours)).toEqual(theirs);
      const whole = await withText(pieces, { newline }, (f) => [f.read(3), f.read()]);
      expect(whole).toEqual(pythonPieces(pieces, 'r', pyKw({ newline }), 'out += [f.read(3), f.read()]'));
    });
  }

  it('readline(size) stops at size characters; iteration yields lines', async () => {
    const pieces = ['αβγδ\nxyz', 'w\n\nlast'];
    const ours = await withText(pieces, {}, (f) => [f.readline(2), f.readline(10), f.readline(0), [...f]]);
    expect(ours).toEqual(
      pythonPieces(pieces, 'r', '', 'out += [f.readline(2), f.readline(10), f.readline(0), list(f)]'),
    );
  });

  for (const [encoding, errors, bytes] of [
    ['utf-8', 'strict', 'ab\xffcd\n'],
    ['utf-8', 'replace', 'ab\xff\xe2\x82cd\xf0\x9f\x98\n'],
    ['utf-8', 'ignore', 'ab\xff\xe2\x82cd\n'],
    ['utf-8', 'strict', 'ok\xe2\x82'],
    ['ascii', 'strict', 'ab\x80'],
    ['ascii', 'replace', 'ab\x80c'],
    ['latin-1', 'strict', 'caf\xe9\n'],
    ['iso-8859-1', 'strict', '\xff\xfe'],
    ['utf-16', 'strict', '\xff\xfeh\x00i\x00'],
    ['utf-16', 'strict', '\xfe\xff\x00h\x00i'],
    ['utf-16-le', 'strict', 'h\x00i\x00'],
    ['utf8', 'bogus-handler', 'ab'],
    ['no-such-codec', 'strict', 'ab'],
  ] as const) {
    it(`decodes ${encoding} with errors=${errors} as CPython`, () => {
      const [r, w] = os.pipe();
      os.write(w, Buffer.from(bytes, 'latin1'));
      os.close(w);
      const res = outcome(() => {
        using f = io.open(r, 'r', { encoding, errors });
        return [f.read(), f.encoding, f.errors];
      });
      try {
        os.close(r);
      } catch {
        // the file object already closed it
      }
      const theirs = pythonJson(`${PY_OUTCOME}
import io
r, w = os.pipe(); os.write(w, ${JSON.stringify(bytes)}.encode('latin1')); os.close(w)
def run():
    with io.open(r, 'r', encoding=${JSON.stringify(encoding)}, errors=${JSON.stringify(errors)}) as f:
        return [f.read(), f.encoding, f.errors]
o = outcome(run)
try: os.close(r)
except OSError: pass
print(json.dumps(o[:3]))`);
      expect(res.slice(0, 3)).toEqual(theirs);
    });
  }

  it('write returns characters, translates newlines and encodes as asked', () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['w', {}, ['a😀\n', 'é']],
      ['w', { newline: '\r\n' }, ['a\nb\n']],
      ['w', { newline: '\r' }, ['a\nb\r\n']],
      ['w', { newline: '' }, ['a\nb\r\n']],
      ['w', { encoding: 'latin-1' }, ['café\n']],
      ['w', { encoding: 'utf-16' }, ['hi', 'ho']],
      ['w', { encoding: 'ascii', errors: 'replace' }, ['naïve']],
      ['w', { encoding: 'ascii' }, ['naïve']],
    ];
    const ours = cases.map(([mode, kw, writes]) => {
      const [r, w] = os.pipe();
      try {
        const f = os.fdopen(w, mode as 'w', kw as Omit<io.OpenOptions, 'mode'>) as Text;
        const counts = outcome(() => {
          try {
            return writes.map((s) => f.write(s));
          } finally {
            f.close();
          }
        });
        return [counts.slice(0, 3), [...os.read(r, 1000)]];
      } finally {
        os.close(r);
      }
    });
    const theirs = pythonJson(`${PY_OUTCOME}
cases = json.loads(${JSON.stringify(JSON.stringify(cases))})
res = []
for mode, kw, writes in cases:
    r, w = os.pipe()
    f = os.fdopen(w, mode, **kw)
    def run():
        try:
            return [f.write(s) for s in writes]
        finally:
            f.close()
    o = outcome(run)
    res.append([o[:3], list(os.read(r, 1000))])
    os.close(r)
print(json.dumps(res))`);
    expect(ours).toEqual(theirs);
  });

  it('keeps text from the reader until flush; line_buffering and write_through flush sooner', () => {
    const probe = (buffering: number, writeThrough: boolean) => {
      const [r, w] = os.pipe();
      os.set_blocking(r, false);
      const b = os.fdopen(w, 'wb');
      const f = new io.TextIOWrapper(b, { line_buffering: buffering === 1, write_through: writeThrough });
      const seen: unknown[] = [f.line_buffering, f.write_through];
      const look = () => {
        try {
          return os.read(r, 100000).length;
        } catch {
          return 0;
        }
      };
      try {
        for (const s of ['abc', 'd\n', 'x'.repeat(5000), 'y'.repeat(5000), 'z\r']) {
          f.write(s);
          seen.push(look());
        }
        f.flush();
        seen.push(look());
      } finally {
        f.close();
        os.close(r);
      }
      return seen;
    };
    const ours = [probe(-1, false), probe(1, false), probe(-1, true)];
    const theirs = pythonJson(`
import os, json, io
def probe(buffering, write_through):
    r, w = os.pipe(); os.set_blocking(r, False)
    f = io.TextIOWrapper(os.fdopen(w, 'wb'), line_buffering=buffering == 1, write_through=write_through)
    seen = [f.line_buffering, f.write_through]
    def look():
        try:
            return len(os.read(r, 100000))
        except BlockingIOError:
            return 0
    for s in ['abc', 'd\\n', 'x' * 5000, 'y' * 5000, 'z\\r']:
        f.write(s); seen.append(look())
    f.flush(); seen.append(look())
    f.close(); os.close(r)
    return seen
print(json.dumps([probe(-1, False), probe(1, False), probe(-1, True)]))`);
    expect(ours).toEqual(theirs);
    const [r, w] = os.pipe();
    try {
      using f = os.fdopen(w, 'w', 1);
      expect(f.line_buffering).toBe(true);
    } finally {
      os.close(r);
    }
  });

  it('bad arguments raise what CPython raises', () => {
    const [r, w] = os.pipe();
    const f = os.fdopen(r, 'r');
    const g = os.fdopen(w, 'w');
    try {
      const ours = [
        outcome(() => g.write(Buffer.from('x') as unknown as string)),
        outcome(() => g.write(null as unknown as string)),
        outcome(() => g.write(5 as unknown as string)),
        outcome(() => f.read(1.5)),
        outcome(() => f.readline(1.5)),
        outcome(() => f.write('x')),
        outcome(() => g.read(1)),
        outcome(() => new io.TextIOWrapper(f.buffer, { newline: 'x' } as never)),
        outcome(() => new io.TextIOWrapper(f.buffer, 5 as never)),
      ].map((o) => o.slice(0, 3));
      const theirs = pythonJson(`${PY_OUTCOME}
import io
r, w = os.pipe(); f = os.fdopen(r, 'r'); g = os.fdopen(w, 'w')
print(json.dumps([o[:3] for o in [outcome(lambda: g.write(b'x')), outcome(lambda: g.write(None)), outcome(lambda: g.write(5)),
  outcome(lambda: f.read(1.5)), outcome(lambda: f.readline(1.5)), outcome(lambda: f.write('x')), outcome(lambda: g.read(1)),
  outcome(lambda: io.TextIOWrapper(f.buffer, newline='x')), outcome(lambda: io.TextIOWrapper(f.buffer, 5))]]))`);
      expect(ours).toEqual(theirs);
    } finally {
      f.close();
      g.close();
    }
  });
});
