// pickle.dumps against CPython 3.11, byte for byte: the same values written
// by CPython (built from Python literals) and by pipefork (built in JS), for
// every protocol; and what CPython's multiprocessing sends (ForkingPickler).
import { describe, expect, it } from 'vitest';
import { Exception, pickle } from '../../lib/index.js';
import { pyDumps } from './helpers.js';

const { dumps, tuple, frozenset } = pickle;

/** [Python expression, the same value built in JS]. Sets are written in an order CPython iterates them in. */
const CORPUS: [string, () => unknown][] = [
  ['None', () => null],
  ['True', () => true],
  ['False', () => false],
  ['0', () => 0],
  ['1', () => 1],
  ['255', () => 255],
  ['256', () => 256],
  ['65535', () => 65535],
  ['65536', () => 65536],
  ['-1', () => -1],
  ['-256', () => -256],
  ['2**31 - 1', () => 2 ** 31 - 1],
  ['2**31', () => 2 ** 31],
  ['-2**31', () => -(2 ** 31)],
  ['-2**31 - 1', () => -(2 ** 31) - 1],
  ['2**53 - 1', () => 2 ** 53 - 1],
  ['-(2**53 - 1)', () => -(2 ** 53 - 1)],
  ['2**53', () => 2n ** 53n],
  ['2**63', () => 2n ** 63n],
  ['-2**63', () => -(2n ** 63n)],
  ['-2**63 - 1', () => -(2n ** 63n) - 1n],
  ['2**2100', () => 2n ** 2100n],
  ['-(2**2100)', () => -(2n ** 2100n)],
  ['-128', () => -128],
  ['-129', () => -129],
  ['1.5', () => 1.5],
  ['-0.0', () => -0],
  ["float('nan')", () => Number.NaN],
  ["float('inf')", () => Number.POSITIVE_INFINITY],
  ["float('-inf')", () => Number.NEGATIVE_INFINITY],
  ['1e300', () => 1e300],
  ['2.0**60', () => 2 ** 60],
  ['1e-05', () => 1e-5],
  ['0.1', () => 0.1],
  ["''", () => ''],
  ["'a'", () => 'a'],
  ["'h\\u00e9llo w\\u00f6rld'", () => 'héllo wörld'],
  ["'\\U0001f600 \\u20ac'", () => '😀 €'],
  ["'\\ud800'", () => '\ud800'],
  ["'a\\ud83dz\\udc00'", () => 'a\ud83dz\udc00'],
  ["'a\\\\b\\n\\r\\x00\\x1a\\x7f\\xff'", () => 'a\\b\n\r\0\x1a\x7f\xff'],
  ["'x' * 85", () => 'x'.repeat(85)],
  ["'x' * 86", () => 'x'.repeat(86)],
  ["'x' * 255", () => 'x'.repeat(255)],
  ["'x' * 256", () => 'x'.repeat(256)],
  ["'\\u00e9' * 127", () => 'é'.repeat(127)],
  ["'\\u00e9' * 128", () => 'é'.repeat(128)],
  ["b''", () => Buffer.alloc(0)],
  ["b'a'", () => Buffer.from('a')],
  ["b'\\x00\\xff\\x80'", () => Buffer.from([0, 0xff, 0x80])],
  ["b'z' * 256", () => Buffer.alloc(256, 'z')],
  ['[]', () => []],
  ['[1]', () => [1]],
  ['[1, [2, [3, []]]]', () => [1, [2, [3, []]]]],
  ['()', () => tuple([])],
  ['(1,)', () => tuple([1])],
  ["(1, 'a')", () => tuple([1, 'a'])],
  ['(1, 2, 3)', () => tuple([1, 2, 3])],
  ['(1, 2, 3, 4)', () => tuple([1, 2, 3, 4])],
  ['((), ((),), [()])', () => tuple([tuple([]), tuple([tuple([])]), [tuple([])]])],
  ['{}', () => ({})],
  ["{'a': 1}", () => ({ a: 1 })],
  ["{'a': 1, 'b': [1, 'a'], 'c': {'d': None}}", () => ({ a: 1, b: [1, 'a'], c: { d: null } })],
  [
    "{1: 'a', (1, 2): None, None: b'x', 'k': 1.5}",
    () =>
      new Map<unknown, unknown>([
        [1, 'a'],
        [tuple([1, 2]), null],
        [null, Buffer.from('x')],
        ['k', 1.5],
      ]),
  ],
  ['set()', () => new Set()],
  ['{1, 2, 3}', () => new Set([1, 2, 3])],
  ['{(1, 2), None}', () => new Set([tuple([1, 2]), null])],
  ['frozenset()', () => frozenset()],
  ['frozenset({1, 2})', () => frozenset([1, 2])],
  ['{frozenset({1})}', () => new Set([frozenset([1])])],
  ["{'fs': frozenset({b'a'})}", () => ({ fs: frozenset([Buffer.from('a')]) })],
  [
    "['s', 's', 'latin1', b'ab', b'ab', b'a', b'a', b'', b'']",
    () => {
      // One bytes constant is one object in Python: one Buffer here. Empty and
      // one-byte bytes are singletons there, so separate Buffers are fine.
      const ab = Buffer.from('ab');
      return ['s', 's', 'latin1', ab, ab, Buffer.from('a'), Buffer.from('a'), Buffer.alloc(0), Buffer.alloc(0)];
    },
  ],
  ['list(range(999))', () => Array.from({ length: 999 }, (_, i) => i)],
  ['list(range(1000))', () => Array.from({ length: 1000 }, (_, i) => i)],
  ['list(range(2001))', () => Array.from({ length: 2001 }, (_, i) => i)],
  ["{f'k{i}': i for i in range(1000)}", () => Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]))],
  ["{f'k{i}': i for i in range(1001)}", () => Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i]))],
  ['set(range(1000))', () => new Set(Array.from({ length: 1000 }, (_, i) => i))],
  ['set(range(2500))', () => new Set(Array.from({ length: 2500 }, (_, i) => i))],
  ['frozenset(range(1500))', () => frozenset(Array.from({ length: 1500 }, (_, i) => i))],
  [
    "[{'id': i, 'name': 'x' * 10, 'ok': True, 'v': 1.5} for i in range(300)]",
    () => Array.from({ length: 300 }, (_, i) => ({ id: i, name: 'x'.repeat(10), ok: true, v: 1.5 })),
  ],
  // Frames end where save() starts, dict keys included.
  [
    "[{'id': i, 'name': 'x' * 10, 'ok': True, 'v': 1.5} for i in range(3000)]",
    () => Array.from({ length: 3000 }, (_, i) => ({ id: i, name: 'x'.repeat(10), ok: true, v: 1.5 })),
  ],
  [
    "(lambda keys: [{k: j for j, k in enumerate(keys)} for i in range(400)])([f'k{j}' for j in range(50)])",
    () => Array.from({ length: 400 }, () => Object.fromEntries(Array.from({ length: 50 }, (_, j) => [`k${j}`, j]))),
  ],
  [
    // One str object per value, as a JS string is one value: CPython memoizes by identity.
    "(lambda vals: [{f'key{i}': vals[i % 7]} for i in range(9000)])(['v' * k for k in range(7)])",
    () => Array.from({ length: 9000 }, (_, i) => ({ [`key${i}`]: 'v'.repeat(i % 7) })),
  ],
  // Beyond one 64 KiB frame, and payloads of 64 KiB or more outside any frame.
  ['list(range(70000))', () => Array.from({ length: 70000 }, (_, i) => i)],
  [
    "['x' * 70000, 1, 'y' * 10, b'z' * 70000, 2]",
    () => ['x'.repeat(70000), 1, 'y'.repeat(10), Buffer.alloc(70000, 'z'), 2],
  ],
  [
    "['a' * 65535, 'b' * 65536, b'c' * 65535, b'd' * 65536]",
    () => ['a'.repeat(65535), 'b'.repeat(65536), Buffer.alloc(65535, 'c'), Buffer.alloc(65536, 'd')],
  ],
  ["['\\u00e9' * 40000]", () => ['é'.repeat(40000)]],
  ['[str(i) * 3 for i in range(30000)]', () => Array.from({ length: 30000 }, (_, i) => String(i).repeat(3))],
];

/** Shared and recursive values: the Python statement binds `v`. */
const SHARED: [string, () => unknown][] = [
  [
    'l = [1]; v = [l, l, (l, l)]',
    () => {
      const l = [1];
      return [l, l, tuple([l, l])];
    },
  ],
  [
    'd = {}; v = [d, {"x": d}]',
    () => {
      const d = {};
      return [d, { x: d }];
    },
  ],
  [
    'v = []; v.append(v)',
    () => {
      const v: unknown[] = [];
      v.push(v);
      return v;
    },
  ],
  [
    'v = {}; v["self"] = v',
    () => {
      const v: Record<string, unknown> = {};
      v.self = v;
      return v;
    },
  ],
  [
    'l = []; t = (l,); l.append(t); v = t',
    () => {
      const l: unknown[] = [];
      const t = tuple([l]);
      l.push(t);
      return t;
    },
  ],
  [
    'l = []; t = (l, 1, 2, 3); l.append(t); v = [t, l]',
    () => {
      const l: unknown[] = [];
      const t = tuple([l, 1, 2, 3]);
      l.push(t);
      return [t, l];
    },
  ],
  [
    't = (1, 2); v = [t, t, {"t": t}]',
    () => {
      const t = tuple([1, 2]);
      return [t, t, { t }];
    },
  ],
  [
    's = {1}; v = [s, s]',
    () => {
      const s = new Set([1]);
      return [s, s];
    },
  ],
  [
    'f = frozenset({1}); v = [f, {f}]',
    () => {
      const f = frozenset([1]);
      return [f, new Set([f])];
    },
  ],
  [
    'b = b"xy"; v = [b, b, b"xy"[:1] + b"y"]',
    () => {
      const b = Buffer.from('xy');
      return [b, b, Buffer.from('xy')];
    },
  ],
];

// CPython decodes one-character latin-1 strs to one object each (chr(43) is
// the str of b'+' in protocols 0-2): found by the differential fuzz.
SHARED.push([
  'v = [b"+", chr(43), bytes([0xe9]), chr(0xe9), b"ab", "ab"]',
  () => [Buffer.from('+'), '+', Buffer.from([0xe9]), '\u00e9', Buffer.from('ab'), 'ab'],
]);

const PROTOCOLS = [0, 1, 2, 3, 4, 5];

describe('pickle.dumps()', () => {
  it('writes the bytes CPython writes for the same values, in every protocol', () => {
    const cases = PROTOCOLS.flatMap((p) => CORPUS.map(([expr, js]) => ({ expr, js, p })));
    const want = pyDumps(cases.map((c) => [c.expr, c.p]));
    const diffs = cases
      .map((c, i) => ({ ...c, want: want[i] as Buffer, got: dumps(c.js(), c.p) }))
      .filter((c) => !c.got.equals(c.want))
      .map(
        (c) =>
          `protocol ${c.p}: ${c.expr}\n  CPython  ${c.want.toString('hex').slice(0, 200)}\n  pipefork ${c.got.toString('hex').slice(0, 200)}`,
      );
    expect(diffs).toEqual([]);
  });

  it('memoizes shared and recursive values as CPython does', () => {
    const cases = PROTOCOLS.flatMap((p) => SHARED.map(([stmt, js]) => ({ stmt, js, p })));
    const want = pyDumps(cases.map((c) => [`(lambda: (exec(${JSON.stringify(c.stmt)}, g := {}), g['v'])[1])()`, c.p]));
    const diffs = cases
      .map((c, i) => ({ ...c, want: want[i] as Buffer, got: dumps(c.js(), c.p) }))
      .filter((c) => !c.got.equals(c.want))
      .map(
        (c) => `protocol ${c.p}: ${c.stmt}\n  CPython  ${c.want.toString('hex')}\n  pipefork ${c.got.toString('hex')}`,
      );
    expect(diffs).toEqual([]);
  });

  it('writes what multiprocessing sends: ForkingPickler.dumps is protocol 4 (DEFAULT_PROTOCOL)', () => {
    const picked = CORPUS.filter((_, i) => i % 3 === 0);
    const want = pyDumps(picked.map(([expr]) => [expr, 'fork']));
    picked.forEach(([expr, js], i) => {
      expect(dumps(js()).equals(want[i] as Buffer), expr).toBe(true);
    });
    expect(pickle.DEFAULT_PROTOCOL).toBe(4);
    expect(pickle.HIGHEST_PROTOCOL).toBe(5);
  });

  it('reads back what it wrote: a Python->Node->Python round trip keeps the bytes', () => {
    const cases = PROTOCOLS.flatMap((p) => CORPUS.map(([expr]) => ({ expr, p })));
    const first = pyDumps(cases.map((c) => [c.expr, c.p]));
    const diffs = cases
      .map((c, i) => ({ ...c, want: first[i] as Buffer, got: dumps(pickle.loads(first[i]), c.p) }))
      .filter((c) => !c.got.equals(c.want))
      .map((c) => `protocol ${c.p}: ${c.expr}`);
    expect(diffs).toEqual([]);
  });

  it('maps JS values the documented way: undefined and holes are None, -0 a float, BigInt an int', () => {
    expect(dumps([undefined, 1n, -0], 2)).toEqual(pyDumps([['[None, 1, -0.0]', 2]])[0]);
    // biome-ignore lint/suspicious/noSparseArray: a hole is None
    expect(dumps([1, , 3], 4)).toEqual(dumps([1, null, 3], 4));
    expect(dumps(new Uint16Array([1, 2]), 4)).toEqual(dumps(Buffer.from([1, 0, 2, 0]), 4));
    expect(dumps(Object.create(null), 4)).toEqual(dumps({}, 4));
  });

  it("gives protocol and keywords CPython's checks and messages", () => {
    expect(dumps(1, -1)).toEqual(dumps(1, 5));
    expect(dumps(1, null)).toEqual(dumps(1, 4));
    expect(dumps(1, { protocol: 2 })).toEqual(dumps(1, 2));
    expect(dumps(1, 2n)).toEqual(dumps(1, 2));
    expect(dumps(1, true)).toEqual(dumps(1, 1)); // a bool is an int
    expect(dumps(new Set([1]), { protocol: 2, fix_imports: false }).includes(Buffer.from('cbuiltins\nset\n'))).toBe(
      true,
    );
    expect(() => dumps(1, 6)).toThrow(
      expect.objectContaining({ name: 'ValueError', message: 'pickle protocol must be <= 5' }),
    );
    expect(() => dumps(1, 2.5)).toThrow(
      expect.objectContaining({ name: 'TypeError', message: "'float' object cannot be interpreted as an integer" }),
    );
    expect(() => dumps(1, '2')).toThrow("'str' object cannot be interpreted as an integer");
    expect(() => dumps(1, 2, 3)).toThrow('dumps() takes at most 2 positional arguments (3 given)');
    expect(() => dumps(1, { proto: 2 })).toThrow("'proto' is an invalid keyword argument for dumps()");
    expect(() => dumps(1, 2, { protocol: 2 })).toThrow(
      "argument for dumps() given by name ('protocol') and position (2)",
    );
    expect(() => dumps(1, { buffer_callback: () => {} })).toThrow('buffer_callback needs protocol >= 5');
    expect(dumps(1, { protocol: 5, buffer_callback: () => {} })).toEqual(dumps(1, 5));
    // The first argument is always the value, even one that looks like keywords.
    expect(pickle.loads(dumps({ protocol: 2 }))).toEqual({ protocol: 2 });
  });

  it('refuses what Python could not receive, with a PicklingError', () => {
    const bad: [unknown, string][] = [
      [() => 1, "cannot pickle 'function' object"],
      [Symbol('s'), "cannot pickle 'symbol' object"],
      [new Date(0), "cannot pickle 'Date' object"],
      [[1, new (class Point {})()], "cannot pickle 'Point' object"],
      [new Map([[[1], 2]]), "unhashable type: 'list'"],
      [new Map([[{}, 2]]), "unhashable type: 'dict'"],
      [new Set([new Set()]), "unhashable type: 'set'"],
      [new Set([tuple([1, [2]])]), "unhashable type: 'list'"],
    ];
    for (const [v, message] of bad) {
      expect(() => dumps(v)).toThrow(expect.objectContaining({ name: 'PicklingError', message }));
      expect(() => dumps(v)).toThrow(pickle.PicklingError);
      expect(() => dumps(v)).toThrow(pickle.PickleError);
      expect(() => dumps(v)).toThrow(Exception); // as CPython's PickleError
    }
  });

  it("refuses a value nested too deeply for the stack with CPython's RecursionError, not a RangeError", () => {
    let v: unknown[] = [];
    for (let i = 0; i < 200_000; i++) v = [v];
    expect(() => dumps(v)).toThrow(
      expect.objectContaining({
        name: 'RecursionError',
        message: 'maximum recursion depth exceeded while pickling an object',
      }),
    );
    // The reused pickler is still good afterwards.
    expect(dumps([1], 2)).toEqual(pyDumps([['[1]', 2]])[0]);
  });

  it('can be called from inside a dumps (a getter): each call gets its own state', () => {
    const o = {
      get inner() {
        return dumps([1, 2], 4);
      },
    };
    const out = pickle.loads(dumps(o, 4)) as { inner: Buffer };
    expect(pickle.loads(out.inner)).toEqual([1, 2]);
  });
});
