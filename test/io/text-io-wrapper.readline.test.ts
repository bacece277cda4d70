// TextIOWrapper.readline and its limits, against python3: readline(0) reads
// nothing once held text is used up, a '\r' at the end does not count toward
// a readline limit with newline='\r\n', readline takes an int only; also
// reconfigure's new decoder, repr and newlines after detach(), writelines'
// error, encoding names as codecs.lookup normalizes them, and the attributes
// CPython keeps read-only or checked. Every pipe is read only where data or
// EOF is there, or non-blocking.
import { describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { leakedSince, openFds } from '../helpers/leaks.js';
import { asPipefork, outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';
import { runBoth, type Step } from '../helpers/scenario.js';

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

const B = (s: string) => Buffer.from(s, 'utf8');

describe('TextIOWrapper.readline, and newlines after detach', () => {
  it('TextIOWrapper.readline takes an int only: None is a TypeError there, as in CPython (read(None) is fine)', () => {
    const f = os.fdopen(filledPipe(Buffer.from('ab\ncd\n')), 'r');
    let ours: unknown[];
    try {
      ours = [
        detail(() => f.readline(null as unknown as number)),
        detail(() => f.readline(1.5)),
        detail(() => f.readline('2' as unknown as number)),
        detail(() => f.readline()),
        detail(() => f.read(null)),
      ];
    } finally {
      f.close();
    }
    const theirs = pythonJson(`${PY_DETAIL}
r, w = os.pipe(); os.write(w, b'ab\\ncd\\n'); os.close(w)
with os.fdopen(r, 'r') as f:
    out = [detail(lambda: f.readline(None)), detail(lambda: f.readline(1.5)), detail(lambda: f.readline('2')),
           detail(lambda: f.readline()), detail(lambda: f.read(None))]
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
    expect((ours[0] as unknown[]).slice(0, 3)).toEqual([
      'raise',
      'TypeError',
      "'NoneType' object cannot be interpreted as an integer",
    ]);
  });

  it("a detached TextIOWrapper's newlines raises ValueError", () => {
    const [r, w] = os.pipe();
    os.close(w); // EOF, so a readline(0) that a regression let through cannot block
    const f = os.fdopen(r, 'r');
    const b = f.detach();
    const ours = [detail(() => f.newlines), detail(() => f.encoding), detail(() => f.readline(0))];
    b.close();
    const theirs = pythonJson(`${PY_DETAIL}
r, w = os.pipe()
os.close(w)
f = os.fdopen(r, 'r')
b = f.detach()
out = [detail(lambda: f.newlines), detail(lambda: f.encoding), detail(lambda: f.readline(0))]
b.close()
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
    expect(ours[0]).toEqual(['raise', 'ValueError', 'underlying buffer has been detached', null, null, null, null]);
  });

  it('readline(0) reads a chunk when nothing is decoded yet (data is there: no blocking)', () => {
    const ours: unknown[] = [];
    for (const newline of [null, '', '\r']) {
      const f = os.fdopen(filledPipe(Buffer.from('x\rline2\n')), 'r', { newline });
      try {
        ours.push(
          detail(() => f.readline(0)),
          detail(() => f.newlines),
          detail(() => f.read(1)),
          detail(() => f.readline(0)),
          detail(() => f.read()),
          detail(() => f.readline(0)),
        );
      } finally {
        f.close();
      }
    }
    const theirs = pythonJson(`${PY_DETAIL}
out = []
for newline in [None, '', '\\r']:
    r, w = os.pipe(); os.write(w, b'x\\rline2\\n'); os.close(w)
    with os.fdopen(r, 'r', newline=newline) as f:
        out += [detail(lambda: f.readline(0)), detail(lambda: f.newlines), detail(lambda: f.read(1)),
                detail(lambda: f.readline(0)), detail(f.read), detail(lambda: f.readline(0))]
print(json.dumps(out))`);
    expect(ours).toEqual(theirs);
    expect(ours[1]).toEqual(['ok', ['\r', '\n']]);
  });
});

describe('TextIOWrapper: readline limits, reconfigure, repr after detach, encoding names, attributes', () => {
  it('readline(0) does not read once the held text is used up; the bytes stay in the pipe', () => {
    const before = openFds();
    const [r, w] = os.pipe();
    const f = io.open(r, 'r', { closefd: false });
    const steps: Step[] = [
      { pySetup: "os.write(w, b'ab\\n')", py: 'f.readline()', js: () => (os.write(w, B('ab\n')), f.readline()) },
      { pySetup: "os.write(w, b'XY')", py: 'f.readline(0)', js: () => (os.write(w, B('XY')), f.readline(0)) },
      {
        pySetup: 'os.set_blocking(r, False)',
        py: 'list(os.read(r, 10))',
        js: () => (os.set_blocking(r, false), os.read(r, 10)),
      },
    ];
    let out: { python: unknown[]; pipefork: unknown[] };
    try {
      out = runBoth(steps, "import io\nr, w = os.pipe()\nf = io.open(r, 'r', closefd=False)");
    } finally {
      f.close();
      os.close(r);
      os.close(w);
    }
    expect(out.pipefork).toEqual(out.python);
    expect(out.python[2]).toEqual(['ok', [...B('XY')]]);
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  });

  it("limits with newline='\\r\\n', reconfigure's new decoder, repr after detach, writelines", () => {
    const before = openFds();
    const opened: { close(): void }[] = [];
    /** A text file reading a pipe that holds `data` (writer closed). */
    const reader = (data: Buffer, kw: Record<string, unknown> = {}) => {
      const [r, w] = os.pipe();
      os.write(w, data);
      os.close(w);
      const f = io.open(r, 'r', kw as Omit<io.OpenOptions, 'mode'>) as io.TextIOWrapper;
      opened.push(f);
      return f;
    };
    const crlf = reader(B('a\rb\r\nc\r'), { newline: '\r\n' });
    const re = reader(B('é\r\nx\n'));
    const bad = reader(Buffer.from('61c3ff78620a', 'hex'));
    bad._CHUNK_SIZE = 2;
    const [dr, dw] = os.pipe();
    const det = io.open(dr, 'r') as io.TextIOWrapper;
    const [wr, ww] = os.pipe();
    const wf = io.open(ww, 'w') as io.TextIOWrapper;
    opened.push(wf);
    const steps: Step[] = [
      { py: 'crlf.readline(2)', js: () => crlf.readline(2) },
      { py: 'crlf.readline(2)', js: () => crlf.readline(2) },
      { py: 'crlf.readline(1)', js: () => crlf.readline(1) },
      { py: 'crlf.readline(5)', js: () => crlf.readline(5) },
      { py: 'crlf.readline(1)', js: () => crlf.readline(1) },
      { py: 're.read()', js: () => re.read() },
      { py: 're.newlines', js: () => re.newlines },
      {
        pySetup: "re.reconfigure(encoding='latin-1')",
        py: 're.newlines',
        js: () => (re.reconfigure({ encoding: 'latin-1' }), re.newlines),
      },
      { py: 'bad.readline()', js: () => bad.readline() },
      {
        pySetup: "bad.reconfigure(newline='')",
        py: 'bad.readline()',
        js: () => (bad.reconfigure({ newline: '' }), bad.readline()),
      },
      { pySetup: 'det.detach()', py: 'repr(det)', js: () => (det.detach(), String(det)) },
      { py: 'wf.writelines(5)', js: () => wf.writelines(5 as unknown as string[]) },
      { py: 'wf.writelines([1])', js: () => wf.writelines([1] as unknown as string[]) },
    ];
    let out: { python: unknown[]; pipefork: unknown[] };
    try {
      out = runBoth(
        steps,
        `import io
def reader(data, **kw):
    r, w = os.pipe(); os.write(w, data); os.close(w)
    return io.open(r, 'r', **kw)
crlf = reader('a\\rb\\r\\nc\\r'.encode(), newline='\\r\\n')
re = reader('é\\r\\nx\\n'.encode())
bad = reader(bytes.fromhex('61c3ff78620a')); bad._CHUNK_SIZE = 2
dr, dw = os.pipe(); det = io.open(dr, 'r')
wr, ww = os.pipe(); wf = io.open(ww, 'w')`,
      );
    } finally {
      for (const f of opened) f.close();
      for (const fd of [dr, dw, wr]) os.close(fd);
    }
    expect(steps.map((s, i) => [s.py, out.pipefork[i]])).toEqual(steps.map((s, i) => [s.py, out.python[i]]));
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  });

  it('encoding names as codecs.lookup normalizes them; read-only and checked attributes', () => {
    const before = openFds();
    const [r, w] = os.pipe();
    const f = io.open(w, 'w') as io.TextIOWrapper;
    const names = [
      ' utf-8',
      'UTF_8 ',
      'utf--8',
      'iso8859',
      'iso_8859_1:1987',
      'us',
      'ANSI_X3.4-1968',
      'unicodelittleunmarked',
      'unicodebigunmarked',
      'utf8_ucs2',
      'latin 1',
      'L1',
      'cp819',
      'csASCII',
      'utf-8\0',
      'utf-9',
    ];
    const set = (k: string, v: unknown) => () => {
      (f as unknown as Record<string, unknown>)[k] = v;
      return null;
    };
    const steps: Step[] = [
      ...names.map((n) => ({
        py: `io.TextIOWrapper(io.BytesIO(), encoding=${JSON.stringify(n)}).write('a')`,
        js: () => {
          const [r2, w2] = os.pipe();
          try {
            // Closed here: left open, its buffered 'a' would be flushed at exit into whatever fd took w2's number.
            const t = io.open(w2, 'w', { encoding: n, closefd: false }) as io.TextIOWrapper;
            try {
              return t.write('a');
            } finally {
              t.close();
            }
          } finally {
            os.close(r2);
            os.close(w2);
          }
        },
      })),
      { py: "setattr(f, 'encoding', 'x')", js: set('encoding', 'x') },
      { py: "setattr(f, 'errors', 'x')", js: set('errors', 'x') },
      { py: "setattr(f, '_CHUNK_SIZE', 0)", js: set('_CHUNK_SIZE', 0) },
      { py: "setattr(f, '_CHUNK_SIZE', 'a')", js: set('_CHUNK_SIZE', 'a') },
      { py: "setattr(f, '_CHUNK_SIZE', 2**70)", js: set('_CHUNK_SIZE', 2n ** 70n) },
      { py: "setattr(f, '_CHUNK_SIZE', 5)", js: set('_CHUNK_SIZE', 5) },
      { py: '[f.encoding, f.errors, f._CHUNK_SIZE]', js: () => [f.encoding, f.errors, f._CHUNK_SIZE] },
    ];
    let out: { python: unknown[]; pipefork: unknown[] };
    try {
      out = runBoth(steps, "import io\nr, w = os.pipe()\nf = io.open(w, 'w')");
    } finally {
      f.close();
      os.close(r);
    }
    const python = out.python.map(asPipefork);
    expect(steps.map((s, i) => [s.py, out.pipefork[i]])).toEqual(steps.map((s, i) => [s.py, python[i]]));
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  });
});
