// Bytes a BufferedReader has handed out never change, whatever is read
// after them (regressions: read1 and large reads used to leave the reader
// pointing at the region they had just handed out), and reads on devices
// ask for all of n, as CPython does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { pythonJson } from '../helpers/python.js';

const b = (s: string) => Buffer.from(s);

describe('BufferedReader results are stable', () => {
  it('read1, read, peek and readline interleaved give what CPython gives, and earlier results stay intact', () => {
    const want = pythonJson<string[]>(`
import json, os
r, w = os.pipe()
f = os.fdopen(r, 'rb')
out = []
os.write(w, b'Z')
out.append(f.read(1).decode())
os.write(w, b'A' * 5)
second = f.read1(5); out.append(second.decode())
os.write(w, b'BBBBB')
out.append(f.read(5).decode())
os.write(w, b'CCCCC\\nDD\\n')
out.append(f.peek(1)[:1].decode())
out.append(f.readline().decode())
out.append(f.read(2).decode())
out.append(f.readline().decode())
out.append(second.decode())
print(json.dumps(out))`);
    const [r, w] = os.pipe();
    const f = io.open(r, 'rb');
    try {
      const out: string[] = [];
      // Each read empties the buffer first, so read1 and the big read take fresh space.
      os.write(w, b('Z'));
      out.push(String(f.read(1)));
      os.write(w, b('A'.repeat(5)));
      const second = f.read1(5) as Buffer;
      out.push(second.toString());
      os.write(w, b('BBBBB'));
      out.push(String(f.read(5)));
      os.write(w, b('CCCCC\nDD\n'));
      out.push(f.peek(1).subarray(0, 1).toString());
      out.push(f.readline().toString());
      out.push(String(f.read(2)));
      out.push(f.readline().toString());
      out.push(second.toString());
      expect(out).toEqual(want);
    } finally {
      f.close();
      os.close(w);
    }
  });

  it('a read larger than the buffer stays intact after the next small read', () => {
    const [r, w] = os.pipe();
    const f = io.open(r, 'rb');
    try {
      os.write(w, b('Z'));
      f.read(1);
      os.write(w, Buffer.alloc(8192, 'A'));
      const big = f.read(8192) as Buffer;
      os.write(w, b('BBBBB'));
      expect(String(f.read(5))).toBe('BBBBB');
      expect(big.equals(Buffer.alloc(8192, 'A'))).toBe(true);
    } finally {
      f.close();
      os.close(w);
    }
  });
});

describe('reads that are not on a pipe or a file', () => {
  it('results survive read() stopping at EAGAIN, seek(), truncate() and a write after read-ahead', () => {
    // Each of these empties the buffer; the reader used to start over at the
    // front of its region and overwrite bytes it had handed out.
    const want = pythonJson<string[]>(`
import json, os, tempfile
out = []
r, w = os.pipe()
f = os.fdopen(r, 'rb')
os.write(w, b'abcdefgh')
first = f.read(4)
os.set_blocking(r, False)
out.append(f.read().decode())
os.write(w, b'WXYZ')
out.append(f.read(4).decode())
out.append(first.decode())
f.close(); os.close(w)
fd, path = tempfile.mkstemp()
os.write(fd, b'0123456789')
os.close(fd)
g = open(path, 'r+b')
a = g.read(3)
g.seek(0)
b2 = g.read(3)
g.write(b'XY')
c = g.read(2)
g.truncate()
g.seek(0)
d = g.read(4)
out += [x.decode() for x in (a, b2, c, d)]
g.close(); os.unlink(path)
print(json.dumps(out))`);
    const out: string[] = [];
    const [r, w] = os.pipe();
    const f = io.open(r, 'rb');
    try {
      os.write(w, b('abcdefgh'));
      const first = f.read(4) as Buffer;
      os.set_blocking(r, false);
      out.push(String(f.read()));
      os.write(w, b('WXYZ'));
      out.push(String(f.read(4)));
      out.push(first.toString());
    } finally {
      f.close();
      os.close(w);
    }
    const path = join(mkdtempSync(join(tmpdir(), 'pipefork-')), 'file');
    writeFileSync(path, '0123456789');
    const g = io.open(path, 'r+b') as io.BufferedRandom;
    try {
      const a = g.read(3) as Buffer;
      g.seek(0);
      const b2 = g.read(3) as Buffer;
      g.write(b('XY'));
      const c = g.read(2) as Buffer;
      g.truncate();
      g.seek(0);
      const d = g.read(4) as Buffer;
      out.push(...[a, b2, c, d].map(String));
    } finally {
      g.close();
      rmSync(dirname(path), { recursive: true });
    }
    expect(out).toEqual(want);
  });

  it('os.read and FileIO.read on /dev/zero return all n bytes, as CPython', () => {
    const want = pythonJson<number[]>(`
import json, os, io
fd = os.open('/dev/zero', os.O_RDONLY)
a = len(os.read(fd, 100000))
f = io.open('/dev/zero', 'rb', buffering=0)
print(json.dumps([a, len(f.read(100000))]))`);
    const fd = os.open('/dev/zero', os.O_RDONLY);
    const f = io.open('/dev/zero', 'rb', 0);
    try {
      expect([os.read(fd, 100000).length, (f.read(100000) as Buffer).length]).toEqual(want);
    } finally {
      os.close(fd);
      f.close();
    }
  });
});
