// The order of checks on a closed file object: CPython converts and checks
// arguments (Argument Clinic) before a method looks at the fd, and some
// methods never look at it (readline(0) returns b'' without calling read).
// Every class, every method, valid, wrong-type and special arguments, each
// on a fresh closed object, run in CPython and in pipefork and compared whole.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { leakedSince, openFds } from '../helpers/leaks.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';
import { runBoth, type Step } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'pipefork-check-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const jsPath = join(dir, 'js.txt');
const pyPath = join(dir, 'py.txt');
writeFileSync(jsPath, 'hello\nworld\n');
writeFileSync(pyPath, 'hello\nworld\n');

type AnyFile = Record<string, ((...a: unknown[]) => unknown) | undefined> & Iterable<unknown>;

/** Python's error for a method the class does not have (JS would call undefined). */
class AttributeError extends Error {}

// Readers get a pipe whose write end is closed and writers one whose read end
// is closed, so a check that regressed into a syscall meets EOF or EPIPE and
// never blocks; the pair reads one pipe and writes another. Each kind is
// [Python constructor, the pipe ends it takes, pipefork's].
const KINDS = {
  fileio_r: ["io.FileIO(r, 'r')", 'r', (r: number) => new io.FileIO(r, 'r')],
  fileio_w: ["io.FileIO(w, 'w')", 'w', (_: number, w: number) => new io.FileIO(w, 'w')],
  fileio_rw: ["io.FileIO(path, 'r+')", '', () => new io.FileIO(jsPath, 'r+')],
  br: ["open(r, 'rb')", 'r', (r: number) => io.open(r, 'rb')],
  bw: ["open(w, 'wb')", 'w', (_: number, w: number) => io.open(w, 'wb')],
  brand: ["open(path, 'r+b')", '', () => io.open(jsPath, 'r+b')],
  rwpair: [
    "io.BufferedRWPair(io.FileIO(r, 'r'), io.FileIO(w, 'w'))",
    'rw',
    (r: number, w: number) => new io.BufferedRWPair(new io.FileIO(r, 'r'), new io.FileIO(w, 'w')),
  ],
  tr: ["open(r, 'r')", 'r', (r: number) => io.open(r, 'r')],
  tw: ["open(w, 'w')", 'w', (_: number, w: number) => io.open(w, 'w')],
  trand: ["open(path, 'r+')", '', () => io.open(jsPath, 'r+')],
} as const satisfies Record<string, readonly [string, string, (r: number, w: number) => unknown]>;
type Kind = keyof typeof KINDS;

/** A new object of this kind, closed unless asked not to be. */
function make(kind: Kind, close = true): AnyFile {
  const [, uses, ctor] = KINDS[kind];
  const [r, rw] = os.pipe();
  const [wr, w] = os.pipe();
  os.close(rw);
  os.close(wr);
  if (!uses.includes('r')) os.close(r);
  if (!uses.includes('w')) os.close(w);
  const f = (ctor as (r: number, w: number) => unknown)(r, w) as AnyFile;
  if (close) (f.close as () => void)();
  return f;
}

const PRELUDE = `
import io
path = ${JSON.stringify(pyPath)}
KINDS = ${JSON.stringify(Object.fromEntries(Object.entries(KINDS).map(([k, [py, uses]]) => [k, [py, uses]])))}
def mk(kind, close=True):
    ctor, uses = KINDS[kind]
    r, rw = os.pipe(); wr, w = os.pipe(); os.close(rw); os.close(wr)
    if 'r' not in uses: os.close(r)
    if 'w' not in uses: os.close(w)
    f = eval(ctor)
    if close: f.close()
    return f
`;

/** One call: the Python expression on f, and the same call in JS. */
type Call = [string, (f: AnyFile) => unknown];

function method(name: string, ...args: unknown[]): (f: AnyFile) => unknown {
  return (f) => {
    const m = f[name];
    if (typeof m !== 'function')
      throw new AttributeError(`'_io.${f.constructor.name}' object has no attribute '${name}'`);
    return m.apply(f, args);
  };
}

/** [Python argument text, JS value]; an empty text is no argument. */
const SIZES: [string, unknown[]][] = [
  ['', []],
  ['1', [1]],
  ['0', [0]],
  ['-1', [-1]],
  ['-2', [-2]],
  ['None', [null]],
  ["'x'", ['x']],
  ['1.5', [1.5]],
  ['2**64', [2 ** 64]],
];
const BUFFERS: [string, unknown[]][] = [
  ['bytearray(1)', [Buffer.alloc(1)]],
  ['bytearray(0)', [Buffer.alloc(0)]],
  ["'x'", ['x']],
  ['None', [null]],
  ['1', [1]],
];

const CALLS: Call[] = [
  ...['read', 'read1', 'readline', 'readlines', 'peek'].flatMap((m) =>
    SIZES.map(([py, js]): Call => [`f.${m}(${py})`, method(m, ...js)]),
  ),
  ['f.readall()', method('readall')],
  ...['readinto', 'readinto1'].flatMap((m) => BUFFERS.map(([py, js]): Call => [`f.${m}(${py})`, method(m, ...js)])),
  ...(
    [
      ["b'x'", [Buffer.from('x')]],
      ["b''", [Buffer.alloc(0)]],
      ["'x'", ['x']],
      ['None', [null]],
      ['1', [1]],
    ] as [string, unknown[]][]
  ).map(([py, js]): Call => [`f.write(${py})`, method('write', ...js)]),
  ...(
    [
      ['[]', [[]]],
      ["[b'x']", [[Buffer.from('x')]]],
      ['None', [null]],
      ['1', [1]],
    ] as [string, unknown[]][]
  ).map(([py, js]): Call => [`f.writelines(${py})`, method('writelines', ...js)]),
  ...(
    [
      ['0', [0]],
      ['0, 1', [0, 1]],
      ['0, 2', [0, 2]],
      ['0, 5', [0, 5]],
      ['-1', [-1]],
      ["'x'", ['x']],
      ['None', [null]],
      ['1.5', [1.5]],
      ["0, 'x'", [0, 'x']],
      ['0, None', [0, null]],
      ['0, 2**40', [0, 2 ** 40]],
      ['', []],
    ] as [string, unknown[]][]
  ).map(([py, js]): Call => [`f.seek(${py})`, method('seek', ...js)]),
  ...(
    [
      ['', []],
      ['0', [0]],
      ['None', [null]],
      ["'x'", ['x']],
      ['-1', [-1]],
    ] as [string, unknown[]][]
  ).map(([py, js]): Call => [`f.truncate(${py})`, method('truncate', ...js)]),
  ...['tell', 'flush', 'fileno', 'isatty', 'readable', 'writable', 'seekable', 'detach', 'close', '__enter__'].map(
    (m): Call => [`f.${m}()`, method(m)],
  ),
  ...(
    [
      ['', {}],
      ["encoding='ascii'", { encoding: 'ascii' }],
      ['encoding=1', { encoding: 1 }],
      ["newline='x'", { newline: 'x' }],
      ["newline='\\n'", { newline: '\n' }],
      ['line_buffering=True', { line_buffering: true }],
      ['foo=1', { foo: 1 }],
    ] as [string, object][]
  ).map(([py, js]): Call => [`f.reconfigure(${py})`, method('reconfigure', js)]),
  ['iter(f)', (f) => f[Symbol.iterator]()],
  ['f.closed', (f) => (f as unknown as { closed: boolean }).closed],
];

function steps(kind: Kind): Step[] {
  const out: Step[] = CALLS.map(([py, js]) => ({
    pySetup: `f = mk(${JSON.stringify(kind)})`,
    py,
    js: () => js(make(kind)),
  }));
  // next(f) needs no iter(f) first in Python; a JS iterator is taken before closing.
  out.push({
    pySetup: `f = mk(${JSON.stringify(kind)}, False); it = iter(f); f.close()`,
    py: 'next(it)',
    js: () => {
      const f = make(kind, false);
      const iter = f[Symbol.iterator]();
      (f.close as () => void)();
      return iter.next().value;
    },
  });
  return out;
}

describe('closed file objects check their arguments first, as CPython does', () => {
  for (const kind of Object.keys(KINDS) as Kind[]) {
    it(`${KINDS[kind][0]}: every method, valid, wrong-type and special arguments`, () => {
      const before = openFds();
      const list = steps(kind);
      const { python, pipefork } = runBoth(list, PRELUDE);
      const label = (outcomes: unknown[]) => list.map((s, i) => [s.py, outcomes[i]]);
      expect(label(pipefork)).toEqual(label(python));
      expect(leakedSince(before), 'fds leaked').toEqual([]);
    }, 20_000);
  }

  it('the same argument errors on open files, and readline(0) reads nothing there either', () => {
    const before = openFds();
    const calls: Call[] = [
      ['f.seek()', method('seek')],
      ["f.seek(0, 'x')", method('seek', 0, 'x')],
      ['f.readinto(None)', method('readinto', null)],
      ['f.readinto1(None)', method('readinto1', null)],
      ["f.readlines('x')", method('readlines', 'x')],
      ['f.read(2**64)', method('read', 2 ** 64)],
      ['f.readline(-(2**64))', method('readline', -(2 ** 64))],
      ['f.readline(0)', method('readline', 0)],
      [
        '[len(f.readline(0)), len(f.read())]',
        (f) => [method('readline', 0)(f), method('read')(f)].map((v) => (v as Buffer | string).length),
      ],
    ];
    const kinds: Kind[] = ['fileio_rw', 'fileio_w', 'brand', 'bw', 'rwpair', 'trand'];
    const list = kinds.flatMap((kind) =>
      calls.map(
        ([py, js]): Step => ({
          pySetup: `f = mk(${JSON.stringify(kind)}, False)`,
          py: `(${py}, f.close())[0]`,
          js: () => {
            const f = make(kind, false);
            try {
              return js(f);
            } finally {
              (f.close as () => void)();
            }
          },
        }),
      ),
    );
    const { python, pipefork } = runBoth(list, PRELUDE);
    const label = (outcomes: unknown[]) => list.map((s, i) => [kinds[Math.floor(i / calls.length)], s.py, outcomes[i]]);
    expect(label(pipefork)).toEqual(label(python));
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  }, 20_000);

  it("CPython's examples: readline(0) never reads, a bad argument is a TypeError before the closed check", () => {
    const before = openFds();
    const theirs = pythonJson(`${PY_OUTCOME}
import io
r, w = os.pipe(); f = io.FileIO(r, 'r'); f.close()
b = open(w, 'wb'); b.close()
print(json.dumps([outcome(lambda: f.readline(0)), outcome(lambda: f.read('x')), outcome(lambda: f.readline('x')),
                  outcome(lambda: b.write('x'))]))`);
    const expected = [
      ['ok', []],
      ['raise', 'TypeError', "argument should be integer or None, not 'str'", null],
      ['raise', 'TypeError', "argument should be integer or None, not 'str'", null],
      ['raise', 'TypeError', "a bytes-like object is required, not 'str'", null],
    ];
    expect(theirs).toEqual(expected);
    const [r, w] = os.pipe();
    const f = new io.FileIO(r, 'r');
    f.close();
    const b = io.open(w, 'wb');
    b.close();
    const ours = [
      outcome(() => f.readline(0)),
      outcome(() => f.read('x' as unknown as number)),
      outcome(() => f.readline('x' as unknown as number)),
      outcome(() => b.write('x' as never)),
    ];
    expect(ours).toEqual(expected);
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  }, 20_000);
});
