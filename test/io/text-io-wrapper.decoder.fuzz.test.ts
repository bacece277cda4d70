// TextIOWrapper's decoding, property-based (fast-check): random byte
// streams (valid text of random characters, broken by random bytes) for
// every codec pipefork has and every decoding error handler, delivered by a
// raw stream in random pieces through a BufferedReader of a random size, and
// read by a random mix of read(n), readline() and read(). The text must not
// depend on where the stream was cut; it must be what Node's TextDecoder
// gives where the two agree on the rules (UTF-8, UTF-16-LE/BE, 'strict' and
// 'replace'); and read by read and by read, line by line, it must be what
// CPython's io.TextIOWrapper gives for the same pieces and calls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { io } from '../../lib/index.js';
import { announceSeed, cpythonBatch, params, runs, TIMEOUT } from '../helpers/fuzz.js';

announceSeed('TextIOWrapper decoder');

const CODECS = [
  'utf-8',
  'latin-1',
  'ascii',
  'utf-16',
  'utf-16-le',
  'utf-16-be',
  'utf-32',
  'utf-32-le',
  'utf-32-be',
] as const;
const HANDLERS = ['strict', 'replace', 'ignore', 'surrogateescape', 'backslashreplace'] as const;
const NEWLINES = [null, '', '\n', '\r', '\r\n'] as const;

type Op = ['read', number] | ['readline', number] | ['read1', number];

interface Case {
  codec: (typeof CODECS)[number];
  errors: (typeof HANDLERS)[number];
  newline: (typeof NEWLINES)[number];
  data: number[];
  pieces: number[];
  bufferSize: number;
  ops: Op[];
}

/** Text of any characters, newlines of each kind among them. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\n', '\r', '\r\n', 'a', 'é', '€', '😀', '\u2028'),
    fc.integer({ min: 0, max: 0x10ffff }).map((c) => (c >= 0xd800 && c <= 0xdfff ? 'x' : String.fromCodePoint(c))),
  ),
  maxLength: 40,
});

/** Bytes that are mostly valid text in the codec, with random bytes put in, cut off or dropped. */
function stream(codec: Case['codec']) {
  const encode = (s: string): number[] => {
    if (codec === 'latin-1') return [...s].map((c) => (c.codePointAt(0) as number) & 0xff);
    if (codec === 'ascii') return [...s].map((c) => (c.codePointAt(0) as number) & 0xff);
    if (codec === 'utf-8') return [...Buffer.from(s, 'utf8')];
    if (codec.startsWith('utf-32')) {
      const out: number[] = codec === 'utf-32' ? [0xff, 0xfe, 0, 0] : [];
      for (const ch of s) {
        const c = ch.codePointAt(0) as number;
        const le = [c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff, 0];
        out.push(...(codec === 'utf-32-be' ? le.reverse() : le));
      }
      return out;
    }
    const le = [...Buffer.from(s, 'utf16le')];
    if (codec === 'utf-16-le') return le;
    const be: number[] = [];
    for (let i = 0; i + 1 < le.length; i += 2) be.push(le[i + 1] as number, le[i] as number);
    if (codec === 'utf-16-be') return be;
    return [0xff, 0xfe, ...le]; // utf-16 with its BOM
  };
  return fc
    .tuple(
      text,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('insert', 'set', 'delete')), {
        maxLength: 3,
      }),
      fc.boolean(),
    )
    .map(([s, edits, cut]) => {
      const b = encode(s);
      for (const [at, byte, kind] of edits) {
        const i = b.length === 0 ? 0 : at % b.length;
        if (kind === 'insert') b.splice(i, 0, byte);
        else if (kind === 'set' && b.length > 0) b[i] = byte;
        else b.splice(i, 1);
      }
      if (cut && b.length > 0) b.length -= 1;
      return b;
    });
}

function cases(
  codecs: readonly Case['codec'][] = CODECS,
  handlers: readonly Case['errors'][] = HANDLERS,
  newlines: readonly Case['newline'][] = NEWLINES,
): fc.Arbitrary<Case> {
  return fc.constantFrom(...codecs).chain((codec) =>
    fc.record({
      codec: fc.constant(codec),
      errors: fc.constantFrom(...handlers),
      newline: fc.constantFrom(...newlines),
      data: stream(codec),
      pieces: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
      bufferSize: fc.integer({ min: 1, max: 20 }),
      ops: fc.array(
        fc.oneof(
          fc.tuple(fc.constant('read' as const), fc.integer({ min: -1, max: 12 })),
          fc.tuple(fc.constant('readline' as const), fc.integer({ min: -1, max: 12 })),
        ),
        { maxLength: 6 },
      ),
    }),
  );
}
const caseArb = cases();

/** A raw stream of a program's own that gives data back in pieces of the given sizes, in turn. */
class Pieces extends io.RawIOBase {
  private at = 0;
  private turn = 0;
  constructor(
    private readonly data: Uint8Array,
    private readonly pieces: number[],
  ) {
    super();
  }
  override readable(): boolean {
    return true;
  }
  override readinto(b: Uint8Array): number {
    const piece = this.pieces[this.turn++ % this.pieces.length] as number;
    const n = Math.min(b.length, piece, this.data.length - this.at);
    b.set(this.data.subarray(this.at, this.at + n));
    this.at += n;
    return n;
  }
}

type Outcome = ['ok', string[]] | ['raise', string];

/** The case's reads, then read() to EOF: what each returned, or the class of what it raised. */
function runCase(c: Case, pieces = c.pieces, bufferSize = c.bufferSize, ops = c.ops): Outcome {
  const raw = new Pieces(Uint8Array.from(c.data), pieces);
  const t = new io.TextIOWrapper(new io.BufferedReader(raw, bufferSize), c.codec, c.errors, c.newline);
  const out: string[] = [];
  try {
    for (const [op, n] of ops) out.push(op === 'read' ? t.read(n) : t.readline(n));
    out.push(t.read());
    return ['ok', out];
  } catch (e) {
    return ['raise', (e as Error).constructor.name];
  }
}

/**
 * What Node's TextDecoder gives, for the codecs and handlers whose rules are
 * Python's (its 'latin1' and 'ascii' are windows-1252, and it has no other
 * handlers), without newline translation.
 */
function textDecoder(c: Case): Outcome {
  const names: Record<string, string> = { 'utf-8': 'utf-8', 'utf-16-le': 'utf-16le', 'utf-16-be': 'utf-16be' };
  const name = names[c.codec] as string;
  try {
    const s = new TextDecoder(name, { fatal: c.errors === 'strict', ignoreBOM: true }).decode(Uint8Array.from(c.data));
    return ['ok', [s]];
  } catch {
    return ['raise', 'UnicodeDecodeError'];
  }
}

const joined = (o: Outcome): Outcome => (o[0] === 'ok' ? ['ok', [o[1].join('')]] : o);
/**
 * joined, with any exception alike: which one depends on the cutting in
 * CPython too ('utf-16' without a BOM is UnicodeError once two bytes were
 * decoded, UnicodeDecodeError for a truncated stream read whole).
 */
const textOrRaise = (o: Outcome): unknown => (o[0] === 'ok' ? joined(o) : 'raise');

const CPYTHON = `
import io, json, sys
class Pieces(io.RawIOBase):
    def __init__(self, data, pieces):
        self.data, self.pieces, self.at, self.turn = data, pieces, 0, 0
    def readable(self): return True
    def readinto(self, b):
        n = min(len(b), self.pieces[self.turn % len(self.pieces)], len(self.data) - self.at)
        self.turn += 1
        b[:n] = self.data[self.at:self.at + n]
        self.at += n
        return n
out = []
for c in json.load(sys.stdin):
    t = io.TextIOWrapper(io.BufferedReader(Pieces(bytes(c['data']), c['pieces']), c['bufferSize']),
                         c['codec'], c['errors'], c['newline'])
    res = []
    try:
        for op, n in c['ops']:
            res.append(t.read(n) if op == 'read' else t.readline(n))
        res.append(t.read())
        out.append(['ok', res])
    except Exception as e:
        out.append(['raise', type(e).__name__])
print(json.dumps(out))
`;

describe('TextIOWrapper decoding (property-based)', () => {
  it(
    'the text does not depend on where the stream is cut, nor on the buffer size',
    () => {
      fc.assert(
        fc.property(caseArb, fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), (c, other) => {
          // Read whole (one piece, a big buffer, read() alone) and cut at random: the same text, or both raise.
          const whole = textOrRaise(runCase(c, [1 << 20], 1 << 16, []));
          expect(textOrRaise(runCase(c))).toEqual(whole);
          expect(textOrRaise(runCase(c, other, 7))).toEqual(whole);
        }),
        params(runs(400, 30_000)),
      );
    },
    TIMEOUT,
  );

  it(
    "is what Node's TextDecoder gives for UTF-8 and UTF-16-LE/BE, 'strict' and 'replace'",
    () => {
      fc.assert(
        fc.property(cases(['utf-8', 'utf-16-le', 'utf-16-be'], ['strict', 'replace'], ['']), (c) => {
          expect(joined(runCase(c))).toEqual(textDecoder(c));
        }),
        params(runs(400, 30_000)),
      );
    },
    TIMEOUT,
  );

  it(
    "is what CPython's TextIOWrapper gives, call by call, for the same pieces, buffer size and calls",
    () => {
      const cases = fc.sample(caseArb, params(runs(400, 20_000)));
      const theirs = cpythonBatch<Outcome[]>(CPYTHON, cases);
      const diffs = cases
        .map((c, i) => ({ case: c, pipefork: runCase(c), cpython: theirs[i] }))
        .filter((d) => JSON.stringify(d.pipefork) !== JSON.stringify(d.cpython));
      expect(diffs.slice(0, 3)).toEqual([]);
    },
    TIMEOUT,
  );
});
