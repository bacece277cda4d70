// surrogateescape on a decoding error whose bytes include one below 128 (a
// UTF-16 error range can: a high surrogate, then a truncated unit): CPython
// escapes the bytes before it, at most 4, and decodes on from there. Found
// by test/io/text-io-wrapper.decoder.fuzz.test.ts, where pipefork raised
// UnicodeDecodeError instead.
import { describe, expect, it } from 'vitest';
import { io } from '../../lib/index.js';
import { runCases } from '../helpers/scenario.js';

function decode(hex: string, encoding: string): () => unknown {
  return () => {
    const t = new io.TextIOWrapper(new io.BytesIO(Buffer.from(hex, 'hex')), encoding, 'surrogateescape', '');
    return [...t.read()].map((c) => c.codePointAt(0));
  };
}

describe("decoding with errors='surrogateescape'", () => {
  it('escapes the leading bytes of a UTF-16 or UTF-32 error range up to one below 128, then decodes on, as CPython', () => {
    const cases: [string, string][] = [
      ['da49de', 'utf-16-be'], // high surrogate DA49, then one byte: '\udcda' + U+49DE
      ['49dade', 'utf-16-le'],
      ['d9d8dfbd000dda11de00da49de', 'utf-16-be'],
      ['dada', 'utf-16-be'], // a lone high surrogate at the end: both bytes escaped
      ['00d8', 'utf-16-le'], // its first byte is below 128: CPython raises
      ['ffd8ff', 'utf-16-le'],
      // UTF-32 too: escape what comes before the byte below 128, decode on from there.
      ['ffffffff61000000', 'utf-32-le'],
      ['da4900de00', 'utf-32-le'],
      ['ff61', 'utf-32-le'],
      ['ffff', 'utf-32-be'],
    ];
    const { python, pipefork } = runCases(
      cases.map(([hex, enc]) => [
        `[ord(c) for c in io.TextIOWrapper(io.BytesIO(bytes.fromhex('${hex}')), '${enc}', 'surrogateescape', '').read()]`,
        decode(hex, enc),
      ]),
      'import io',
    );
    expect(pipefork).toEqual(python);
    expect(python[0]).toEqual(['ok', [0xdcda, 0x49de]]);
  });
});
