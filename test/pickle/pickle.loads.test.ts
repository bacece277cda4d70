// pickle.loads against CPython 3.11: what CPython writes in every protocol
// loads to the same value (compared through canon(), test/pickle/helpers.ts),
// the type mapping of docs/pickle.md, and the text opcodes' parsing and
// messages next to CPython's.
import { describe, expect, it } from 'vitest';
import { pickle } from '../../lib/index.js';
import { canon, cpython, outcomeOf, pyDumps } from './helpers.js';

const { loads, dumps, isTuple, isFrozenset } = pickle;

/** Python values (as expressions) CPython pickles in each protocol. */
const VALUES = [
  'None',
  'True',
  '[0, 1, 255, 256, 65535, 65536, -1, 2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**53 - 1, -(2**53 - 1)]',
  '[2**53, -2**53, 2**63, -2**63 - 1, 2**2100, -(2**2100), 3**400]',
  "[1.5, -0.0, float('nan'), float('inf'), float('-inf'), 1e300, 2.0**60, 1e-05, 0.1, 5e-324, 1.0, 3.0]",
  "['', 'a', 'h\\u00e9llo', '\\U0001f600', '\\ud800', 'a\\\\b\\n\\r\\x00\\x1a', 'x' * 300, '\\u20ac' * 100]",
  "[b'', b'a', b'\\x00\\xff', b'z' * 300, bytearray(), bytearray(b'ab'), bytearray(b'\\xff' * 300)]",
  '[(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), ((), [()])]',
  "[{}, {'a': 1}, {'a': [1, {'b': None}]}, {1: 'a', (1, 2): None, None: b'x', 'k': 1.5, 2.5: True}]",
  '[set(), {1, 2, 3}, frozenset(), frozenset({1, (2, 3)}), {frozenset({1})}]',
  'list(range(2500))',
  "{f'k{i}': [i, str(i)] for i in range(1500)}",
  'set(range(1200))',
  '(lambda l: [l, l, (l, l)])([1])',
  '(lambda l: (l.append(l), l)[1])([])',
  '(lambda d: (d.__setitem__(1, d), d)[1])({})',
  '(lambda l: (l.append((l,)), l)[1])([])',
  "['x' * 70000, 1, b'z' * 70000, bytearray(b'q' * 70000), list(range(40000))]",
  "[{'id': i, 'name': 'x' * 10, 'ok': True, 'v': 1.5} for i in range(1000)]",
];

describe('pickle.loads()', () => {
  it("loads what CPython writes, in every protocol, to CPython's values", () => {
    const cases = [0, 1, 2, 3, 4, 5].flatMap((p) => VALUES.map((expr) => ({ expr, p })));
    const pickles = pyDumps(cases.map((c) => [c.expr, c.p]));
    const want = cpython<unknown[]>('canon', VALUES);
    const diffs = cases.filter((c, i) => {
      const got = canon(loads(pickles[i]));
      return JSON.stringify(got) !== JSON.stringify(want[VALUES.indexOf(c.expr)]);
    });
    expect(diffs.map((c) => `protocol ${c.p}: ${c.expr}`)).toEqual([]);
  });

  it('marks tuples and frozensets, so they go back as tuples and frozensets', () => {
    const [p] = pyDumps([['[(1, 2), frozenset({3}), {(4,): frozenset()}]', 4]]);
    const v = loads(p) as [unknown[], Set<number>, Map<unknown[], Set<unknown>>];
    expect(isTuple(v[0])).toBe(true);
    expect(v[0]).toEqual([1, 2]);
    expect(isFrozenset(v[1])).toBe(true);
    expect(v[2]).toBeInstanceOf(Map);
    const [k, fs] = [...v[2]][0] as [unknown[], Set<unknown>];
    expect(isTuple(k) && isFrozenset(fs)).toBe(true);
    expect(dumps(v)).toEqual(p);
  });

  it('gives a plain object for a dict of str keys and a Map otherwise, numbers or BigInts for ints', () => {
    const [p] = pyDumps([["[{'a': 1}, {1: 'a'}, {'a': 1, 2: 'b'}, 2**53 - 1, 2**53, -2**53, 2**64, 1.0]", 4]]);
    const v = loads(p) as unknown[];
    expect(Object.getPrototypeOf(v[0])).toBe(Object.prototype);
    expect(v[0]).toEqual({ a: 1 });
    expect(v[1]).toEqual(new Map([[1, 'a']]));
    expect([...(v[2] as Map<unknown, unknown>)]).toEqual([
      ['a', 1],
      [2, 'b'],
    ]);
    expect(v.slice(3)).toEqual([2 ** 53 - 1, 2n ** 53n, -(2n ** 53n), 2n ** 64n, 1]);
  });

  it('keeps a dict that becomes a Map one object, wherever the pickle refers to it', () => {
    // d = {}; d['self'] = d; d[1] = [d]: the str key arrives first, then an int key.
    const [p] = pyDumps([["(lambda d: (d.__setitem__('self', d), d.__setitem__(1, [d]), [d, d])[2])({})", 0]]);
    const [a, b] = loads(p) as [Map<unknown, unknown>, Map<unknown, unknown>];
    expect(a).toBeInstanceOf(Map);
    expect(b).toBe(a);
    expect(a.get('self')).toBe(a);
    expect((a.get(1) as unknown[])[0]).toBe(a);
  });

  it("never sets a prototype: a '__proto__' key is an own property", () => {
    const [p] = pyDumps([["{'__proto__': {'polluted': 1}, 'x': 1}", 4]]);
    const v = loads(p) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(dumps(v)).toEqual(p);
  });

  it('reads the text opcodes of protocol 0 as CPython reads them, with its messages', () => {
    const inputs = [
      'F1.5\n.',
      'F 1.5\n.',
      'F1e999\n.',
      'Fabc\n.',
      'F1.5x\n.',
      'F1.5\x00zz\n.',
      'FInfinity\n.',
      'F-nan\n.',
      'F1e-400\n.',
      'I12\x00x\n.',
      'I 12\n.',
      'I0x1f\n.',
      'I010\n.',
      'I-0\n.',
      'I01\n.',
      'I00\n.',
      'I1\n.',
      'I1_0\n.',
      'I99999999999999999999\n.',
      'I9_999_999_999_999_999_999\n.',
      'Ixx\n.',
      `I${'1'.repeat(5000)}\n.`,
      'L12\n.',
      'L0x10L\n.',
      'L010L\n.',
      'L1_0L\n.',
      'L-5L\n.',
      'Lx\n.',
      `L${'7'.repeat(5000)}L\n.`,
      `L0x${'f'.repeat(5000)}L\n.`,
      '(lp0\nI1\naI2\nag0\na.',
      'g-1\n.',
      'g99999999999999999999999\n.',
      'Np-1\n.',
      'Np1\ng1\n.',
      'Vab\\u00e9\\U0001f600\n.',
      'Vab\\\\u0041\\\\\\u0041\n.',
      'Vab\\u00\n.',
      'V\\U00110000\n.',
      'Va\\\n.',
      "S'a\\x41\\n\\'\\101\\q'\n.",
      "S'a\\x4'\n.",
      "S'a\\'\n.",
      'Sabc\n.',
      "S'\n.",
      'S"ab"\n.',
      '(I1\nI2\nt.',
      "(S'a'\nI1\nd.",
      '(I1\nI1\nI2\nd.',
      '(I1\nd.',
    ];
    const hex = inputs.map((s) => Buffer.from(s, 'latin1').toString('hex'));
    const theirs = cpython<unknown[][]>('plain', hex);
    const ours = inputs.map((s) => outcomeOf(() => loads(Buffer.from(s, 'latin1'))));
    // pipefork raises UnpicklingError for all of them, with CPython's message.
    const asOurs = theirs.map((o) => (o[0] === 'raise' ? ['raise', 'UnpicklingError', o[2]] : o));
    expect(ours).toEqual(asOurs);
  });

  it('reads the binary strings and numbers with their edge cases as CPython does', () => {
    const inputs = [
      'X\x01\x00\x00\x00\xff.',
      'X\x03\x00\x00\x00\xe4\xb8\x41.',
      'X\x03\x00\x00\x00\xed\xa0\x80.',
      'X\x02\x00\x00\x00\xed\xa0.',
      'X\x06\x00\x00\x00\xed\xa0\xbd\xed\xb8\x80.',
      'X\x03\x00\x00\x00\xef\xbf\xbd.',
      'X\x02\x00\x00\x00\xc0\x80.',
      'X\x04\x00\x00\x00\xf4\x90\x80\x80.',
      'X\x03\x00\x00\x00\xf0\x9f\x98.',
      'X\x11\x00\x00\x00a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80zzzzzzz.',
      'X\x14\x00\x00\x00aaaaaaaaaaaaaaaaaa\xff\xfe.',
      '\x8c\x02\xc3\xa9.',
      'U\x01\xe9.',
      'T\x02\x00\x00\x00ab.',
      '\x8a\x00.',
      '\x8a\x01\xff.',
      '\x8a\x02\x00\x80.',
      '\x8a\x08\xff\xff\xff\xff\xff\xff\x1f\x00.',
      '\x8a\x08\x00\x00\x00\x00\x00\x00\x20\x00.',
      '\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x80.',
      '\x8b\x02\x00\x00\x00\x01\x01.',
      '\x8b\xff\xff\xff\xff.',
      'J\xff\xff\xff\xff.',
      'M\xff\xff.',
      'G\x7f\xf0\x00\x00\x00\x00\x00\x00.',
      '',
      'N',
      '\x80\x06.',
      '\x80\x05N.',
      '(.',
      ')0.',
      '(0N.',
      'N(1.',
      '(1.',
      'N2.',
      '2.',
      ')a.',
      ']N(u.',
      '}N(N(u.',
      '}(NN.',
      '}(Nu.',
      '}NNNu.',
      '\x8f(]\x90.',
      '(\x91\x90.',
      '\x8f(N\x90.',
      'Z',
      '\x00',
      "'",
      '\\',
      'q\x00',
      'h\x05.',
      'j\x00\x00\x00\x01.',
      '\x95\x02\x00\x00\x00\x00\x00\x00\x00N.',
      '\x95\xff\x00\x00\x00\x00\x00\x00\x00N.',
      'P1\n.',
      'NQ.',
      '\x97.',
      'C\x01a\x98.',
      'N\x98.',
      '\x96\x01\x00\x00\x00\x00\x00\x00\x00a.',
    ];
    const hex = inputs.map((s) => Buffer.from(s, 'latin1').toString('hex'));
    const theirs = cpython<unknown[][]>('plain', hex);
    const ours = inputs.map((s) => outcomeOf(() => loads(Buffer.from(s, 'latin1'))));
    const asOurs = theirs.map((o) => (o[0] === 'raise' ? ['raise', 'UnpicklingError', o[2]] : o));
    expect(ours).toEqual(asOurs);
  });

  it("decodes Python 2's str with the encoding given, as CPython's loads(encoding=...)", () => {
    const py2 = Buffer.from("(S'caf\\xe9'\np0\nU\x03\xe9t\x01T\x01\x00\x00\x00xtp1\n.", 'latin1');
    expect(() => loads(py2)).toThrow("'ascii' codec can't decode byte 0xe9 in position 3: ordinal not in range(128)");
    expect(loads(py2, { encoding: 'latin1' })).toEqual(['café', 'ét\x01', 'x']);
    expect(loads(py2, { encoding: 'bytes' })).toEqual([
      Buffer.from('caf\xe9', 'latin1'),
      Buffer.from('\xe9t\x01', 'latin1'),
      Buffer.from('x'),
    ]);
    expect(loads(Buffer.from("S'\xc3\xa9'\n.", 'latin1'), { encoding: 'utf-8' })).toBe('é');
    expect(() => loads(py2, { encoding: 'koi8-r' })).toThrow(expect.objectContaining({ name: 'LookupError' }));
    expect(() => loads(py2, { errors: 'replace' })).toThrow("supports only errors='strict'");
  });

  it("reads CPython's protocol 2 pickles of bytes, bytearray and set with and without fix_imports", () => {
    const [p] = pyDumps([["[b'ab', bytearray(b'cd'), {1}, frozenset({2}), b'', bytearray()]", 2]]);
    expect(p?.includes(Buffer.from('c__builtin__\n'))).toBe(true);
    const want = [Buffer.from('ab'), Buffer.from('cd'), new Set([1]), new Set([2]), Buffer.alloc(0), Buffer.alloc(0)];
    expect(loads(p)).toEqual(want);
    expect(() => loads(p, { fix_imports: false })).toThrow("global '__builtin__.bytearray' is forbidden");
  });

  it('takes out-of-band buffers of protocol 5 from buffers=, and says so when none are given', () => {
    const [[data, bufs]] = cpython<[string, string[]][]>('oob', [
      '[pickle.PickleBuffer(b"abc"), pickle.PickleBuffer(bytearray(b"xy")), 1]',
    ]) as [[string, string[]]];
    const input = Buffer.from(data, 'hex');
    expect(() => loads(input)).toThrow(
      expect.objectContaining({
        name: 'UnpicklingError',
        message: 'pickle stream refers to out-of-band data but no *buffers* argument was given',
      }),
    );
    const buffers = bufs.map((h) => Buffer.from(h, 'hex'));
    const v = loads(input, { buffers }) as Buffer[];
    expect(v).toEqual([Buffer.from('abc'), Buffer.from('xy'), 1]);
    expect(v[1]?.buffer).toBe(buffers[1]?.buffer); // zero-copy, as in CPython
    expect(() => loads(input, { buffers: buffers.slice(0, 1) })).toThrow('not enough out-of-band buffers');
  });

  it("checks its arguments with CPython's messages", () => {
    expect(() => loads('abc')).toThrow(
      expect.objectContaining({ name: 'TypeError', message: "a bytes-like object is required, not 'str'" }),
    );
    expect(() => loads(Buffer.from('N.'), 1)).toThrow('loads() takes exactly 1 positional argument (2 given)');
    expect(() => loads(Buffer.from('N.'), { protocol: 2 })).toThrow(
      "'protocol' is an invalid keyword argument for loads()",
    );
    expect(loads(new Uint8Array(Buffer.from('K\x05.')))).toBe(5);
    expect(loads(Buffer.from('K\x05.garbage after STOP'))).toBe(5);
    expect(loads(new DataView(new Uint8Array([0x4b, 7, 0x2e]).buffer))).toBe(7);
  });

  it('copies bytes out of the input: changing the input later changes nothing loaded', () => {
    const input = dumps([Buffer.from('abc'), Buffer.alloc(300, 1)]);
    const v = loads(input) as Buffer[];
    input.fill(0);
    expect(v).toEqual([Buffer.from('abc'), Buffer.alloc(300, 1)]);
  });
});
