// Argument counts on every io class: JS drops extra arguments and passes
// undefined for missing ones, so each method checks its count and raises the
// TypeError CPython raises (or, where CPython refuses the operation first,
// its UnsupportedOperation) before doing anything.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io, os } from '../lib/index.js';
import { pythonJson } from './helpers/python.js';

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
    const [r, w] = os.pipe();
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
    }
    expect(readFileSync(path, 'latin1')).toBe('abc\n');
    const theirs = pythonJson<string[][]>(`
import io, os, json
path = ${JSON.stringify(path)}
r, w = os.pipe()
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
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
    expect(ours).toContainEqual([
      'BufferedReader',
      'close',
      '3',
      'BufferedReader.close() takes no arguments (3 given)',
    ]);
  });
});
