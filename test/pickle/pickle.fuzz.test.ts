// Property-based tests of pickle (fast-check). `npm test` runs them with a
// fixed seed and few runs; `npm run test:fuzz` (PIPEFORK_FUZZ=long) with
// many runs and a new seed each time, printed so a failure can be replayed
// with FUZZ_SEED=<seed>.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickle } from '../../lib/index.js';
import { announceSeed, params, runs, TIMEOUT } from '../helpers/fuzz.js';
import { asciiJson, canon, cpython, outcomeOf } from './helpers.js';

const { dumps, loads, tuple, frozenset, UnpicklingError } = pickle;

announceSeed('pickle');

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Any UTF-16 string, lone surrogates included. */
const anyString = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 12,
});
const bigints = fc.bigInt({ min: -(2n ** 600n), max: 2n ** 600n }).filter((b) => b > SAFE || b < -SAFE);

function values(opts: { pyOrder: boolean }) {
  const scalar = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.maxSafeInteger(),
    bigints,
    fc.double(),
    opts.pyOrder ? fc.string({ maxLength: 12 }) : anyString,
    fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  );
  // Items of a set in an order CPython iterates them in (small ints, ascending), when bytes must match CPython's.
  const setItems = (item: fc.Arbitrary<unknown>) =>
    opts.pyOrder
      ? fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 5 }).map((a) => a.sort((x, y) => x - y))
      : fc.uniqueArray(item, { maxLength: 5, selector: (v) => asciiJson(canon(v)) });
  const { hashable } = fc.letrec<{ hashable: unknown }>((tie) => ({
    hashable: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('hashable'), { maxLength: 3 }).map((a) => tuple(a)),
      setItems(tie('hashable')).map((a) => frozenset(a)),
    ),
  }));
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('value'), { maxLength: 6 }),
      fc.array(tie('value'), { maxLength: 4 }).map((a) => tuple(a)),
      fc.dictionary(opts.pyOrder ? fc.string({ maxLength: 8 }) : anyString, tie('value'), { maxKeys: 5 }),
      fc
        .uniqueArray(fc.tuple(hashable, tie('value')), { maxLength: 4, selector: ([k]) => asciiJson(canon(k)) })
        .map((e) => new Map(e)),
      setItems(hashable).map((a) => new Set(a)),
      setItems(hashable).map((a) => frozenset(a)),
    ),
  })).value;
}

const protocol = fc.integer({ min: 0, max: 5 });

/** A pickle damaged a few ways: bytes changed, inserted, removed, cut. */
function mutated() {
  return fc
    .tuple(
      values({ pyOrder: false }),
      protocol,
      fc.array(
        fc.tuple(
          fc.constantFrom('set', 'insert', 'delete', 'cut'),
          fc.nat(),
          fc.oneof(
            fc.integer({ min: 0, max: 255 }),
            fc.constantFrom(
              0x28,
              0x2e,
              0x30,
              0x31,
              0x32,
              0x94,
              0x95,
              0x68,
              0x71,
              0x90,
              0x91,
              0x93,
              0x52,
              0x61,
              0x65,
              0x73,
              0x75,
              0x8f,
            ),
          ),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([v, p, edits]) => {
      const b = [...dumps(v, p)];
      for (const [kind, at, byte] of edits) {
        const i = b.length === 0 ? 0 : at % b.length;
        if (kind === 'set') b[i] = byte;
        else if (kind === 'insert') b.splice(i, 0, byte);
        else if (kind === 'delete') b.splice(i, 1);
        else b.length = i;
      }
      return Buffer.from(b);
    });
}

/** loads(b) returns a value or throws an UnpicklingError, nothing else. */
function loadsOrUnpicklingError(b: Buffer): boolean {
  try {
    loads(b);
    return true;
  } catch (e) {
    if (e instanceof UnpicklingError) return true;
    throw e;
  }
}

describe('pickle (property-based)', () => {
  it(
    'round-trips any value in every protocol: loads(dumps(v)) is v',
    () => {
      fc.assert(
        fc.property(values({ pyOrder: false }), protocol, (v, p) => {
          expect(canon(loads(dumps(v, p)))).toEqual(canon(v));
        }),
        params(runs(300, 20_000)),
      );
    },
    TIMEOUT,
  );

  it(
    'writes what CPython writes: CPython loading and dumping again gives the same bytes',
    () => {
      const cases = fc.sample(fc.tuple(values({ pyOrder: true }), protocol), params(runs(150, 5_000)));
      const ours = cases.map(([v, p]) => dumps(v, p));
      const theirs = cpython<unknown[]>(
        'redump',
        ours.map((b, i) => [b.toString('hex'), (cases[i] as [unknown, number])[1]]),
      );
      const diffs = theirs
        .map((o, i) => ({ o, mine: (ours[i] as Buffer).toString('hex'), p: (cases[i] as [unknown, number])[1] }))
        .filter(({ o, mine }) => !(o as unknown[])[0] || (o as unknown[])[1] !== mine);
      expect(diffs.slice(0, 3)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'never crashes on random bytes: a value or an UnpicklingError',
    () => {
      const opcodeBiased = fc.array(
        fc.oneof(
          fc.integer({ min: 0, max: 255 }),
          fc.constantFrom(
            ...Buffer.from('()]}.0128aeuhjqrgpKMJNGXC\x80\x8c\x94\x95\x8f\x90\x91\x85\x86\x87tlds', 'latin1'),
          ),
        ),
        { maxLength: 64 },
      );
      fc.assert(
        fc.property(opcodeBiased, (bytes) => loadsOrUnpicklingError(Buffer.from(bytes))),
        params(runs(2_000, 200_000)),
      );
    },
    TIMEOUT,
  );

  it(
    'never crashes on damaged pickles: a value or an UnpicklingError',
    () => {
      fc.assert(fc.property(mutated(), loadsOrUnpicklingError), params(runs(1_000, 100_000)));
    },
    TIMEOUT,
  );

  it(
    'accepts and refuses damaged pickles as CPython does, to the same values',
    () => {
      const inputs = fc.sample(mutated(), params(runs(400, 20_000)));
      const theirs = cpython<unknown[][]>(
        'loads',
        inputs.map((b) => b.toString('hex')),
      );
      const disagreements = inputs
        .map((b, i) => ({ hex: b.toString('hex'), ours: outcomeOf(() => loads(b)), theirs: theirs[i] as unknown[] }))
        .filter(({ ours, theirs: py, hex }) => !agree(ours, py, Buffer.from(hex, 'hex')));
      expect(disagreements.slice(0, 3)).toEqual([]);
    },
    TIMEOUT,
  );
});

/**
 * Whether pipefork's outcome agrees with CPython's (loads restricted as
 * pipefork's is, test/pickle/helper.py). Where they may differ by design:
 * pipefork refuses what CPython would build from a name or accept on other
 * types (item assignment on a list or bytearray, extend on a bytearray);
 * CPython fails to allocate what a hand-made memo index asks for; CPython's
 * sets and dicts merge keys JS keeps apart (True and 1, equal tuples).
 */
function agree(ours: unknown[], theirs: unknown[], input: Buffer): boolean {
  if (theirs[0] === 'deep') return true;
  if (ours[0] === 'raise' && theirs[0] === 'raise') return true;
  if (ours[0] === 'raise') {
    const m = String(ours[2]);
    return /forbidden|does not support item assignment|'bytes' object has no attribute/.test(m);
  }
  if (theirs[0] === 'raise') return ['MemoryError', 'OverflowError'].includes(String(theirs[1]));
  if (JSON.stringify(ours[1]) === JSON.stringify(theirs[1])) return true;
  return mergesKeys(loads(input));
}

/** Does the value hold a Set or Map with two items CPython would take as one? */
function mergesKeys(v: unknown, seen = new Set<unknown>()): boolean {
  if (typeof v !== 'object' || v === null || seen.has(v) || ArrayBuffer.isView(v)) return false;
  seen.add(v);
  const pyKey = (k: unknown) => asciiJson(canon(k === true ? 1 : k === false ? 0 : k));
  if (v instanceof Set || v instanceof Map) {
    const keys = [...v.keys()].map(pyKey);
    if (new Set(keys).size !== keys.length) return true;
    const inner = v instanceof Map ? [...v.keys(), ...v.values()] : [...v];
    return inner.some((x) => mergesKeys(x, seen));
  }
  return Object.values(v).some((x) => mergesKeys(x, seen));
}
