// Buffered classes over a raw stream that is not a FileIO: a user's object
// with readinto()/write(), as io.RawIOBase subclasses are in CPython. FileIO
// gets a faster path inside the buffered classes (ranges of an ArrayBuffer
// straight to the addon); this proves the generic path behaves the same.
import { describe, expect, it } from 'vitest';
import { io } from '../lib/index.js';
import { pythonJson } from './helpers/python.js';

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
