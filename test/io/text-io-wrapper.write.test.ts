// TextIOWrapper.write resets the decoder, as _pyio and textio.c do; each
// scenario runs in python3 too.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { outcome, PY_OUTCOME, py, pythonJson } from '../helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'pipefork-text-fixes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (h: string) => Buffer.from(h, 'hex');

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

describe('TextIOWrapper.write resets the decoder (as _pyio and textio.c do)', () => {
  it("clears newlines after a write on an 'r+' file", () => {
    const ours: unknown[] = [];
    for (const newline of [null, '']) {
      const path = join(dir, `js-rplus-${newline === null ? 'none' : 'empty'}.txt`);
      writeFileSync(path, 'a\r\nb\rc\n');
      const f = io.open(path, 'r+', { newline });
      try {
        ours.push(
          detail(() => f.readline()),
          detail(() => f.newlines),
          detail(() => f.write('Z')),
          f.newlines,
        );
      } finally {
        f.close();
      }
      ours.push(readFileSync(path).toString('hex'));
    }
    const theirs = pythonJson(`${PY_DETAIL}
out = []
for newline in [None, '']:
    path = ${py(join(dir, 'py-rplus.txt'))}
    open(path, 'wb').write(b'a\\r\\nb\\rc\\n')
    f = io.open(path, 'r+', newline=newline)
    out += [detail(f.readline), detail(lambda: f.newlines), detail(lambda: f.write('Z')), f.newlines]
    f.close()
    out.append(open(path, 'rb').read().hex())
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
    expect(ours[3]).toBeNull();
  });

  it("drops a partial character and a held-back '\\r' the decoder had (BufferedRWPair over two pipes)", () => {
    const ours: unknown[] = [];
    for (const [first, rest, newline] of [
      ['61c3', 'a90a', ''],
      ['61c3', 'a9', ''],
      ['610d', '0a620a', null],
    ] as const) {
      const [r1, w1] = os.pipe();
      const [r2, w2] = os.pipe();
      os.write(w1, hex(first));
      const t = new io.TextIOWrapper(new io.BufferedRWPair(new io.FileIO(r1, 'r'), new io.FileIO(w2, 'w')), {
        newline,
      });
      try {
        ours.push(
          detail(() => t.fileno()),
          detail(() => t.read(1)),
          detail(() => t.write('Z')),
          detail(() => t.flush()),
        );
        os.write(w1, hex(rest));
        os.close(w1);
        ours.push(
          detail(() => t.read()),
          detail(() => t.newlines),
          detail(() => t.read()),
        );
      } finally {
        t.close();
      }
      ours.push(os.read(r2, 10).toString('hex'));
      os.close(r2);
    }
    const theirs = pythonJson(`${PY_DETAIL}
out = []
for first, rest, newline in [('61c3', 'a90a', ''), ('61c3', 'a9', ''), ('610d', '0a620a', None)]:
    r1, w1 = os.pipe(); r2, w2 = os.pipe()
    os.write(w1, bytes.fromhex(first))
    t = io.TextIOWrapper(io.BufferedRWPair(io.FileIO(r1, 'r'), io.FileIO(w2, 'w')), newline=newline)
    out += [detail(t.fileno), detail(lambda: t.read(1)), detail(lambda: t.write('Z')), detail(t.flush)]
    os.write(w1, bytes.fromhex(rest)); os.close(w1)
    out += [detail(t.read), detail(lambda: t.newlines), detail(t.read)]
    t.close()
    out.append(os.read(r2, 10).hex()); os.close(r2)
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
    expect((ours[4] as unknown[])[1]).toBe('UnicodeDecodeError');
  });
});
