// The error handlers beyond strict/replace/ignore that TextIOWrapper takes:
// surrogateescape, backslashreplace and xmlcharrefreplace, decoding and
// encoding, for every codec pipefork has, against python3 (including where
// CPython's handler itself gives up: surrogateescape on a byte below 128 or
// in UTF-16, xmlcharrefreplace on decoding).
import { describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { leakedSince, openFds } from '../helpers/leaks.js';
import { outcome, PY_OUTCOME, py, pythonJson } from '../helpers/python.js';

const CODECS = ['utf-8', 'latin-1', 'ascii', 'utf-16-le', 'utf-16-be'];
const HANDLERS = ['surrogateescape', 'backslashreplace', 'xmlcharrefreplace', 'namereplace'];
const INPUTS = ['61ff c362', '61 80 62', '6100 00dc', '6100 00d8 62', 'c3a9 e282ac f09f9880', '00 61'].map((h) =>
  h.replace(/ /g, ''),
);
const TEXTS = ['a\udc80b', 'a\udc41b', 'é\udc80', 'aé€😀\udc80', 'plain'];

/** Decodes hex through a text file on a pipe. */
function decode(hex: string, encoding: string, errors: string): string {
  const [r, w] = os.pipe();
  os.write(w, Buffer.from(hex, 'hex'));
  os.close(w);
  const f = io.open(r, 'r', { encoding, errors }) as io.TextIOWrapper;
  try {
    return f.read();
  } finally {
    f.close();
  }
}

/** Encodes text through a text file on a pipe; the bytes as hex. */
function encode(text: string, encoding: string, errors: string): string {
  const [r, w] = os.pipe();
  const f = io.open(w, 'w', { encoding, errors }) as io.TextIOWrapper;
  try {
    f.write(text);
    f.flush();
    os.close(w);
    return os.read(r, 1000).toString('hex');
  } finally {
    try {
      f.close();
    } catch {
      // the fd is already closed when the flush went through
    }
    os.close(r);
  }
}

describe('error handlers', () => {
  it('decode as CPython does, per codec and handler', () => {
    const before = openFds();
    const cases = CODECS.flatMap((c) => HANDLERS.flatMap((h) => INPUTS.map((x) => [x, c, h] as const)));
    const theirs = pythonJson<unknown[]>(`${PY_OUTCOME}
import io
def dec(x, c, h):
    r, w = os.pipe(); os.write(w, bytes.fromhex(x)); os.close(w)
    with io.open(r, 'r', encoding=c, errors=h) as f:
        return f.read()
print(json.dumps([outcome(lambda: dec(*a)) for a in ${py(cases)}]))`);
    const ours = cases.map(([x, c, h]) => outcome(() => decode(x, c, h)));
    // namereplace is the one handler pipefork lacks (docs/io.md): LookupError where CPython has TypeError.
    const label = (o: unknown[]) => cases.map(([x, c, h], i) => [c, h, x, h === 'namereplace' ? null : o[i]]);
    expect(label(ours)).toEqual(label(theirs));
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  });

  it('encode as CPython does, per codec and handler', () => {
    const before = openFds();
    const cases = CODECS.flatMap((c) => HANDLERS.slice(0, 3).flatMap((h) => TEXTS.map((t) => [t, c, h] as const)));
    const theirs = pythonJson<unknown[]>(`${PY_OUTCOME}
import io
def enc(t, c, h):
    r, w = os.pipe()
    f = io.open(w, 'w', encoding=c, errors=h)
    try:
        f.write(t); f.flush(); os.close(w)
        return os.read(r, 1000).hex()
    finally:
        try: f.close()
        except OSError: pass
        os.close(r)
print(json.dumps([outcome(lambda: enc(*a)) for a in ${py(cases)}]))`);
    const ours = cases.map(([t, c, h]) => outcome(() => encode(t, c, h)));
    const label = (o: unknown[]) => cases.map(([t, c, h], i) => [c, h, t, o[i]]);
    expect(label(ours)).toEqual(label(theirs));
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  });
});
