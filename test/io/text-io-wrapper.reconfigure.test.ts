// TextIOWrapper.reconfigure: what it may change and when, as CPython 3.11.
import { describe, expect, it } from 'vitest';
import { os } from '../../lib/index.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

/** outcome() plus what a UnicodeError carries: start, end, object (bytes as hex) and reason. */
function detail(f: () => unknown): unknown[] {
  let err: (Error & { start?: number; end?: number; object?: unknown; reason?: string }) | undefined;
  const r = outcome(() => {
    try {
      const v = f();
      return v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v;
    } catch (e) {
      err = e as typeof err;
      throw e;
    }
  });
  if (r[0] === 'ok') return r;
  const obj = err?.object instanceof Uint8Array ? Buffer.from(err.object).toString('hex') : (err?.object ?? null);
  return [...r.slice(0, 3), err?.start ?? null, err?.end ?? null, obj, err?.reason ?? null];
}

/** The same in Python. */
const PY_DETAIL = `${PY_OUTCOME}
import io
def detail(f):
    try:
        v = f()
        return ["ok", v.hex() if isinstance(v, (bytes, bytearray)) else v]
    except BaseException as e:
        obj = getattr(e, "object", None)
        if isinstance(obj, (bytes, bytearray)): obj = obj.hex()
        return ["raise", type(e).__name__, str(e), getattr(e, "start", None), getattr(e, "end", None), obj,
                getattr(e, "reason", None)]
`;

/** A pipe already holding `data`, its write end closed: reads never block. */
function filledPipe(...chunks: Buffer[]): number {
  const [r, w] = os.pipe();
  try {
    for (const c of chunks) os.write(w, c);
  } catch (e) {
    os.close(r);
    throw e;
  } finally {
    os.close(w);
  }
  return r;
}

describe('TextIOWrapper.reconfigure', () => {
  it('changes what it is given, keywords only, and refuses encoding/newline changes after a read, as CPython', () => {
    const [r, w] = os.pipe();
    const rf = os.fdopen(r, 'r');
    const wf = os.fdopen(w, 'w');
    const re = (f: unknown, ...a: unknown[]) => (f as { reconfigure(...x: unknown[]): unknown }).reconfigure(...a);
    let ours: unknown[];
    try {
      ours = [
        detail(() => re(wf, { line_buffering: true })),
        detail(() => wf.line_buffering),
        detail(() => re(wf, { write_through: 1 })),
        detail(() => wf.write_through),
        detail(() => re(wf, { encoding: 'latin-1' })),
        detail(() => [wf.encoding, wf.errors]),
        detail(() => re(wf, { errors: 'replace' })),
        detail(() => [wf.encoding, wf.errors]),
        detail(() => re(wf, { newline: '\r\n' })),
        detail(() => wf.write('a\né\u20ac')),
        detail(() => wf.flush()),
        detail(() => rf.read(1)),
        detail(() => re(rf, { encoding: 'utf-8' })),
        detail(() => re(rf, { newline: '' })),
        detail(() => re(rf, { line_buffering: false })),
        detail(() => re(wf, 1)),
        detail(() => re(wf, { encoding: 1 })),
        detail(() => re(wf, { newline: 'x' })),
        detail(() => re(wf, { bogus: 1 })),
        detail(() => re(wf, { line_buffering: 'x' })),
        detail(() => re(wf, { encoding: 'nope' })),
      ];
    } finally {
      wf.close();
    }
    try {
      ours.push(detail(() => rf.read()));
    } finally {
      rf.close();
    }
    const theirs = pythonJson(`${PY_DETAIL}
r, w = os.pipe()
rf = os.fdopen(r, 'r'); wf = os.fdopen(w, 'w')
out = [detail(lambda: wf.reconfigure(line_buffering=True)), detail(lambda: wf.line_buffering),
  detail(lambda: wf.reconfigure(write_through=1)), detail(lambda: wf.write_through),
  detail(lambda: wf.reconfigure(encoding='latin-1')), detail(lambda: [wf.encoding, wf.errors]),
  detail(lambda: wf.reconfigure(errors='replace')), detail(lambda: [wf.encoding, wf.errors]),
  detail(lambda: wf.reconfigure(newline='\\r\\n')), detail(lambda: wf.write('a\\né\\u20ac')), detail(lambda: wf.flush()),
  detail(lambda: rf.read(1)), detail(lambda: rf.reconfigure(encoding='utf-8')), detail(lambda: rf.reconfigure(newline='')),
  detail(lambda: rf.reconfigure(line_buffering=False)), detail(lambda: wf.reconfigure(1)),
  detail(lambda: wf.reconfigure(encoding=1)), detail(lambda: wf.reconfigure(newline='x')),
  detail(lambda: wf.reconfigure(bogus=1)), detail(lambda: wf.reconfigure(line_buffering='x')),
  detail(lambda: wf.reconfigure(encoding='nope'))]
wf.close()
out.append(detail(lambda: rf.read()))
rf.close()
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
  });

  it('after a read that holds decoded text, only line_buffering and write_through may change', () => {
    const f = os.fdopen(filledPipe(Buffer.from('abc\ndef\n')), 'r');
    const re = (...a: unknown[]) => (f as unknown as { reconfigure(...x: unknown[]): unknown }).reconfigure(...a);
    let ours: unknown[];
    try {
      ours = [
        detail(() => f.read(1)),
        detail(() => re({ encoding: 'latin-1' })),
        detail(() => re({ errors: 'replace' })),
        detail(() => re({ newline: null })),
        detail(() => re({ newline: 'x' })),
        detail(() => re({ line_buffering: true })),
        detail(() => f.read()),
        detail(() => re({ encoding: 'latin-1' })),
        detail(() => f.encoding),
      ];
    } finally {
      f.close();
    }
    const theirs = pythonJson(`${PY_DETAIL}
r, w = os.pipe(); os.write(w, b'abc\\ndef\\n'); os.close(w)
f = os.fdopen(r, 'r')
out = [detail(lambda: f.read(1)), detail(lambda: f.reconfigure(encoding='latin-1')), detail(lambda: f.reconfigure(errors='replace')),
  detail(lambda: f.reconfigure(newline=None)), detail(lambda: f.reconfigure(newline='x')),
  detail(lambda: f.reconfigure(line_buffering=True)), detail(lambda: f.read()),
  detail(lambda: f.reconfigure(encoding='latin-1')), detail(lambda: f.encoding)]
f.close()
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
    expect((ours[1] as unknown[])[1]).toBe('UnsupportedOperation');
  });
});
