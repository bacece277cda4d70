// The codecs under TextIOWrapper where they once parted from CPython 3.11:
// encode errors name the whole run, UTF-16 keeps genuine U+FFFD and refuses
// lone surrogates, a failed strict decode fails again as CPython's does. Each
// scenario runs in python3 too.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { outcome, PY_OUTCOME, py, pythonJson } from '../helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'pipefork-text-fixes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (h: string) => Buffer.from(h, 'hex');

/** outcome() plus what a UnicodeError carries: start, end, object (bytes as hex) and reason. */
function detail(f: () => unknown): unknown[] {
  let err: (Error & { start?: number; end?: number; object?: unknown; reason?: string }) | undefined;
  const r = outcome(() => {
    try {
      const v = f();
      return v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v;
    } catch (e) {
      err = e as typeof err;
      throw e;
    }
  });
  if (r[0] === 'ok') return r;
  const obj = err?.object instanceof Uint8Array ? Buffer.from(err.object).toString('hex') : (err?.object ?? null);
  return [...r.slice(0, 3), err?.start ?? null, err?.end ?? null, obj, err?.reason ?? null];
}

/** The same in Python. */
const PY_DETAIL = `${PY_OUTCOME}
import io
def detail(f):
    try:
        v = f()
        return ["ok", v.hex() if isinstance(v, (bytes, bytearray)) else v]
    except BaseException as e:
        obj = getattr(e, "object", None)
        if isinstance(obj, (bytes, bytearray)): obj = obj.hex()
        return ["raise", type(e).__name__, str(e), getattr(e, "start", None), getattr(e, "end", None), obj,
                getattr(e, "reason", None)]
`;

/** A pipe already holding `data`, its write end closed: reads never block. */
function filledPipe(...chunks: Buffer[]): number {
  const [r, w] = os.pipe();
  try {
    for (const c of chunks) os.write(w, c);
  } catch (e) {
    os.close(r);
    throw e;
  } finally {
    os.close(w);
  }
  return r;
}

describe('UnicodeEncodeError names the run of characters the codec cannot encode', () => {
  const strings = [
    'a\u0100\u0101b',
    'a\u0100b',
    'x\u{1f600}\u0100y',
    'ok\n\u0100\u0101\u0102\nend',
    'a\ud800\udbffb',
    'é\udc00',
    'plain',
  ];
  for (const encoding of ['ascii', 'latin-1']) {
    it(`${encoding}: message, start, end, object and reason as CPython; replace and ignore per character`, () => {
      const ours: unknown[] = [];
      for (const s of strings) {
        for (const errors of ['strict', 'replace', 'ignore']) {
          const [r, w] = os.pipe();
          const f = os.fdopen(w, 'w', { encoding, errors, newline: '\r\n' });
          const res = detail(() => f.write(s));
          f.close();
          ours.push([res, os.read(r, 100).toString('hex')]);
          os.close(r);
        }
      }
      const theirs = pythonJson(`${PY_DETAIL}
out = []
for s in ${py(strings)}:
    for errors in ['strict', 'replace', 'ignore']:
        r, w = os.pipe()
        f = os.fdopen(w, 'w', encoding=${py(encoding)}, errors=errors, newline='\\r\\n')
        res = detail(lambda: f.write(s))
        f.close()
        out.append([res, os.read(r, 100).hex()])
        os.close(r)
print(json.dumps(out))`);
      expect(ours).toEqual(theirs);
      const first = (ours[0] as unknown[])[0] as unknown[];
      expect(first.slice(2, 5)).toEqual([
        `'${encoding}' codec can't encode characters in position 1-2: ordinal not in range(${encoding === 'ascii' ? 128 : 256})`,
        1,
        3,
      ]);
    });
  }
});

describe('UTF-16 in TextIOWrapper', () => {
  it("decoding with errors='ignore' or 'replace' keeps a genuine U+FFFD and drops only what is malformed", () => {
    const cases = ['6100fdff6200', '6100fdff00d86200', 'fdff00dcfdff', '6100fdff00d8', '0061fffd0062'];
    const ours: unknown[] = [];
    for (const errors of ['ignore', 'replace', 'strict']) {
      for (const [i, h] of cases.entries()) {
        const encoding = i === 4 ? 'utf-16-be' : 'utf-16-le';
        const r = filledPipe(hex(h));
        const f = os.fdopen(r, 'r', { encoding, errors });
        try {
          ours.push(detail(() => f.read()));
        } finally {
          f.close();
        }
      }
    }
    const theirs = pythonJson(`${PY_DETAIL}
out = []
for errors in ['ignore', 'replace', 'strict']:
    for i, h in enumerate(${py(cases)}):
        r, w = os.pipe(); os.write(w, bytes.fromhex(h)); os.close(w)
        with os.fdopen(r, 'r', encoding='utf-16-be' if i == 4 else 'utf-16-le', errors=errors) as f:
            out.append(detail(f.read))
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
    expect(ours[0]).toEqual(['ok', 'a\ufffdb']);
  });

  it('decode errors give the exact bytes and reason; a stream without a BOM is refused as CPython refuses it', () => {
    const cases: [string, string][] = [
      ['utf-16-le', '4100' + '00d8' + '4200'],
      ['utf-16-le', '4100' + '00dc'],
      ['utf-16-le', '410042'],
      ['utf-16-le', '3dd8' + '00de' + '00d8'],
      ['utf-16-be', '0041' + 'd800' + '00'],
      ['utf-16', 'fffe' + '4100' + '00dc'],
      ['utf-16', 'feff' + '0041' + 'dc00'],
      ['utf-16', '4100' + '4200'],
      ['utf-16', '41'],
    ];
    const ours: unknown[] = [];
    for (const errors of ['strict', 'replace']) {
      for (const [encoding, h] of cases) {
        const f = os.fdopen(filledPipe(hex(h)), 'r', { encoding, errors });
        try {
          ours.push(
            detail(() => f.read()),
            detail(() => f.read()),
          );
        } finally {
          f.close();
        }
      }
    }
    const theirs = pythonJson(`${PY_DETAIL}
out = []
for errors in ['strict', 'replace']:
    for encoding, h in ${py(cases)}:
        r, w = os.pipe(); os.write(w, bytes.fromhex(h)); os.close(w)
        with os.fdopen(r, 'r', encoding=encoding, errors=errors) as f:
            out += [detail(f.read), detail(f.read)]
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
  });

  it('encoding a lone surrogate raises UnicodeEncodeError and writes nothing of that write', () => {
    const ours: unknown[] = [];
    for (const encoding of ['utf-16', 'utf-16-le', 'utf-16-be']) {
      for (const errors of ['strict', 'replace', 'ignore']) {
        const [r, w] = os.pipe();
        const f = os.fdopen(w, 'w', { encoding, errors });
        ours.push(
          detail(() => f.write('a')),
          detail(() => f.write('b\ud800\u{1f600}\udc00\ud800\udfffc')),
          detail(() => f.flush()),
        );
        f.close();
        ours.push(os.read(r, 100).toString('hex'));
        os.close(r);
      }
    }
    // On a file at offset 0, the first write carries the BOM and says 'utf-16'; a failed first write still uses it up.
    for (const first of ['\ud800x', 'ok']) {
      const path = join(dir, 'js-u16.txt');
      const f = io.open(path, 'w', { encoding: 'utf-16' });
      ours.push(
        detail(() => f.write(first)),
        detail(() => f.write('a\udc00')),
        detail(() => f.write('b')),
      );
      f.close();
      ours.push(readFileSync(path).toString('hex'));
    }
    const theirs = pythonJson(`${PY_DETAIL}
out = []
for encoding in ['utf-16', 'utf-16-le', 'utf-16-be']:
    for errors in ['strict', 'replace', 'ignore']:
        r, w = os.pipe()
        f = os.fdopen(w, 'w', encoding=encoding, errors=errors)
        out += [detail(lambda: f.write('a')), detail(lambda: f.write(${py('b\ud800\u{1f600}\udc00\ud800\udfffc')})), detail(f.flush)]
        f.close()
        out.append(os.read(r, 100).hex()); os.close(r)
for first in ['\\ud800x', 'ok']:
    path = ${py(join(dir, 'py-u16.txt'))}
    f = io.open(path, 'w', encoding='utf-16')
    out += [detail(lambda: f.write(first)), detail(lambda: f.write('a\\udc00')), detail(lambda: f.write('b'))]
    f.close()
    out.append(open(path, 'rb').read().hex())
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
    expect(ours[1]).toEqual([
      'raise',
      'UnicodeEncodeError',
      "'utf-16-le' codec can't encode character '\\ud800' in position 1: surrogates not allowed",
      1,
      2,
      'b\ud800\u{1f600}\udc00\ud800\udfffc',
      'surrogates not allowed',
    ]);
    expect(ours[3]).toBe('6100');
  });
});

describe('UTF-8 in TextIOWrapper', () => {
  it('encoding lone surrogates raises for the run (replace and ignore as CPython); a genuine U+FFFD is written', () => {
    const strings = ['a\ud800b', 'é\udc00\ud800\u{1f600}', '\ufffd\udbff', '\ufffd', 'x\u{1f600}y'];
    const ours: unknown[] = [];
    for (const s of strings) {
      for (const errors of ['strict', 'replace', 'ignore']) {
        const [r, w] = os.pipe();
        const f = os.fdopen(w, 'w', { encoding: 'utf-8', errors });
        ours.push(
          detail(() => f.write(s)),
          detail(() => f.write('!')),
        );
        f.close();
        ours.push(os.read(r, 100).toString('hex'));
        os.close(r);
      }
    }
    const theirs = pythonJson(`${PY_DETAIL}
out = []
for s in ${py(strings)}:
    for errors in ['strict', 'replace', 'ignore']:
        r, w = os.pipe()
        f = os.fdopen(w, 'w', encoding='utf-8', errors=errors)
        out += [detail(lambda: f.write(s)), detail(lambda: f.write('!'))]
        f.close()
        out.append(os.read(r, 100).hex()); os.close(r)
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
    expect((ours[9] as unknown[]).slice(2, 5)).toEqual([
      "'utf-8' codec can't encode characters in position 1-2: surrogates not allowed",
      1,
      3,
    ]);
  });

  it('after a strict decode error the held-back bytes stay, so every later read fails as in CPython', () => {
    const ours: unknown[] = [];
    for (const extra of ['(hello\nworld\n', '']) {
      const r = filledPipe(Buffer.from('a'.repeat(8191)), hex('c3'), Buffer.from(extra));
      const f = os.fdopen(r, 'r');
      try {
        ours.push(detail(() => f.read(8191).length));
        for (let i = 0; i < 3; i++) ours.push(detail(() => f.readline()));
        ours.push(
          detail(() => f.read()),
          detail(() => f.read(5)),
          detail(() => [...f]),
        );
      } finally {
        f.close();
      }
    }
    const theirs = pythonJson(`${PY_DETAIL}
out = []
for extra in ['(hello\\nworld\\n', '']:
    r, w = os.pipe(); os.write(w, b'a' * 8191 + b'\\xc3'); os.write(w, extra.encode()); os.close(w)
    with os.fdopen(r, 'r') as f:
        out.append(detail(lambda: len(f.read(8191))))
        for i in range(3): out.append(detail(f.readline))
        out += [detail(f.read), detail(lambda: f.read(5)), detail(lambda: list(f))]
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
    expect(ours[3]).toEqual([
      'raise',
      'UnicodeDecodeError',
      "'utf-8' codec can't decode byte 0xc3 in position 0: unexpected end of data",
      0,
      1,
      'c3',
      'unexpected end of data',
    ]);
  });

  it('a failed chunk loses the text readline had set aside, and read(n) asks for as many bytes as CPython', () => {
    const datas = [
      Buffer.concat([Buffer.from('abc'.repeat(3000)), hex('ff0a78797a0a')]),
      Buffer.concat([Buffer.from('ab\r'.repeat(3000)), hex('ff0a78797a0a')]),
      Buffer.concat([Buffer.from('é'.repeat(6000)), hex('ff0a')]),
    ];
    const calls = ['readline()', 'readline(5000)', 'read(9005)', 'read(100)'];
    const run = (f: io.TextIOWrapper, call: string) => {
      switch (call) {
        case 'readline()':
          return f.readline();
        case 'readline(5000)':
          return f.readline(5000);
        case 'read(9005)':
          return f.read(9005);
        default:
          return f.read(100);
      }
    };
    const brief = (d: unknown[]) =>
      d[0] === 'ok' ? ['ok', (d[1] as string).length] : [...d.slice(0, 5), (d[5] as string).length];
    const ours: unknown[] = [];
    for (const newline of [null, '']) {
      for (const data of datas) {
        for (const call of calls) {
          const f = os.fdopen(filledPipe(data), 'r', { newline });
          try {
            const seen: unknown[] = [];
            for (let i = 0; i < 4; i++) seen.push(brief(detail(() => run(f, call))));
            ours.push(seen);
          } finally {
            f.close();
          }
        }
      }
    }
    const theirs = pythonJson(`${PY_DETAIL}
def brief(d):
    return ['ok', len(d[1])] if d[0] == 'ok' else d[:5] + [len(d[5])]
out = []
for newline in [None, '']:
    for data in [b'abc' * 3000 + b'\\xff\\nxyz\\n', b'ab\\r' * 3000 + b'\\xff\\nxyz\\n', 'é'.encode() * 6000 + b'\\xff\\n']:
        for call in ${py(calls)}:
            r, w = os.pipe(); os.write(w, data); os.close(w)
            with os.fdopen(r, 'r', newline=newline) as f:
                out.append([brief(detail(lambda: eval('f.' + call))) for i in range(4)])
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
  });
});
