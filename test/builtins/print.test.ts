// builtins.print, repr, str, input and tuple, against CPython: what a port
// prints for the values pipefork returns, and print's keywords.
import { describe, expect, it } from 'vitest';
import {
  builtins,
  FileNotFoundError,
  KeyError,
  os,
  SystemExit,
  struct,
  subprocess,
  ValueError,
} from '../../lib/index.js';
import { runNode, runPython } from '../helpers/program.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

const { print, repr, str, tuple } = builtins;

/** Collects what print() writes, one write() per piece, as a file object would get them. */
class Collect {
  writes: string[] = [];
  flushed = 0;
  write(s: string): number {
    this.writes.push(s);
    return s.length;
  }
  flush(): void {
    this.flushed++;
  }
}

// [Python expression, the JS value that stands for it]
const VALUES: [string, unknown][] = [
  ["'text'", 'text'],
  ["'q\\'uote'", "q'uote"],
  ["b'abc'", Buffer.from('abc')],
  ["b'\\x00\\xff\\n\\'\"'", Buffer.from([0, 0xff, 10, 39, 34])],
  ["b''", new Uint8Array(0)],
  ['None', null],
  ['None', undefined],
  ['True', true],
  ['False', false],
  ['0', 0],
  ['-7', -7],
  ['0.5', 0.5],
  ['1e-05', 1e-5],
  ['1e+16', 1e16],
  ['float("nan")', Number.NaN],
  ['float("-inf")', Number.NEGATIVE_INFINITY],
  ['-0.0', -0.0],
  ['2**64', 2n ** 64n],
  ['[1, "a", b"b", None]', [1, 'a', Buffer.from('b'), null]],
  ['[]', []],
  ['(3, 4)', tuple([3, 4])],
  ['(3,)', tuple([3])],
  ['()', tuple()],
  ['([1], (2,))', tuple([[1], tuple([2])])],
  [
    "{'k': [1, 2], 2: None}",
    new Map<unknown, unknown>([
      ['k', [1, 2]],
      [2, null],
    ]),
  ],
  ["{'a': 1}", { a: 1 }],
  ['{}', {}],
  ['{1, 2}', new Set([1, 2])],
  ['set()', new Set()],
  [
    "FileNotFoundError(2, 'No such file or directory', 'f')",
    new FileNotFoundError(2, 'No such file or directory', 'f'),
  ],
  ["ValueError('bad')", new ValueError('bad')],
  ["KeyError('k')", new KeyError('k')],
  ['SystemExit(3)', new SystemExit(3)],
  ["'\\u00e9\\u200b\\U0001f600'", '\u00e9\u200b\u{1f600}'],
];

describe('repr() and str()', () => {
  it("give CPython's repr and str of the values pipefork returns", () => {
    const want = pythonJson<[string, string][]>(`
import json
vals = [${VALUES.map(([p]) => p).join(', ')}]
print(json.dumps([[repr(v), str(v)] for v in vals]))`);
    expect(VALUES.map(([, v]) => [repr(v), str(v)])).toEqual(want);
  });

  it('print a list that holds itself as [...], as CPython does', () => {
    const a: unknown[] = [1];
    a.push(a);
    const d = new Map<string, unknown>();
    d.set('d', d);
    expect([repr(a), repr(d)]).toEqual(
      pythonJson(`import json\na = [1]; a.append(a); d = {}; d['d'] = d\nprint(json.dumps([repr(a), repr(d)]))`),
    );
  });

  it('str(bytes, encoding, errors) decodes as CPython does, with its errors', () => {
    const cases: [string, () => unknown][] = [
      ["str(b'caf\\xc3\\xa9', 'utf-8')", () => str(Buffer.from('café'), 'utf-8')],
      ["str(b'\\xff', 'utf-8', 'replace')", () => str(Buffer.from([0xff]), 'utf-8', 'replace')],
      ["str(b'\\xff', 'utf-8')", () => str(Buffer.from([0xff]), 'utf-8')],
      ["str(b'abc', 'nosuch')", () => str(Buffer.from('abc'), 'nosuch')],
      ["str('abc', 'utf-8')", () => str('abc', 'utf-8')],
      ["str(5, 'utf-8')", () => str(5, 'utf-8')],
      ['str()', () => str()],
    ];
    const want = pythonJson(
      `${PY_OUTCOME}\nprint(json.dumps([${cases.map(([p]) => `outcome(lambda: ${p})`).join(', ')}]))`,
    );
    expect(cases.map(([, f]) => outcome(f))).toEqual(want);
  });

  it('repr() takes exactly one argument', () => {
    expect(outcome(() => (repr as (...a: unknown[]) => string)())).toEqual(
      pythonJson(`${PY_OUTCOME}\nprint(json.dumps(outcome(lambda: repr())))`),
    );
  });

  it('tuple() marks what print shows as a tuple, from any iterable', () => {
    expect([repr(tuple('ab')), repr(tuple(new Set([1])))]).toEqual(["('a', 'b')", '(1,)']);
  });
});

describe('print()', () => {
  it("writes str() of each value with sep and end, one write per piece, as CPython's print", () => {
    const calls: [string, (c: Collect) => void][] = [
      ["1, 'a', b'b'", (c) => print(1, 'a', Buffer.from('b'), { file: c })],
      ['', (c) => print({ file: c })],
      ["'x', 'y', sep='-', end='!'", (c) => print('x', 'y', { sep: '-', end: '!', file: c })],
      ['[1, (2,)], sep=None, end=None', (c) => print([1, tuple([2])], { sep: null, end: null, file: c })],
      // A plain object whose keys are not all print's keywords is a dict to print.
      ['{}', (c) => print({}, { file: c })],
      ["{'sep': 1, 'x': 2}", (c) => print({ sep: 1, x: 2 }, { file: c })],
    ];
    const want = pythonJson<string[][]>(`
import json
class Collect:
    def __init__(self): self.writes = []
    def write(self, s): self.writes.append(s)
out = []
for f in [${calls.map(([p]) => `lambda c: print(${p}${p ? ', ' : ''}file=c)`).join(', ')}]:
    c = Collect(); f(c); out.append(c.writes)
print(json.dumps(out))`);
    expect(
      calls.map(([, f]) => {
        const c = new Collect();
        f(c);
        return c.writes;
      }),
    ).toEqual(want);
  });

  it('flushes when flush is true, and refuses a sep or end that is not a str, as CPython', () => {
    const c = new Collect();
    print('a', { file: c, flush: true });
    print('b', { file: c });
    expect(c.flushed).toBe(1);
    const cases: [string, () => unknown][] = [
      ['print(1, sep=2)', () => print(1, { sep: 2 as unknown as string })],
      ["print(1, end=b'x')", () => print(1, { end: Buffer.from('x') as unknown as string })],
      ['print(1, file=5)', () => print(1, { file: 5 as unknown as { write(s: string): unknown } })],
    ];
    const want = pythonJson<unknown[]>(
      `${PY_OUTCOME}\nprint(json.dumps([${cases.map(([p]) => `outcome(lambda: ${p})`).join(', ')}]))`,
    ).map((o) => ((o as unknown[])[1] === 'AttributeError' ? ['raise', 'TypeError', ...(o as unknown[]).slice(2)] : o));
    expect(cases.map(([, f]) => outcome(f))).toEqual(want);
  });

  it('prints what os and struct return as a Python program prints them', () => {
    const n = runNode(`import { builtins, os, struct } from 'PIPEFORK';
const { print } = builtins;
print(struct.pack('<i', 5), struct.calcsize('<i'), os.strerror(2));
print(os.read(os.open('/dev/null', os.O_RDONLY), 4));`);
    const p = runPython(`import os, struct
print(struct.pack('<i', 5), struct.calcsize('<i'), os.strerror(2))
print(os.read(os.open('/dev/null', os.O_RDONLY), 4))`);
    expect(n.stdout).toBe(p.stdout);
  });

  it('goes to sys.stdout as it is when print runs (a program may replace it)', () => {
    const n = runNode(`import { builtins, sys } from 'PIPEFORK';
const { print } = builtins;
const writes = [];
sys.stdout = { write: (s) => writes.push(s) };
print('captured');
sys.stdout = sys.__stdout__;
print(JSON.stringify(writes));
sys.stdout = null;
print('nowhere');`);
    expect([n.stdout, n.status]).toEqual([`${JSON.stringify(['captured', '\n'])}\n`, 0]);
  });
});

describe('input()', () => {
  const program = (prompt: string) => [
    `import sys\nout = []\ntry:\n    while True: out.append(input(${prompt}))\nexcept EOFError as e: out.append(str(e))\nprint(out)`,
    `import { builtins } from 'PIPEFORK';\nconst { input, print } = builtins;\nconst out = [];\ntry { for (;;) out.push(input(${prompt})); } catch (e) { out.push(e.message); }\nprint(out);`,
  ];

  for (const [what, prompt] of [
    ['without a prompt', ''],
    ['with a prompt', "'> '"],
    ['with a prompt that is not a str', '5'],
  ]) {
    it(`reads lines without their newline until EOFError, ${what}, as CPython`, () => {
      const [py, js] = program(prompt as string);
      const input = 'one\ntwo\r\n\nlast';
      const p = runPython(py as string, { input });
      const n = runNode(js as string, { input });
      expect([n.stdout, n.stderr, n.status]).toEqual([p.stdout, p.stderr, p.status]);
    });
  }

  it('writes the prompt before it blocks, even to a pipe (it flushes stdout)', () => {
    const n = runNode(
      `import { builtins, sys } from 'PIPEFORK';\nsys.stdout.write('before ');\nbuiltins.input('prompt: ');`,
      {
        input: 'x\n',
      },
    );
    expect(n.stdout).toBe('before prompt: ');
  });
});

describe('the tuples pipefork returns', () => {
  it('print as CPython prints them: os.pipe, os.waitpid, struct.unpack*, Popen.communicate', () => {
    const fds = os.pipe();
    const pipeRepr = repr(fds);
    for (const fd of fds) os.close(fd);
    const fds2 = os.pipe2(os.O_CLOEXEC);
    const pipe2Repr = repr(fds2);
    for (const fd of fds2) os.close(fd);
    const p = new subprocess.Popen(['echo', 'x'], { stdout: subprocess.PIPE });
    const out = repr(p.communicate());
    const q = new subprocess.Popen(['true']);
    const waited = os.waitpid(q.pid, 0);
    q.returncode = 0;
    const b = struct.pack('<ih?', -1, 2, true);
    const ours = [
      repr(struct.unpack('<ih?', b)),
      repr(struct.unpack('<i', b.subarray(0, 4))),
      repr(struct.unpack_from('<h', b, 4)),
      [...struct.iter_unpack('<h', b.subarray(0, 6))].map((t) => repr(t)),
      out,
      repr(waited).replace(/\d+/, 'PID'),
    ];
    const want = pythonJson(`
import json, os, struct, subprocess
b = struct.pack('<ih?', -1, 2, True)
p = subprocess.Popen(['echo', 'x'], stdout=subprocess.PIPE)
out = repr(p.communicate())
q = subprocess.Popen(['true'])
waited = os.waitpid(q.pid, 0); q.returncode = 0
print(json.dumps([repr(struct.unpack('<ih?', b)), repr(struct.unpack('<i', b[:4])), repr(struct.unpack_from('<h', b, 4)),
                  [repr(t) for t in struct.iter_unpack('<h', b[:6])], out, repr(waited).replace(str(q.pid), 'PID')]))`);
    expect(ours).toEqual(want);
    expect([pipeRepr, pipe2Repr]).toEqual([
      expect.stringMatching(/^\(\d+, \d+\)$/),
      expect.stringMatching(/^\(\d+, \d+\)$/),
    ]);
  });
});
