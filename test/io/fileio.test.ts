// FileIO (buffering=0), against CPython.
import { rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { io, type OSError, os, RuntimeError, ValueError } from '../../lib/index.js';
import { enc, piecesPipe, pythonPieces, reaped } from '../fixtures/io-util.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

describe('FileIO', () => {
  it('read(n) is one read(2): it returns what the first write gave (unlike BufferedReader)', async () => {
    const pieces = ['ab', 'cd', 'ef\ngh\n'];
    const { fd, child } = piecesPipe(pieces);
    let ours: unknown[];
    try {
      using f = os.fdopen(fd, 'rb', 0);
      ours = [f.read(4), f.read(4), f.readline(), f.readall(), f.read(4)];
    } finally {
      await reaped(child);
    }
    const theirs = pythonPieces(
      pieces,
      'rb',
      '0',
      'out += [f.read(4), f.read(4), f.readline(), f.readall(), f.read(4)]',
    );
    expect(enc(ours)).toEqual(theirs);
  });

  it('readinto is one read(2) too; a non-blocking fd with no data gives null', () => {
    const [r, w] = os.pipe();
    os.set_blocking(r, false);
    const f = os.fdopen(r, 'rb', 0);
    try {
      const b = Buffer.alloc(8);
      expect(f.readinto(b)).toBe(null);
      expect(f.read(3)).toBe(null);
      expect(f.readall()).toBe(null);
      os.write(w, Buffer.from('xyz'));
      expect(f.readinto(b)).toBe(3);
      expect(b.subarray(0, 3).toString()).toBe('xyz');
    } finally {
      f.close();
      os.close(w);
    }
  });
});

describe('FileIO.readall on a write-only fd', () => {
  it('is read(2) and its EBADF, as CPython (read(n) is the mode error)', () => {
    const want = pythonJson<unknown[]>(`${PY_OUTCOME}
r, w = os.pipe()
f = os.fdopen(w, 'wb', 0)
print(json.dumps([outcome(f.readall), outcome(lambda: f.read(1))]))
f.close(); os.close(r)`);
    const [r, w] = os.pipe();
    const f = os.fdopen(w, 'wb', 0);
    try {
      expect([outcome(() => f.readall()), outcome(() => f.read(1))]).toEqual(want);
    } finally {
      f.close();
      os.close(r);
    }
  });
});

describe('FileIO with a bytes path', () => {
  it('stays bytes in name, repr() and the error, as CPython keeps it', () => {
    const path = `/tmp/pipefork-bytes-name-${process.pid}`;
    writeFileSync(path, 'x');
    let ours: unknown[];
    try {
      const b = io.open(Buffer.from(path), 'rb');
      const t = io.open(Buffer.from(path), 'r');
      ours = [Buffer.isBuffer(b.name), String(b), String(t), String(b.raw)];
      b.close();
      t.close();
      ours.push(outcome(() => io.open(Buffer.from(`${path}-missing`), 'rb')));
    } finally {
      rmSync(path, { force: true });
    }
    writeFileSync(path, 'x');
    let theirs: unknown[];
    try {
      theirs = pythonJson(`${PY_OUTCOME}
import io
p = ${JSON.stringify(path)}.encode()
b = io.open(p, 'rb'); t = io.open(p, 'r')
out = [isinstance(b.name, bytes), repr(b), repr(t), repr(b.raw)]
b.close(); t.close()
out.append(outcome(lambda: io.open(p + b'-missing', 'rb')))
print(json.dumps(out))`);
    } finally {
      rmSync(path, { force: true });
    }
    expect(ours).toEqual(theirs);
  });
});

describe('FileIO.close()', () => {
  it("calls flush() first, a subclass's own too, and closes the fd even when it raises, as CPython", () => {
    const want = pythonJson<unknown[]>(`
import io, json, os
out = []
class Logged(io.FileIO):
    def flush(self):
        out.append(['flush', self.closed])
        super().flush()
class Failing(io.FileIO):
    def flush(self):
        raise ValueError('flush failed')
r, w = os.pipe()
f = Logged(w, 'wb'); f.close(); out.append(['closed', f.closed]); f.close(); out.append(['again'])
g = Failing(r, 'rb')
try: g.close()
except ValueError as e: out.append(['raised', str(e), g.closed])
try: os.fstat(r)
except OSError as e: out.append(['fd', e.errno])
print(json.dumps(out))`);
    const out: unknown[] = [];
    class Logged extends io.FileIO {
      override flush(): void {
        out.push(['flush', this.closed]);
        super.flush();
      }
    }
    class Failing extends io.FileIO {
      override flush(): void {
        throw new ValueError('flush failed');
      }
    }
    const [r, w] = os.pipe();
    const f = new Logged(w, 'wb');
    f.close();
    out.push(['closed', f.closed]);
    f.close();
    out.push(['again']);
    const g = new Failing(r, 'rb');
    try {
      g.close();
    } catch (e) {
      out.push(['raised', (e as Error).message, g.closed]);
    }
    try {
      os.fstat(r);
    } catch (e) {
      out.push(['fd', (e as OSError).errno]);
    }
    expect(out).toEqual(want);
  });
});

describe('FileIO repr', () => {
  it('shows the fd when the name was deleted; a name that shows the file itself is a RuntimeError', () => {
    const want = pythonJson<string[]>(`
import io, json, os
r, w = os.pipe()
f = io.FileIO(r, 'rb'); out = [repr(f)]
del f.name; out.append(repr(f).replace(str(r), 'R'))
class My(io.FileIO): pass
g = My(w, 'wb', closefd=False); g.name = g
try: repr(g)
except RuntimeError as e: out.append(str(e))
g.name = 'x'; out.append(repr(g))
f.close(); out.append(repr(f)); os.close(w)
print(json.dumps([out[0].replace(str(r), 'R')] + out[1:]))`);
    const [r, w] = os.pipe();
    const f = io.FileIO(r, 'rb');
    const out = [String(f).replace(String(r), 'R')];
    delete (f as { name?: unknown }).name;
    out.push(String(f).replace(String(r), 'R'));
    class My extends io.FileIO {}
    const g = new My(w, 'wb', false);
    (g as { name: unknown }).name = g;
    try {
      String(g);
    } catch (e) {
      expect(e).toBeInstanceOf(RuntimeError);
      out.push((e as Error).message);
    }
    (g as { name: unknown }).name = 'x';
    out.push(String(g));
    f.close();
    out.push(String(f));
    os.close(w);
    expect(out).toEqual(want);
  });
});
