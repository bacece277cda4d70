// os.read / os.write on blocking and non-blocking pipes, step by step against
// CPython running the same scenario (test_os.py's FileTests / PipeTests cases).
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { os } from '../../lib/index.js';
import { runBoth } from '../helpers/scenario.js';

const b = (s: string) => Buffer.from(s);

describe('os.read and os.write', () => {
  it('test_read: partial reads, read(0), EOF, bad counts, closed fds — as CPython', () => {
    let r = -1;
    let w = -1;
    const { python, pipefork } = runBoth([
      {
        pySetup: 'r, w = os.pipe()',
        py: 'os.write(w, b"hello world!")',
        js: () => {
          [r, w] = os.pipe();
          return os.write(w, b('hello world!'));
        },
      },
      { py: 'os.read(r, 5)', js: () => os.read(r, 5) },
      { py: 'os.read(r, 100)', js: () => os.read(r, 100) },
      { py: 'os.read(r, 0)', js: () => os.read(r, 0) },
      { py: 'os.write(w, b"")', js: () => os.write(w, b('')) },
      { py: 'os.write(w, bytearray(b"abc"))', js: () => os.write(w, new Uint8Array([97, 98, 99])) },
      { py: 'os.write(w, memoryview(b"xdefx")[1:4])', js: () => os.write(w, b('xdefx').subarray(1, 4)) },
      {
        py: 'os.write(w, memoryview(b"\\x01\\x00\\x02\\x00").cast("H"))',
        js: () => os.write(w, new Uint16Array([1, 2])),
      },
      { py: 'os.read(r, 100000)', js: () => os.read(r, 100000) },
      { py: 'os.write(w, "text")', js: () => os.write(w, 'text' as unknown as Buffer) },
      { py: 'os.write(w, 3)', js: () => os.write(w, 3 as unknown as Buffer) },
      { pySetup: 'os.close(w)', py: 'os.read(r, 100)', js: () => (os.close(w), os.read(r, 100)) },
      { py: 'os.read(r, 0)', js: () => os.read(r, 0) },
      { py: 'os.read(r, 1 << 20)', js: () => os.read(r, 1 << 20) },
      { py: 'os.read(r, -1)', js: () => os.read(r, -1) },
      { py: 'os.read(r, 2**63)', js: () => os.read(r, 2 ** 63) },
      { py: 'os.read(r, 1.5)', js: () => os.read(r, 1.5) },
      { py: 'os.read(r, float("nan"))', js: () => os.read(r, Number.NaN) },
      { py: 'os.read(r, "3")', js: () => os.read(r, '3' as unknown as number) },
      { py: 'os.read(r, None)', js: () => os.read(r, null as unknown as number) },
      { pySetup: 'os.close(r)', py: 'os.read(r, 1)', js: () => (os.close(r), os.read(r, 1)) },
      { py: 'os.read(r, 0)', js: () => os.read(r, 0) },
      { py: 'os.write(r, b"x")', js: () => os.write(r, b('x')) },
      { py: 'os.close(r)', js: () => os.close(r) },
    ]);
    expect(pipefork).toEqual(python);
  });

  it('read(fd, n) returns what is there, and a huge n does not allocate n bytes', () => {
    const [r, w] = os.pipe();
    try {
      os.write(w, Buffer.alloc(60000, 7));
      const got = os.read(r, 2 ** 40);
      expect(got).toEqual(Buffer.alloc(60000, 7));
      // The result is not a view into a 2**40-byte (or even 1 MiB) allocation.
      expect(got.buffer.byteLength).toBeLessThan(1 << 20);
    } finally {
      os.close(r);
      os.close(w);
    }
  });

  it('test_write to a pipe with no reader: BrokenPipeError 32, the process survives', () => {
    const { python, pipefork } = runBoth([
      {
        pySetup: 'r, w = os.pipe(); os.close(r)',
        py: 'os.write(w, b"x")',
        js: () => {
          const [r, w] = os.pipe();
          os.close(r);
          try {
            return os.write(w, b('x'));
          } finally {
            os.close(w);
          }
        },
      },
    ]);
    expect(python).toEqual([['raise', 'BrokenPipeError', '[Errno 32] Broken pipe', 32]]);
    expect(pipefork).toEqual(python);
  });

  it('non-blocking: an empty pipe raises BlockingIOError 11; a full one takes exactly 65536 bytes', () => {
    let r = -1;
    let w = -1;
    const chunk = Buffer.alloc(4096, 1);
    const fill = () => {
      let n = 0;
      for (;;) {
        try {
          n += os.write(w, chunk);
        } catch (e) {
          return [n, (e as Error).constructor.name, (e as { errno: number }).errno];
        }
      }
    };
    const { python, pipefork } = runBoth([
      {
        pySetup: 'r, w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)',
        py: 'os.read(r, 10)',
        js: () => {
          [r, w] = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC);
          return os.read(r, 10);
        },
      },
      {
        py: '(os.get_blocking(r), os.get_blocking(w), os.get_inheritable(r))',
        js: () => [os.get_blocking(r), os.get_blocking(w), os.get_inheritable(r)],
      },
      {
        pySetup: `
def fill():
    n = 0
    while True:
        try: n += os.write(w, b"\\x01" * 4096)
        except BlockingIOError as e: return [n, type(e).__name__, e.errno]`,
        py: 'fill()',
        js: fill,
      },
      { py: 'len(os.read(r, 1 << 20))', js: () => os.read(r, 1 << 20).length },
      { py: 'os.read(r, 1)', js: () => os.read(r, 1) },
      {
        pySetup: 'os.set_blocking(r, True)',
        py: 'os.get_blocking(r)',
        js: () => (os.set_blocking(r, true), os.get_blocking(r)),
      },
      { pySetup: 'os.close(r); os.close(w)', py: 'None', js: () => (os.close(r), os.close(w), null) },
    ]);
    expect(pipefork[2]).toEqual(['ok', [65536, 'BlockingIOError', 11]]);
    expect(pipefork).toEqual(python);
  });

  it('a read blocks until a writer in another process writes, then returns that chunk', async () => {
    const { spawn } = await import('node:child_process');
    const [r, w] = os.pipe();
    // python3 writes 'ab' only after we are already blocked in os.read.
    const child = spawn('python3', ['-c', 'import os, time; time.sleep(0.2); os.write(3, b"ab"); os.close(3)'], {
      stdio: ['ignore', 'inherit', 'inherit', w],
    });
    os.close(w);
    try {
      expect(os.read(r, 10)).toEqual(b('ab'));
      expect(os.read(r, 10)).toEqual(b(''));
    } finally {
      os.close(r);
      await new Promise((res) => child.once('exit', res));
    }
  });
});

describe('os.read results from the shared slab', () => {
  it('stay intact across slab boundaries, whatever is read after them', () => {
    // Reads of up to 8 KiB come back as views of a shared 64 KiB slab (lib/readsize.ts).
    const [r, w] = os.pipe();
    try {
      const kept: [Buffer, string][] = [];
      for (let i = 0; i < 300; i++) {
        const n = [1, 7, 100, 4096, 8192][i % 5] as number;
        const data = Buffer.alloc(n, String.fromCharCode(65 + (i % 26)));
        os.write(w, data);
        const got = os.read(r, 8192);
        kept.push([got, data.toString('latin1')]);
      }
      for (const [got, want] of kept) expect(got.toString('latin1')).toBe(want);
    } finally {
      os.close(r);
      os.close(w);
    }
  });
});

describe('os.read on a regular file with more than 4 GiB left', () => {
  it('reads all of n, as CPython (the size hint is 64-bit)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipefork-big-'));
    const path = join(dir, 'sparse');
    try {
      truncateSync((closeSync(openSync(path, 'w')), path), 2 ** 32 + 100); // sparse: no disk used
      const fd = os.open(path, os.O_RDONLY);
      try {
        expect(os.read(fd, 1 << 20).length).toBe(1 << 20);
        os.lseek(fd, 2 ** 31 + 10, os.SEEK_SET);
        expect(os.read(fd, 1 << 20).length).toBe(1 << 20);
      } finally {
        os.close(fd);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
