// io.IOBase, RawIOBase, BufferedIOBase and TextIOBase: the class tree of
// pipefork's file objects, and a program's own subclasses, which get
// CPython's default methods and can be wrapped as CPython's can.
import { describe, expect, it } from 'vitest';
import { io, NotImplementedError, os } from '../../lib/index.js';
import { pythonJson } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

/** A raw stream defined as a Python program defines one: readinto() and readable() only. */
class ChunkRaw extends io.RawIOBase {
  private chunks: Buffer[];
  constructor(chunks: string[]) {
    super();
    this.chunks = chunks.map((c) => Buffer.from(c));
  }
  override readable(): boolean {
    return true;
  }
  override readinto(b: Uint8Array): number {
    const c = this.chunks.shift() ?? Buffer.alloc(0);
    const n = Math.min(c.length, b.length);
    b.set(c.subarray(0, n));
    if (n < c.length) this.chunks.unshift(c.subarray(n));
    return n;
  }
}

const PY_CHUNK = `
import io, json
class ChunkRaw(io.RawIOBase):
    def __init__(self, chunks): self.chunks = [c.encode() for c in chunks]
    def readable(self): return True
    def readinto(self, b):
        c = self.chunks.pop(0) if self.chunks else b''
        n = min(len(c), len(b))
        b[:n] = c[:n]
        if n < len(c): self.chunks.insert(0, c[n:])
        return n
`;

const CHUNKS = ['ab', 'c\nde', 'f\n', 'gh'];

describe('the io class tree', () => {
  it('places every file object under the base class CPython places it under', () => {
    const [r, w] = os.pipe();
    const raw = new io.FileIO(r, 'r');
    const objs: [string, unknown][] = [
      ['FileIO', raw],
      ['BufferedReader', new io.BufferedReader(new io.FileIO(r, 'r', false))],
      ['BufferedWriter', new io.BufferedWriter(new io.FileIO(w, 'w', false))],
      ['BufferedRWPair', new io.BufferedRWPair(new io.FileIO(r, 'r', false), new io.FileIO(w, 'w', false))],
      ['TextIOWrapper', new io.TextIOWrapper(new io.BytesIO())],
      ['BytesIO', new io.BytesIO()],
      ['StringIO', new io.StringIO()],
    ];
    const bases = [io.IOBase, io.RawIOBase, io.BufferedIOBase, io.TextIOBase] as const;
    const want = pythonJson(`
import io, json
bases = [io.IOBase, io.RawIOBase, io.BufferedIOBase, io.TextIOBase]
print(json.dumps([[issubclass(getattr(io, n), b) for b in bases] for n in ${JSON.stringify(objs.map(([n]) => n))}]))`);
    try {
      expect(objs.map(([, o]) => bases.map((b) => o instanceof b))).toEqual(want);
    } finally {
      raw.close();
      os.close(w);
    }
  });

  it("gives a bare base class CPython's defaults", () => {
    const cases: [string, () => unknown][] = [];
    for (const name of ['IOBase', 'RawIOBase', 'BufferedIOBase', 'TextIOBase'] as const) {
      const o = new io[name]();
      const call =
        (m: string, ...a: unknown[]) =>
        () =>
          (o as unknown as Record<string, (...x: unknown[]) => unknown>)[m]?.(...a);
      cases.push(
        [`${name}_o.fileno()`, call('fileno')],
        [`${name}_o.isatty()`, call('isatty')],
        [`${name}_o.flush()`, call('flush')],
        [`${name}_o.seek(0)`, call('seek', 0)],
        [`${name}_o.tell()`, call('tell')],
        [`${name}_o.truncate()`, call('truncate')],
        [`${name}_o.readable()`, call('readable')],
        [`${name}_o.closed`, () => o.closed],
      );
      if (name !== 'IOBase') cases.push([`${name}_o.read()`, call('read')], [`${name}_o.readline()`, call('readline')]);
      if (name === 'RawIOBase') cases.push(['RawIOBase_o.readinto(bytearray(1))', call('readinto', new Uint8Array(1))]);
      if (name === 'BufferedIOBase' || name === 'TextIOBase') cases.push([`${name}_o.detach()`, call('detach')]);
      cases.push(
        [`${name}_o.close()`, call('close')],
        [`${name}_o.flush()`, call('flush')],
        [`${name}_o.isatty()`, call('isatty')],
        [`${name}_o.closed`, () => o.closed],
      );
    }
    const { python, pipefork } = runCases(
      cases,
      'import io\n' +
        ['IOBase', 'RawIOBase', 'BufferedIOBase', 'TextIOBase'].map((n) => `${n}_o = io.${n}()`).join('\n'),
    );
    expect(pipefork).toEqual(python);
    expect(new io.RawIOBase().write.bind(new io.RawIOBase(), Buffer.from('x'))).toThrow(NotImplementedError);
  });
});

describe('a subclass of io.RawIOBase', () => {
  it('reads through its readinto() as CPython: read, readall, readline, iteration', () => {
    const r1 = new ChunkRaw(CHUNKS);
    const { python, pipefork } = runCases(
      [
        ['r.read(1)', () => r1.read(1)],
        ['r.readline()', () => r1.readline()],
        ['r.read()', () => r1.read()],
        ['r.read()', () => r1.read()],
        ['[list(x) for x in ChunkRaw(CHUNKS)]', () => [...new ChunkRaw(CHUNKS)].map((x) => [...x])],
        ['ChunkRaw(CHUNKS).readall()', () => new ChunkRaw(CHUNKS).readall()],
      ],
      `${PY_CHUNK}\nCHUNKS = ${JSON.stringify(CHUNKS)}\nr = ChunkRaw(CHUNKS)`,
    );
    expect(pipefork).toEqual(python);
  });

  it('is wrapped by BufferedReader and TextIOWrapper as in CPython', () => {
    const f = new io.TextIOWrapper(new io.BufferedReader(new ChunkRaw(CHUNKS), 4), 'utf-8');
    const got = [f.readline(), f.read(2), f.readlines()];
    const want = pythonJson(`${PY_CHUNK}
f = io.TextIOWrapper(io.BufferedReader(ChunkRaw(${JSON.stringify(CHUNKS)}), 4), 'utf-8')
print(json.dumps([f.readline(), f.read(2), f.readlines()]))`);
    expect(got).toEqual(want);
  });

  it('refuses a readinto() count beyond the buffer (CPython 3.11 exposes memory there; 3.12 raises this)', () => {
    class Liar extends io.RawIOBase {
      override readinto(): number {
        return 99;
      }
    }
    expect(() => new Liar().read(3)).toThrow('readinto returned 99 outside buffer size 3');
  });
});

describe('a subclass of io.BufferedIOBase', () => {
  it('gets readinto() from its read(), with CPython errors', () => {
    class Fixed extends io.BufferedIOBase {
      constructor(private data: string) {
        super();
      }
      override read(n?: number | null): Buffer {
        return Buffer.from(this.data.slice(0, n ?? undefined));
      }
    }
    const ba = new Uint8Array(3);
    const { python, pipefork } = runCases(
      [
        ["Fixed('abcdef', True).readinto(ba)", () => new Fixed('abcdef').readinto(ba)],
        ['list(ba)', () => [...ba]],
        [
          "Fixed('abcdef', False).readinto(ba)",
          () =>
            new (class extends Fixed {
              override read(): Buffer {
                return Buffer.from('abcdef');
              }
            })('x').readinto(ba),
        ],
      ],
      `import io
class Fixed(io.BufferedIOBase):
    def __init__(self, data, honest): self.data = data.encode(); self.honest = honest
    def read(self, n=-1): return self.data[:n] if self.honest else self.data
ba = bytearray(3)`,
    );
    expect(pipefork).toEqual(python);
  });
});
