// Closed files and unsupported operations: every class, every method, worded
// as CPython words it; `using` closes the fd.
import { describe, expect, it } from 'vitest';
import { io, os, UnsupportedOperation, ValueError } from '../../lib/index.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

const KINDS = {
  fileio_r: ['r', 'rb', 0],
  fileio_w: ['w', 'wb', 0],
  br: ['r', 'rb', -1],
  bw: ['w', 'wb', -1],
  tr: ['r', 'r', -1],
  tw: ['w', 'w', -1],
} as const;

// Methods both sides have; each is [label, js call, python expression].
type AnyFile = Record<string, (...a: unknown[]) => unknown>;
const METHODS: [string, (f: AnyFile) => unknown, string][] = [
  ['read()', (f) => f.read?.(), 'f.read()'],
  ['read(1)', (f) => f.read?.(1), 'f.read(1)'],
  ['readline()', (f) => f.readline?.(), 'f.readline()'],
  ['readlines()', (f) => f.readlines?.(), 'f.readlines()'],
  [
    'write',
    (f) => f.write?.(f instanceof io.TextIOWrapper ? 'x' : Buffer.from('x')),
    'f.write("x" if isinstance(f, io.TextIOWrapper) else b"x")',
  ],
  ['writelines', (f) => f.writelines?.([]), 'f.writelines([])'],
  ['flush()', (f) => f.flush?.(), 'f.flush()'],
  ['fileno()', (f) => f.fileno?.(), 'f.fileno()'],
  ['isatty()', (f) => f.isatty?.(), 'f.isatty()'],
  ['readable()', (f) => f.readable?.(), 'f.readable()'],
  ['writable()', (f) => f.writable?.(), 'f.writable()'],
  ['seekable()', (f) => f.seekable?.(), 'f.seekable()'],
  ['tell()', (f) => f.tell?.(), 'f.tell()'],
  ['seek(0)', (f) => f.seek?.(0), 'f.seek(0)'],
  ['truncate()', (f) => f.truncate?.(), 'f.truncate()'],
  ['iter', (f) => (f as unknown as Iterable<unknown>)[Symbol.iterator](), 'iter(f)'],
  ['next', (f) => (f as unknown as Iterable<unknown>)[Symbol.iterator]().next(), 'next(f)'],
  ['close()', (f) => f.close?.(), 'f.close()'],
  ['closed', (f) => (f as unknown as { closed: boolean }).closed, 'f.closed'],
];
const BUFFERED_ONLY: [string, (f: AnyFile) => unknown, string][] = [
  ['read1(1)', (f) => f.read1?.(1), 'f.read1(1)'],
  ['readinto', (f) => f.readinto?.(Buffer.alloc(1)), 'f.readinto(bytearray(1))'],
  ['readinto1', (f) => f.readinto1?.(Buffer.alloc(1)), 'f.readinto1(bytearray(1))'],
  ['detach()', (f) => f.detach?.(), 'f.detach()'],
];

function openKind(kind: keyof typeof KINDS, r: number, w: number): AnyFile {
  const [end, mode, buffering] = KINDS[kind];
  return os.fdopen(os.dup(end === 'r' ? r : w), mode as 'rb', buffering) as unknown as AnyFile;
}

describe('closed files and unsupported operations', () => {
  it('raise CPython’s errors, class by class and method by method', () => {
    const [r, w] = os.pipe();
    try {
      const ours: Record<string, unknown[]> = {};
      for (const kind of Object.keys(KINDS) as (keyof typeof KINDS)[]) {
        const methods = kind.startsWith('b') ? [...METHODS, ...BUFFERED_ONLY] : METHODS;
        ours[kind] = methods.map(([label, call]) => {
          const f = openKind(kind, r, w);
          // Python's next(f) needs no iter(f) first; a JS iterator is taken before closing.
          const it = label === 'next' ? (f as unknown as Iterable<unknown>)[Symbol.iterator]() : null;
          f.close?.();
          const o = outcome(() => {
            const v = it ? it.next() : call(f);
            return typeof v === 'boolean' || v === null || v === undefined ? (v ?? null) : typeof v;
          });
          return o.slice(0, 3);
        });
      }
      const theirs = pythonJson(`${PY_OUTCOME}
import io
r, w = os.pipe()
kinds = ${JSON.stringify(KINDS)}
methods = ${JSON.stringify(METHODS.map((m) => m[2]))}
buffered = ${JSON.stringify(BUFFERED_ONLY.map((m) => m[2]))}
res = {}
for kind, (end, mode, buffering) in kinds.items():
    out = []
    for expr in (methods + buffered if kind.startswith('b') else methods):
        f = os.fdopen(os.dup(r if end == 'r' else w), mode, buffering)
        f.close()
        def run():
            v = eval(expr)
            return v if isinstance(v, bool) or v is None else 'object'
        out.append(outcome(run)[:3])
    res[kind] = out
print(json.dumps(res))`) as Record<string, unknown[][]>;
      for (const kind of Object.keys(KINDS)) {
        const methods = kind.startsWith('b') ? [...METHODS, ...BUFFERED_ONLY] : METHODS;
        const theirsK = (theirs[kind] as unknown[][]).map((o) =>
          o[0] === 'ok' && o[1] === 'object' ? ['ok', 'object'] : o,
        );
        const oursK = (ours[kind] as unknown[][]).map((o) =>
          o[0] === 'ok' && typeof o[1] === 'string' ? ['ok', 'object'] : o,
        );
        expect(methods.map((m, i) => [kind, m[0], oursK[i]])).toEqual(methods.map((m, i) => [kind, m[0], theirsK[i]]));
      }
    } finally {
      os.close(r);
      os.close(w);
    }
  });

  it('reading a write-only file and writing a read-only one raise io.UnsupportedOperation as CPython', () => {
    const [r, w] = os.pipe();
    const files = [
      os.fdopen(os.dup(w), 'wb', 0),
      os.fdopen(os.dup(r), 'rb', 0),
      os.fdopen(os.dup(w), 'wb'),
      os.fdopen(os.dup(r), 'rb'),
      os.fdopen(os.dup(w), 'w'),
      os.fdopen(os.dup(r), 'r'),
    ] as unknown as AnyFile[];
    try {
      const ours = files.map((f, i) =>
        outcome(() => (i % 2 === 0 ? f.read?.(1) : f.write?.(i < 4 ? Buffer.from('x') : 'x'))).slice(0, 3),
      );
      const theirs = pythonJson(`${PY_OUTCOME}
r, w = os.pipe()
files = [os.fdopen(w, 'wb', 0), os.fdopen(r, 'rb', 0), os.fdopen(os.dup(w), 'wb'), os.fdopen(os.dup(r), 'rb'), os.fdopen(os.dup(w), 'w'), os.fdopen(os.dup(r), 'r')]
print(json.dumps([outcome(lambda: f.read(1) if i % 2 == 0 else f.write(b'x' if i < 4 else 'x'))[:3] for i, f in enumerate(files)]))`);
      expect(ours).toEqual(theirs);
      const err = outcome(() => files[0]?.read?.(1));
      expect(err[1]).toBe('UnsupportedOperation');
      try {
        files[0]?.read?.(1);
      } catch (e) {
        expect(e).toBeInstanceOf(UnsupportedOperation);
        expect(e).toBeInstanceOf(ValueError);
        expect(e).toBeInstanceOf(Error);
      }
    } finally {
      for (const f of files) f.close?.();
      os.close(r);
      os.close(w);
    }
  });

  it('`using` closes the fd; close() is idempotent; closefd=False leaves the fd alone', () => {
    const [r, w] = os.pipe();
    try {
      {
        using f = os.fdopen(r, 'rb');
        expect(f.closed).toBe(false);
      }
      expect(outcome(() => os.fstat(r)).slice(0, 2)).toEqual(['raise', 'OSError']);
      const g = os.fdopen(w, 'wb', { closefd: false });
      g.close();
      g.close();
      expect(g.closed).toBe(true);
      expect((g.raw as unknown as { closefd: boolean }).closefd).toBe(false);
      expect(os.fstat(w).st_blksize).toBe(4096);
    } finally {
      os.close(w);
    }
  });

  it('close() flushes, closes the fd even when the flush fails, and raises the flush error', () => {
    const [r, w] = os.pipe();
    const f = os.fdopen(w, 'wb');
    f.write(Buffer.from('pending'));
    os.close(r);
    const ours = outcome(() => f.close());
    expect(ours.slice(0, 3)).toEqual(['raise', 'BrokenPipeError', '[Errno 32] Broken pipe']);
    expect(f.closed).toBe(true);
    expect(outcome(() => os.fstat(w)).slice(0, 2)).toEqual(['raise', 'OSError']);
    const theirs = pythonJson(`${PY_OUTCOME}
r, w = os.pipe(); f = os.fdopen(w, 'wb'); f.write(b'pending'); os.close(r)
o = outcome(f.close)
print(json.dumps([o[:3], f.closed]))`);
    expect([ours.slice(0, 3), f.closed]).toEqual(theirs);
  });

  it('detach() hands the layer below back and leaves this object unusable', () => {
    const [r, w] = os.pipe();
    const t = os.fdopen(w, 'w');
    t.write('abc');
    const b = t.detach() as io.BufferedWriter;
    const raw = b.detach() as io.FileIO;
    try {
      expect(os.read(r, 10).toString()).toBe('abc');
      expect(outcome(() => t.write('x')).slice(0, 3)).toEqual([
        'raise',
        'ValueError',
        'underlying buffer has been detached',
      ]);
      expect(outcome(() => b.write(Buffer.from('x'))).slice(0, 3)).toEqual([
        'raise',
        'ValueError',
        'raw stream has been detached',
      ]);
      expect(raw.closed).toBe(false);
    } finally {
      raw.close();
      os.close(r);
    }
  });
});
