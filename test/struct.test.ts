// struct: pack/unpack/calcsize against CPython on the same formats and values.
import { describe, expect, it } from 'vitest';
import { struct } from '../lib/index.js';
import { py, pythonJson } from './helpers/python.js';

const cases: [string, unknown[]][] = [
  ['<i', [123456]],
  ['<i', [-1]],
  ['>I', [4000000000]],
  ['!h', [-2]],
  ['@bi', [1, 2]],
  ['@iq', [7, 9]],
  ['<bBhHiIqQ', [-1, 255, -300, 65000, -70000, 4000000000, -5, 18]],
  ['<?', [true]],
  ['<d', [0.1]],
  ['<f', [0.1]],
  ['<e', [1.5]],
  ['<3x2i', [1, 2]],
];

describe('struct', () => {
  it('packs and sizes exactly as CPython', () => {
    const want = pythonJson<[number, number[]][]>(`
import json, struct
cases = ${py(cases)}
print(json.dumps([[struct.calcsize(f), list(struct.pack(f, *[bool(v) if f == '<?' else v for v in vs]))] for f, vs in cases]))`);
    cases.forEach(([f, vs], i) => {
      expect([struct.calcsize(f), [...struct.pack(f, ...vs)]], f).toEqual(want[i]);
    });
  });

  it('round-trips through unpack', () => {
    expect(struct.unpack('<i', struct.pack('<i', -42))).toEqual([-42]);
    expect(struct.unpack('<4sxh', Buffer.from('abcd\x00\x02\x00', 'latin1'))).toEqual([Buffer.from('abcd'), 2]);
    expect(struct.unpack('<Q', Buffer.alloc(8, 0xff))).toEqual([2n ** 64n - 1n]);
    expect(struct.unpack('5p', struct.pack('5p', Buffer.from('ab')))).toEqual([Buffer.from('ab')]);
  });

  it('raises struct.error with CPython wording', () => {
    const want = pythonJson<string[]>(`
import json, struct
out = []
for f, args in [('<i', [2**31]), ('<B', [-1]), ('<q', [2**63]), ('<i', ['x']), ('<ii', [1]), ('<c', [b'ab']), ('<z', [1])]:
    try: struct.pack(f, *args)
    except struct.error as e: out.append(str(e))
try: struct.unpack('<i', b'abc')
except struct.error as e: out.append(str(e))
print(json.dumps(out))`);
    const ours: string[] = [];
    const tries: [string, unknown[]][] = [
      ['<i', [2 ** 31]],
      ['<B', [-1]],
      ['<q', [2n ** 63n]],
      ['<i', ['x']],
      ['<ii', [1]],
      ['<c', [Buffer.from('ab')]],
      ['<z', [1]],
    ];
    for (const [f, args] of tries) {
      try {
        struct.pack(f, ...args);
      } catch (e) {
        expect(e).toBeInstanceOf(struct.error);
        ours.push((e as Error).message);
      }
    }
    try {
      struct.unpack('<i', Buffer.from('abc'));
    } catch (e) {
      ours.push((e as Error).message);
    }
    expect(ours).toEqual(want);
  });
});
