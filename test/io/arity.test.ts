// Argument counts on every io class: JS drops extra arguments and passes
// undefined for missing ones, so each method checks its count and raises the
// TypeError CPython raises (or, where CPython refuses the operation first,
// its UnsupportedOperation) before doing anything.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { pythonJson } from '../helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'pipefork-arity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CLASSES = ['FileIO', 'BufferedReader', 'BufferedWriter', 'BufferedRandom', 'TextIOWrapper', 'BufferedRWPair'];
const METHODS = [
  ...['close', 'fileno', 'flush', 'isatty', 'readable', 'writable', 'seekable', 'tell', 'detach', 'readall'],
  ...['__enter__', 'read', 'read1', 'peek', 'readline', 'readlines', 'truncate', 'seek'],
  ...['write', 'writelines', 'readinto', 'readinto1'],
];
/** The methods that take exactly one argument: none is an error too. */
const ONE = ['write', 'writelines', 'readinto', 'readinto1'];

type AnyFile = Record<string, ((...a: unknown[]) => unknown) | undefined>;

/** [class, method, what happened]: 'missing', 'ok', a TypeError's message, or another error's class. */
function calls(objs: Record<string, unknown>): string[][] {
  const out: string[][] = [];
  for (const c of CLASSES) {
    const o = objs[c] as AnyFile;
    for (const [m, args] of [...METHODS.map((m) => [m, [0, 0, 0]] as const), ...ONE.map((m) => [m, []] as const)]) {
      const f = o[m];
      if (typeof f !== 'function') {
        out.push([c, m, String(args.length), 'missing']);
        continue;
      }
      try {
        f.apply(o, [...args]);
        out.push([c, m, String(args.length), 'ok']);
      } catch (e) {
        out.push([c, m, String(args.length), e instanceof TypeError ? e.message : (e as Error).constructor.name]);
      }
    }
  }
  return out;
}

describe('io argument counts', () => {
  it('every method of every class refuses a wrong count as CPython does, and the file is untouched', () => {
    const path = join(dir, 'f');
    writeFileSync(path, 'abc\n');
    // The pair reads a pipe whose write end is closed (EOF, never a block,
    // should a check regress) and writes to a second pipe.
    const [r, w0] = os.pipe();
    os.close(w0);
    const [r1, w] = os.pipe();
    const objs: Record<string, { close(): void }> = {
      FileIO: io.open(path, 'r+b', 0),
      BufferedReader: io.open(path, 'rb'),
      BufferedWriter: io.open(path, 'ab'),
      BufferedRandom: io.open(path, 'r+b'),
      TextIOWrapper: io.open(path, 'r+'),
      BufferedRWPair: new io.BufferedRWPair(new io.FileIO(r, 'rb'), new io.FileIO(w, 'wb')),
    };
    let ours: string[][];
    try {
      ours = calls(objs);
      // Nothing was closed, truncated or written by the refused calls.
      for (const o of Object.values(objs)) expect((o as unknown as { closed: boolean }).closed).toBe(false);
    } finally {
      for (const o of Object.values(objs)) o.close();
      os.close(r1);
    }
    expect(readFileSync(path, 'latin1')).toBe('abc\n');
    const theirs = pythonJson<string[][]>(`
import io, os, json
path = ${JSON.stringify(path)}
r, w0 = os.pipe(); os.close(w0)
r1, w = os.pipe()
objs = {'FileIO': io.open(path, 'r+b', buffering=0), 'BufferedReader': io.open(path, 'rb'),
        'BufferedWriter': io.open(path, 'ab'), 'BufferedRandom': io.open(path, 'r+b'),
        'TextIOWrapper': io.open(path, 'r+'),
        'BufferedRWPair': io.BufferedRWPair(io.FileIO(r, 'rb'), io.FileIO(w, 'wb'))}
out = []
for c in ${JSON.stringify(CLASSES)}:
    o = objs[c]
    for m, args in [(m, (0, 0, 0)) for m in ${JSON.stringify(METHODS)}] + [(m, ()) for m in ${JSON.stringify(ONE)}]:
        f = getattr(o, m, None)
        if f is None:
            out.append([c, m, str(len(args)), 'missing']); continue
        try:
            f(*args); out.append([c, m, str(len(args)), 'ok'])
        except TypeError as e:
            out.append([c, m, str(len(args)), str(e)])
        except Exception as e:
            out.append([c, m, str(len(args)), type(e).__name__])
for o in objs.values(): o.close()
os.close(r1)
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
    expect(ours).toContainEqual([
      'BufferedReader',
      'close',
      '3',
      'BufferedReader.close() takes no arguments (3 given)',
    ]);
  });

  it('the constructors bind their arguments as CPython binds them', () => {
    const [r, w] = os.pipe();
    const raw = new io.FileIO(r, 'rb', false);
    const wraw = new io.FileIO(w, 'wb', false);
    const C = (cls: unknown) => cls as new (...a: unknown[]) => { close(): void; constructor: { name: string } };
    const cases: [string, () => unknown][] = [
      ["io.FileIO(r, 'rb', False, None, 1)", () => new (C(io.FileIO))(r, 'rb', false, null, 1)],
      ['io.FileIO(r, None)', () => new (C(io.FileIO))(r, null)],
      ["io.FileIO(r, 'rb', None)", () => new (C(io.FileIO))(r, 'rb', null)],
      ["io.FileIO(r, 'rb', False, file=3)", () => new (C(io.FileIO))(r, 'rb', false, { file: 3 })],
      ['io.FileIO()', () => new (C(io.FileIO))()],
      ['io.BufferedReader(raw, 8192, 1)', () => new (C(io.BufferedReader))(raw, 8192, 1)],
      ['io.BufferedReader(raw, 8, buffer_size=8)', () => new (C(io.BufferedReader))(raw, 8, { buffer_size: 8 })],
      ['io.BufferedReader()', () => new (C(io.BufferedReader))()],
      ['io.BufferedReader(raw=raw)', () => new (C(io.BufferedReader))({ raw })],
      ['io.BufferedWriter(wraw, 8192, 1)', () => new (C(io.BufferedWriter))(wraw, 8192, 1)],
      ['io.BufferedRWPair(raw, wraw, 8192, 1)', () => new (C(io.BufferedRWPair))(raw, wraw, 8192, 1)],
      ['io.BufferedRWPair(raw, wraw, buffer_size=8)', () => new (C(io.BufferedRWPair))(raw, wraw, { buffer_size: 8 })],
      ['io.BufferedRWPair(raw, wraw, foo=1)', () => new (C(io.BufferedRWPair))(raw, wraw, { foo: 1 })],
      ['io.BufferedRWPair(raw)', () => new (C(io.BufferedRWPair))(raw)],
      ['io.TextIOWrapper()', () => new (C(io.TextIOWrapper))()],
    ];
    const made: { close(): void }[] = [];
    let ours: unknown[];
    try {
      ours = cases.map(([, f]) => {
        try {
          const o = f() as { close(): void; constructor: { name: string } };
          made.push(o);
          return ['ok', o.constructor.name];
        } catch (e) {
          return [(e as Error).constructor.name, (e as Error).message];
        }
      });
    } finally {
      // The buffered objects share raw's fd with closefd=False: closing them closes nothing.
      for (const o of made) o.close();
      raw.close();
      wraw.close();
      os.close(r);
      os.close(w);
    }
    const theirs = pythonJson(`
import io, os, json
r, w = os.pipe()
raw = io.FileIO(r, 'rb', False); wraw = io.FileIO(w, 'wb', False)
out = []
for c in ${JSON.stringify(cases.map(([c]) => c))}:
    try:
        o = eval(c); out.append(['ok', type(o).__name__])
    except Exception as e:
        out.append([type(e).__name__, str(e)])
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
  });
});
