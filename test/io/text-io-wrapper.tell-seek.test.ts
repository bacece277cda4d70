// TextIOWrapper.tell() and seek() on seekable streams: CPython's opaque
// cookies (lib/io/cookie.ts), the same numbers as python3's, and the same
// text read after seeking back to one. Each scenario runs in python3 too.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io, OSError, os, UnsupportedOperation } from '../../lib/index.js';
import { lookupCodec } from '../../lib/io/codecs.js';
import { pythonJson } from '../helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'pipefork-tell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One step: ['read', n] (null: to EOF), ['readline'], ['tell'], ['seek', cookie, whence?], ['seekto', k] (seek to the k-th result). */
type Op = ['read', number | null] | ['readline'] | ['tell'] | ['seek', number | string, number?] | ['seekto', number];

interface Scenario {
  encoding: string;
  text: string;
  /** _CHUNK_SIZE, 0 for the default. */
  chunk: number;
  ops: Op[];
  newline?: string | null;
}

/** What python3 gives for the scenarios: each step's result, cookies as decimal strings. */
const PY_RUN = `
import io, json, sys
def run(s):
    data = s["text"].encode(s["encoding"])
    f = io.TextIOWrapper(io.BufferedReader(io.BytesIO(data)), encoding=s["encoding"], newline=s.get("newline"))
    if s["chunk"]: f._CHUNK_SIZE = s["chunk"]
    out = []
    for op in s["ops"]:
        try:
            if op[0] == "read": out.append(f.read(op[1]))
            elif op[0] == "readline": out.append(f.readline())
            elif op[0] == "tell": out.append(str(f.tell()))
            elif op[0] == "seek": out.append(str(f.seek(int(op[1]), *op[2:])))
            elif op[0] == "seekto": out.append(str(f.seek(int(out[op[1]]))))
        except Exception as e:
            out.append(type(e).__name__ + ": " + str(e))
    return out
`;

function runOurs(s: Scenario): string[] {
  const data = lookupCodec(s.encoding).encode(s.text, 'strict', true);
  const f = io.TextIOWrapper(io.BufferedReader(io.BytesIO(data)), { encoding: s.encoding, newline: s.newline ?? null });
  if (s.chunk) f._CHUNK_SIZE = s.chunk;
  const out: string[] = [];
  for (const op of s.ops) {
    try {
      if (op[0] === 'read') out.push(f.read(op[1]));
      else if (op[0] === 'readline') out.push(f.readline());
      else if (op[0] === 'tell') out.push(String(f.tell()));
      else if (op[0] === 'seek') out.push(String(f.seek(BigInt(op[1]), op[2])));
      else out.push(String(f.seek(BigInt(out[op[1]] as string))));
    } catch (e) {
      out.push(`${(e as Error).name}: ${(e as Error).message}`);
    }
  }
  return out;
}

function compare(scenarios: Scenario[]): void {
  const want = pythonJson<string[][]>(
    `${PY_RUN}\nprint(json.dumps([run(s) for s in json.loads(${JSON.stringify(JSON.stringify(scenarios))})]))`,
  );
  expect(scenarios.map(runOurs)).toEqual(want);
}

/** read(1) and tell() after each character. */
const charByChar = (n: number): Op[] => Array.from({ length: n }, () => [['read', 1], ['tell']] as Op[]).flat();

const MIXED = 'aé€😀b\r\nc';

describe('TextIOWrapper.tell() and seek()', () => {
  it('gives the cookies CPython gives, character by character, in UTF-8, UTF-16, UTF-32 and Latin-1', () => {
    const scenarios: Scenario[] = [];
    for (const encoding of ['utf-8', 'utf-16', 'utf-16-le', 'utf-16-be', 'utf-32', 'utf-32-le', 'utf-32-be']) {
      for (const chunk of [0, 1, 2, 3, 4, 5]) scenarios.push({ encoding, text: MIXED, chunk, ops: charByChar(8) });
    }
    scenarios.push({ encoding: 'latin-1', text: 'héllo\r\nwörld', chunk: 3, ops: charByChar(12) });
    compare(scenarios);
  });

  it('a multi-byte character split across the chunk boundary gives a cookie that seeks back to it', () => {
    const scenarios: Scenario[] = [];
    for (const chunk of [2, 4, 5, 7]) {
      scenarios.push({
        encoding: 'utf-8',
        text: '€€€€€€€€😀😀x',
        chunk,
        ops: [['read', 2], ['tell'], ['read', 3], ['tell'], ['seekto', 1], ['read', 1], ['seekto', 3], ['read', null]],
      });
      scenarios.push({
        encoding: 'utf-16',
        text: 'a😀b😀c😀',
        chunk,
        ops: [['read', 2], ['tell'], ['read', 1], ['tell'], ['seekto', 3], ['read', null], ['seekto', 1], ['read', 2]],
      });
    }
    compare(scenarios);
  });

  it('newlines: a held-back \\r, \\r\\n across chunks, and every newline mode', () => {
    const scenarios: Scenario[] = [];
    for (const newline of [null, '', '\n', '\r', '\r\n']) {
      for (const chunk of [1, 2, 3]) {
        scenarios.push({ encoding: 'utf-8', text: 'x\r\ny\rz\n\r\r\nw', chunk, ops: charByChar(9), newline });
        scenarios.push({
          encoding: 'utf-8',
          text: 'one\r\ntwo\rthree\nfour',
          chunk,
          ops: [
            ['readline'],
            ['tell'],
            ['readline'],
            ['tell'],
            ['seekto', 1],
            ['readline'],
            ['seekto', 3],
            ['read', null],
          ],
          newline,
        });
      }
    }
    compare(scenarios);
  });

  it('readline, read, seek to 0, to a cookie, to the end and to where it is; the errors', () => {
    const ops: Op[] = [
      ['readline'],
      ['tell'],
      ['read', 2],
      ['tell'],
      ['seek', 0],
      ['read', 3],
      ['tell'],
      ['read', null],
      ['tell'],
      ['seekto', 6],
      ['read', null],
      ['seek', 0, 2],
      ['tell'],
      ['seek', 0, 1],
      ['seek', 5, 1],
      ['seek', 5, 2],
      ['seek', -1],
      ['seek', 0, 3],
      ['seek', (2n ** 200n).toString()],
      ['seek', (2n ** 64n + 3n).toString()],
      ['read', null],
    ];
    const scenarios: Scenario[] = ['utf-8', 'utf-16', 'utf-32'].flatMap((encoding) =>
      [0, 3, 4].map((chunk) => ({ encoding, text: 'héllo\nwörld\n😀x\r\n', chunk, ops })),
    );
    compare(scenarios);
  });

  it('arguments as CPython takes them: a float cookie, the cookie returned as given, bad types', () => {
    const f = io.TextIOWrapper(io.BytesIO(Buffer.from('hello\nworld\n')), 'utf-8');
    const want = pythonJson<unknown[]>(`
import io, json
f = io.TextIOWrapper(io.BytesIO(b'hello\\nworld\\n'), 'utf-8')
out = []
for args in [(1.5,), (True,), (None,), ('x',), ('x', 1), (0, None), (float('nan'),)]:
    try: out.append(['ok', f.seek(*args), f.read(2)])
    except Exception as e: out.append([type(e).__name__, str(e)])
print(json.dumps(out))`);
    const ours = ([[1.5], [true], [null], ['x'], ['x', 1], [0, null], [Number.NaN]] as unknown[][]).map((args) => {
      try {
        const seek = f.seek as (...a: unknown[]) => unknown;
        return ['ok', seek.apply(f, args), f.read(2)];
      } catch (e) {
        return [(e as Error).name, (e as Error).message];
      }
    });
    expect(ours).toEqual(want);
  });

  it('tell() is off while a for...of runs (OSError), until EOF, flush() or seek()', () => {
    const f = io.TextIOWrapper(io.BytesIO(Buffer.from('a\nb\nc\n')), 'utf-8');
    for (const line of f) {
      expect(line).toBe('a\n');
      expect(() => f.tell()).toThrow(new OSError('telling position disabled by next() call'));
      break;
    }
    expect(() => f.tell()).toThrow(OSError);
    expect(f.seek(0)).toBe(0);
    expect(f.tell()).toBe(0);
    expect([...f]).toEqual(['a\n', 'b\n', 'c\n']);
    expect(f.tell()).toBe(6);
    const want = pythonJson<string[]>(`
import io, json
f = io.TextIOWrapper(io.BytesIO(b'a\\nb\\nc\\n'), 'utf-8')
out = []
for line in f:
    try: f.tell()
    except OSError as e: out.append(str(e))
    break
f.flush(); out.append(str(f.tell()))
print(json.dumps(out))`);
    const g = io.TextIOWrapper(io.BytesIO(Buffer.from('a\nb\nc\n')), 'utf-8');
    const ours: string[] = [];
    for (const _ of g) {
      try {
        g.tell();
      } catch (e) {
        ours.push((e as Error).message);
      }
      break;
    }
    g.flush();
    ours.push(String(g.tell()));
    expect(ours).toEqual(want);
  });

  it('files opened w+ and r+: writes, tell, seek back and read; the BOM written once', () => {
    const want = pythonJson<unknown[]>(`
import io, json, os
out = []
for enc in ['utf-8', 'utf-16', 'utf-32']:
    path = os.path.join(${JSON.stringify(dir)}, 'py-' + enc)
    with open(path, 'w+', encoding=enc) as f:
        f.write('héllo\\n'); a = f.tell(); f.write('wörld😀\\n'); b = f.tell()
        f.seek(0); first = f.readline(); c = f.tell(); rest = f.read()
        f.seek(a); again = f.read(3); f.seek(0, 2); f.write('end'); f.seek(0); everything = f.read()
    with open(path, 'rb') as f: raw = f.read().hex()
    out.append([enc, str(a), str(b), first, str(c), rest, again, everything, raw])
print(json.dumps(out))`);
    const ours = ['utf-8', 'utf-16', 'utf-32'].map((enc) => {
      const path = join(dir, `js-${enc}`);
      let row: unknown[];
      {
        using f = io.open(path, 'w+', { encoding: enc });
        f.write('héllo\n');
        const a = f.tell();
        f.write('wörld😀\n');
        const b = f.tell();
        f.seek(0);
        const first = f.readline();
        const c = f.tell();
        const rest = f.read();
        f.seek(a);
        const again = f.read(3);
        f.seek(0, 2);
        f.write('end');
        f.seek(0);
        row = [enc, String(a), String(b), first, String(c), rest, again, f.read()];
      }
      return [...row, readFileSync(path).toString('hex')];
    });
    expect(ours).toEqual(want);
  });

  it('a real file read in UTF-16 with small chunks: every cookie seeks back to the same text', () => {
    const path = join(dir, 'utf16-lines');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('l1 ü\r\nl2 😀\nl3\r', 'utf16le')]));
    const want = pythonJson<unknown[]>(`
import json
out = []
with open(${JSON.stringify(path)}, encoding='utf-16') as f:
    f._CHUNK_SIZE = 3
    cookies = []
    while True:
        c = f.tell(); line = f.readline()
        if not line: break
        cookies.append([str(c), line])
    for c, line in cookies:
        f.seek(int(c)); out.append([c, f.readline() == line])
print(json.dumps([cookies, out]))`);
    const f = io.open(path, { encoding: 'utf-16' });
    try {
      f._CHUNK_SIZE = 3;
      const cookies: [string, string][] = [];
      for (;;) {
        const c = f.tell();
        const line = f.readline();
        if (line === '') break;
        cookies.push([String(c), line]);
      }
      const out = cookies.map(([c, line]) => {
        f.seek(BigInt(c));
        return [c, f.readline() === line];
      });
      expect([cookies, out]).toEqual(want);
    } finally {
      f.close();
    }
  });

  it('on a pipe: UnsupportedOperation, as CPython (underlying stream is not seekable)', () => {
    const [r, w] = os.pipe();
    os.close(w);
    using f = io.open(r, 'r');
    expect(() => f.tell()).toThrow(new UnsupportedOperation('underlying stream is not seekable'));
    expect(() => f.seek(0)).toThrow(new UnsupportedOperation('underlying stream is not seekable'));
    expect(f.read()).toBe('');
  });
});
