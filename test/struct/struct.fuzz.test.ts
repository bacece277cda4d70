// struct, property-based (fast-check): random formats (every byte order,
// every code, repeat counts) with random values, some out of range. pack()
// must write CPython's bytes or raise CPython's error; unpack() of those
// bytes, and of random bytes, must give CPython's values; and
// unpack(pack(v)) must give v back as the format keeps it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { struct } from '../../lib/index.js';
import { announceSeed, cpythonBatch, params, runs, TIMEOUT } from '../helpers/fuzz.js';

announceSeed('struct');

/** [bytes in standard sizes, bytes natively (x86-64/arm64 Linux), signed] for the integer codes. */
const INTS: Record<string, [number, number, boolean]> = {
  b: [1, 1, true],
  B: [1, 1, false],
  h: [2, 2, true],
  H: [2, 2, false],
  i: [4, 4, true],
  I: [4, 4, false],
  l: [4, 8, true],
  L: [4, 8, false],
  q: [8, 8, true],
  Q: [8, 8, false],
  n: [0, 8, true],
  N: [0, 8, false],
  P: [0, 8, false],
};
const NATIVE_ONLY = new Set(['n', 'N', 'P']);
const ORDERS = ['', '@', '=', '<', '>', '!'] as const;

/** A value as both sides read it from JSON: ints as decimal text, floats as their 8 bytes, bytes as hex. */
type Tagged = ['i', string] | ['?', boolean] | ['f', string] | ['y', string];

interface Case {
  format: string;
  values: Tagged[];
}

function floatTag(x: number): Tagged {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(x);
  return ['f', b.toString('hex')];
}

const anyInt = (bytes: number, signed: boolean, spill: boolean) => {
  const bits = BigInt(bytes * 8);
  const lo = signed ? -(2n ** (bits - 1n)) : 0n;
  const hi = signed ? 2n ** (bits - 1n) - 1n : 2n ** bits - 1n;
  // Now and then just outside the range: CPython's struct.error and its words.
  return spill ? fc.constantFrom(lo - 1n, hi + 1n, -(2n ** 70n)) : fc.bigInt({ min: lo, max: hi });
};

const double = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, 1e300, -1e300, 65504, 65520, 3.4028235677973366e38, 1e-310, 5e-324),
);

function valueFor(code: string, native: boolean, count: number): fc.Arbitrary<Tagged[]> {
  const one = (a: fc.Arbitrary<Tagged>) => fc.array(a, { minLength: count, maxLength: count });
  if (code === 'x') return fc.constant([]);
  if (code === 's' || code === 'p')
    return fc.uint8Array({ maxLength: count + 2 }).map((b) => [['y', Buffer.from(b).toString('hex')]]);
  if (code === 'c')
    return one(fc.integer({ min: 0, max: 255 }).map((c): Tagged => ['y', c.toString(16).padStart(2, '0')]));
  if (code === '?') return one(fc.boolean().map((b): Tagged => ['?', b]));
  if (code === 'e' || code === 'f' || code === 'd') return one(double.filter((x) => !Number.isNaN(x)).map(floatTag));
  const [std, nat, signed] = INTS[code] as [number, number, boolean];
  const size = native ? nat : std;
  return one(
    fc
      .oneof(
        { weight: 12, arbitrary: anyInt(size, signed, false) },
        { weight: 1, arbitrary: anyInt(size, signed, true) },
      )
      .map((v): Tagged => ['i', String(v)]),
  );
}

const caseArb: fc.Arbitrary<Case> = fc.constantFrom(...ORDERS).chain((order) => {
  const native = order === '' || order === '@';
  const codes = [...'xcbB?hHiIlLqQefdsp', ...(native ? 'nNP' : '')].filter((c) => native || !NATIVE_ONLY.has(c));
  return fc
    .array(fc.tuple(fc.constantFrom(...codes), fc.integer({ min: 0, max: 3 }), fc.boolean()), {
      minLength: 1,
      maxLength: 6,
    })
    .chain((items) =>
      fc
        .tuple(
          ...items.map(([code, count]) =>
            code === 's' || code === 'p' ? valueFor(code, native, count) : valueFor(code, native, count),
          ),
        )
        .map((vals) => ({
          format: order + items.map(([code, count, show]) => (show || count !== 1 ? `${count}${code}` : code)).join(''),
          values: vals.flat(),
        })),
    );
});

function fromTag(t: Tagged): unknown {
  switch (t[0]) {
    case 'i': {
      const b = BigInt(t[1]);
      return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    }
    case '?':
      return t[1];
    case 'f':
      return Buffer.from(t[1], 'hex').readDoubleBE(0);
    case 'y':
      return Buffer.from(t[1], 'hex');
  }
}

/** The code of each value a format packs, in order ('3h2s' is h, h, h, s). */
function valueCodes(format: string): string[] {
  const out: string[] = [];
  for (const [, count, code] of format.replace(/^[@=<>!]/, '').matchAll(/(\d*)([a-zA-Z?])/g)) {
    const n = count === '' ? 1 : Number(count);
    if (code === 'x') continue;
    if (code === 's' || code === 'p') out.push(code as string);
    else for (let i = 0; i < n; i++) out.push(code as string);
  }
  return out;
}

function toTag(v: unknown, code: string): Tagged {
  if (code === '?') return ['?', v as boolean];
  if (code === 'e' || code === 'f' || code === 'd') return floatTag(v as number);
  if (code === 's' || code === 'p' || code === 'c') return ['y', Buffer.from(v as Uint8Array).toString('hex')];
  return ['i', String(v)];
}

type Outcome = ['ok', string] | ['raise', string, string];

function packOutcome(c: Case): Outcome {
  try {
    return ['ok', struct.pack(c.format, ...c.values.map(fromTag)).toString('hex')];
  } catch (e) {
    return ['raise', (e as Error).constructor.name, (e as Error).message];
  }
}

function unpackOutcome(format: string, hex: string): ['ok', Tagged[]] | ['raise', string, string] {
  try {
    const codes = valueCodes(format);
    return ['ok', struct.unpack(format, Buffer.from(hex, 'hex')).map((v, i) => toTag(v, codes[i] as string))];
  } catch (e) {
    return ['raise', (e as Error).constructor.name, (e as Error).message];
  }
}

const CPYTHON = `
import json, struct, sys
def fromtag(t):
    k, v = t
    if k == 'i': return int(v)
    if k == '?': return v
    if k == 'f': return struct.unpack('>d', bytes.fromhex(v))[0]
    return bytes.fromhex(v)
def totag(v):
    if isinstance(v, bool): return ['?', v]
    if isinstance(v, int): return ['i', str(v)]
    if isinstance(v, float): return ['f', struct.pack('>d', v).hex()]
    return ['y', v.hex()]
def outcome(f):
    try: return ['ok', f()]
    except Exception as e: return ['raise', type(e).__name__, str(e)]
out = []
for c in json.load(sys.stdin):
    fmt = c['format']
    packed = outcome(lambda: struct.pack(fmt, *map(fromtag, c['values'])).hex())
    unpacked = outcome(lambda: [totag(v) for v in struct.unpack(fmt, bytes.fromhex(c['bytes']))])
    out.append([packed, unpacked])
print(json.dumps(out))
`;

/** An outcome as JSON, with every NaN alike: NaNs read from random bytes keep no payload in JS. */
function canonical(o: unknown): string {
  return JSON.stringify(o).replace(/\["f","([0-9a-f]{16})"\]/g, (whole, hex: string) =>
    Number.isNaN(Buffer.from(hex, 'hex').readDoubleBE(0)) ? '"NaN"' : whole,
  );
}

describe('struct (property-based)', () => {
  it(
    "pack writes CPython's bytes (or raises its error); unpack of them and of random bytes gives CPython's values",
    () => {
      const cases = fc
        .sample(fc.tuple(caseArb, fc.uint8Array({ maxLength: 80 })), params(runs(500, 30_000)))
        .map(([c, noise]) => {
          // Random bytes of the format's size (when it has one) for unpack.
          let size = -1;
          try {
            size = struct.calcsize(c.format);
          } catch {}
          const bytes = Buffer.alloc(Math.max(0, size));
          bytes.set(noise.subarray(0, bytes.length));
          return { ...c, bytes: bytes.toString('hex') };
        });
      const theirs = cpythonBatch<[Outcome, unknown][]>(CPYTHON, cases);
      const diffs = cases
        .map((c, i) => {
          const [pyPack, pyUnpack] = theirs[i] as [Outcome, unknown];
          const mine: [Outcome, unknown] = [packOutcome(c), unpackOutcome(c.format, c.bytes)];
          const ok = canonical(mine) === canonical([pyPack, pyUnpack]);
          return { c, ok, mine, theirs: [pyPack, pyUnpack] };
        })
        .filter((d) => !d.ok);
      expect(diffs.slice(0, 3)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'unpack(pack(v)) gives v back as the format keeps it, and packing that again gives the same bytes',
    () => {
      fc.assert(
        fc.property(caseArb, (c) => {
          const packed = packOutcome(c);
          if (packed[0] === 'raise') return;
          // CPython's unpack of a '0p' field is its internal SystemError, which pipefork keeps.
          if (/(^|\D)0p/.test(c.format)) return;
          const back = struct.unpack(c.format, Buffer.from(packed[1], 'hex'));
          expect(struct.pack(c.format, ...back).toString('hex')).toBe(packed[1]);
          expect(struct.calcsize(c.format)).toBe(packed[1].length / 2);
        }),
        params(runs(1000, 100_000)),
      );
    },
    TIMEOUT,
  );
});
