// Buffered classes over a raw stream that is not a FileIO: a user's object
// with readinto()/write(), as io.RawIOBase subclasses are in CPython. FileIO
// gets a faster path inside the buffered classes (ranges of an ArrayBuffer
// straight to the addon); this proves the generic path behaves the same.
import { describe, expect, it } from 'vitest';
import { io } from '../../lib/index.js';
import { pythonJson } from '../helpers/python.js';

/** Serves the given chunks, one per readinto (split when it asks for less); records what it is asked and given. */
class ChunkRaw implements io.RawIO {
  closed = false;
  asked: number[] = [];
  written: string[] = [];
  private chunks: string[];
  constructor(chunks: string[]) {
    this.chunks = [...chunks];
  }
  fileno(): number {
    return -1;
  }
  isatty(): boolean {
    return false;
  }
  readable(): boolean {
    return true;
  }
  writable(): boolean {
    return true;
  }
  seekable(): boolean {
    return false;
  }
  readinto(b: Uint8Array): number {
    this.asked.push(b.length);
    const whole = this.chunks.shift() ?? '';
    const c = whole.slice(0, b.length);
    if (whole.length > c.length) this.chunks.unshift(whole.slice(c.length));
    b.set(Buffer.from(c, 'latin1'));
    return c.length;
  }
  write(b: Uint8Array): number {
    this.written.push(Buffer.from(b).toString('latin1'));
    return b.length;
  }
  flush(): void {}
  close(): void {
    this.closed = true;
  }
}

const PY_RAW = `
import io, json
class ChunkRaw(io.RawIOBase):
    def __init__(self, chunks):
        self.chunks = list(chunks); self.asked = []; self.written = []
    def readable(self): return True
    def writable(self): return True
    def readinto(self, b):
        self.asked.append(len(b))
        whole = self.chunks.pop(0).encode('latin1') if self.chunks else b''
        c = whole[:len(b)]
        if len(whole) > len(c): self.chunks.insert(0, whole[len(c):].decode('latin1'))
        b[:len(c)] = c
        return len(c)
    def write(self, b):
        self.written.append(bytes(b).decode('latin1'))
        return len(b)
`;

const CHUNKS = ['abc', 'defgh', 'ij\nkl', 'mnopqrstuvwxyz'];

describe('buffered classes over a raw stream of the user', () => {
  it('BufferedReader reads through readinto() as CPython does', () => {
    const raw = new ChunkRaw(CHUNKS);
    const f = new io.BufferedReader(raw, 8);
    const got = [f.read(2), f.read(4), f.readline(), f.read1(3), f.peek(1).subarray(0, 1), f.read(20), f.read(5)].map(
      (b) => Buffer.from(b as Buffer).toString('latin1'),
    );
    const py = pythonJson<{ got: string[]; asked: number[] }>(`${PY_RAW}
raw = ChunkRaw(${JSON.stringify(CHUNKS)})
f = io.BufferedReader(raw, 8)
got = [f.read(2), f.read(4), f.readline(), f.read1(3), f.peek(1)[:1], f.read(20), f.read(5)]
print(json.dumps({'got': [b.decode('latin1') for b in got], 'asked': raw.asked}))`);
    expect(got).toEqual(py.got);
    expect(raw.asked).toEqual(py.asked);
  });

  it('BufferedWriter hands its buffer to write() on flush and overflow as CPython does', () => {
    const raw = new ChunkRaw([]);
    const f = new io.BufferedWriter(raw, 8);
    const seen: string[][] = [];
    for (const s of ['ab', 'cdef', 'ghij', 'klmnopqrstuvw', 'x']) {
      f.write(Buffer.from(s));
      seen.push([...raw.written]);
    }
    f.flush();
    seen.push([...raw.written]);
    const py = pythonJson<string[][]>(`${PY_RAW}
raw = ChunkRaw([])
f = io.BufferedWriter(raw, 8)
seen = []
for s in ['ab', 'cdef', 'ghij', 'klmnopqrstuvw', 'x']:
    f.write(s.encode())
    seen.append(list(raw.written))
f.flush()
seen.append(list(raw.written))
print(json.dumps(seen))`);
    expect(seen).toEqual(py);
  });
});

/** A raw stream that lies: every readinto/write/seek/tell returns `n`, and readinto writes nothing. */
const LYING_COUNTS: [string, unknown][] = [
  ['10**9', 1e9],
  ['-1', -1],
  ['-5', -5],
  ['17', 17],
  ['2.5', 2.5],
  ["'3'", '3'],
  ['2**70', 2 ** 70],
];

class LyingRaw {
  closed = false;
  constructor(private readonly n: unknown) {}
  fileno(): number {
    return -1;
  }
  isatty(): boolean {
    return false;
  }
  readable(): boolean {
    return true;
  }
  writable(): boolean {
    return true;
  }
  seekable(): boolean {
    return true;
  }
  readinto(_b: Uint8Array): unknown {
    return this.n;
  }
  write(_b: Uint8Array): unknown {
    return this.n;
  }
  seek(_p: number, _w?: number): unknown {
    return this.n;
  }
  tell(): unknown {
    return this.n;
  }
  flush(): void {}
  close(): void {
    this.closed = true;
  }
}

describe('buffered classes check what a raw stream returns (security: no bytes nobody wrote)', () => {
  it('refuses counts and positions outside the range, with CPython 3.11 wording', () => {
    const ops = (n: unknown): [string, () => unknown][] => {
      const raw = () => new LyingRaw(n) as unknown as io.RawIO;
      return [
        ['read', () => new io.BufferedReader(raw(), 16).read(64)],
        ['read-small', () => new io.BufferedReader(raw(), 16).read(8)],
        ['peek', () => new io.BufferedReader(raw(), 16).peek(1)],
        ['readinto', () => new io.BufferedReader(raw(), 16).readinto(Buffer.alloc(64))],
        [
          'flush',
          () => {
            const b = new io.BufferedWriter(raw(), 16);
            b.write(Buffer.alloc(8));
            return b.flush();
          },
        ],
        ['write-big', () => new io.BufferedWriter(raw(), 16).write(Buffer.alloc(40))],
        ['tell', () => new io.BufferedReader(raw(), 16).tell()],
        ['seek', () => new io.BufferedReader(raw(), 16).seek(0)],
        ['rand-tell', () => new io.BufferedRandom(raw(), 16).tell()],
      ];
    };
    const outcome = (f: () => unknown) => {
      try {
        const r = f();
        return ['ok', r instanceof Uint8Array ? r.length : (r ?? null)];
      } catch (e) {
        return ['raise', (e as Error).constructor.name, (e as Error).message];
      }
    };
    const got = LYING_COUNTS.map(([, n]) => ops(n).map(([, f]) => outcome(f)));
    const py = pythonJson<unknown[][]>(`
import io, json
class R(io.RawIOBase):
    def __init__(s, n): s.n = n
    def readable(s): return True
    def writable(s): return True
    def seekable(s): return True
    def readinto(s, b): return s.n
    def write(s, b): return s.n
    def seek(s, p, w=0): return s.n
    def tell(s): return s.n
def outcome(f):
    try:
        r = f()
        return ['ok', len(r) if isinstance(r, bytes) else r]
    except BaseException as e:
        return ['raise', type(e).__name__, str(e)]
def flush(n):
    b = io.BufferedWriter(R(n), 16); b.write(bytes(8)); return b.flush()
res = []
for n in [${LYING_COUNTS.map(([p]) => p).join(', ')}]:
    res.append([outcome(f) for f in [
        lambda: io.BufferedReader(R(n), 16).read(64),
        lambda: io.BufferedReader(R(n), 16).read(8),
        lambda: io.BufferedReader(R(n), 16).peek(1),
        lambda: io.BufferedReader(R(n), 16).readinto(bytearray(64)),
        lambda: flush(n),
        lambda: io.BufferedWriter(R(n), 16).write(bytes(40)),
        lambda: io.BufferedReader(R(n), 16).tell(),
        lambda: io.BufferedReader(R(n), 16).seek(0),
        lambda: io.BufferedRandom(R(n), 16).tell(),
    ]])
print(json.dumps(res))`);
    expect(got).toEqual(py);
  });

  it('a count the raw stream did not fill exposes zeros, never freed or earlier bytes', () => {
    // Fill and free memory holding a secret, and leave one in the reader's own arena.
    for (let i = 0; i < 64; i++) Buffer.from('TOPSECRET-'.repeat(6400)).fill(0x41, 0, 1);
    const honestThenLying = new (class extends LyingRaw {
      calls = 0;
      override readinto(b: Uint8Array): unknown {
        if (this.calls++ === 0) {
          b.set(Buffer.from('TOPSECRET-TOPSEC'));
          return 16;
        }
        return b.length; // claims a full read, writes nothing
      }
    })(0);
    const f = new io.BufferedReader(honestThenLying as unknown as io.RawIO, 16);
    expect(f.read(16)?.toString()).toBe('TOPSECRET-TOPSEC');
    let seen = Buffer.alloc(0);
    for (let i = 0; i < 4096; i++) {
      const b = (i % 2 === 0 ? f.read(64) : f.read1(1000)) as Buffer;
      seen = Buffer.concat([seen.subarray(-64), b]);
      expect(b.every((x) => x === 0)).toBe(true);
    }
    expect(seen.includes('TOPSECRET')).toBe(false);
  });
});
