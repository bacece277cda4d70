// os.read / os.write on blocking and non-blocking pipes, step by step against
// CPython running the same scenario (test_os.py's FileTests / PipeTests cases).
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { os } from '../lib/index.js';
import { native } from '../lib/native.js';
import { runBoth } from './helpers/scenario.js';

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

describe("the addon's range calls (readAt/writeAt, used by the io classes)", () => {
  it('refuse a range outside the ArrayBuffer with -EFAULT and touch nothing', () => {
    const [r, w] = os.pipe();
    try {
      const ab = new ArrayBuffer(8);
      os.write(w, b('abcdefgh'));
      // Non-blocking: should a bad range reach read(2) and drain the pipe, the reads below fail instead of blocking.
      os.set_blocking(r, false);
      for (const [off, len] of [
        [9, 0],
        [4, 5],
        [0, 2 ** 32 - 1],
        [-1, 2],
        [2 ** 32, 5], // must not wrap to offset 0
        [0, 2 ** 32 + 1],
      ] as const) {
        expect(native.readAt(r, ab, off, len)).toBe(-14);
        expect(native.writeAt(w, ab, off, len)).toBe(-14);
      }
      expect(native.readAt(r, new Uint8Array(8) as unknown as ArrayBuffer, 0, 1)).toBe(-14);
      expect(native.readAt(r, ab, 2, 3)).toBe(3);
      expect(Buffer.from(ab).toString('latin1')).toBe('\0\0abc\0\0\0');
      expect(native.writeAt(w, ab, 2, 2)).toBe(2);
      expect(os.read(r, 100).toString()).toBe('defghab');
    } finally {
      os.close(r);
      os.close(w);
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

describe('the addon called directly with the wrong arrays', () => {
  it('returns -EINVAL instead of writing out of bounds or crashing', () => {
    const call = native as unknown as Record<string, (...a: unknown[]) => unknown>;
    const EINVAL = -22;
    expect(call.waitpid?.(-1, 1, undefined)).toBe(EINVAL);
    expect(call.waitpid?.(-1, 1, new Int32Array(0))).toBe(EINVAL);
    expect(call.waitpid?.(-1, 1, new Uint8Array(4))).toBe(EINVAL);
    expect(call.exec?.(['/nonexistent'], 'x', null)).toBe(EINVAL);
    expect(call.fstat?.(0, new Uint8Array(128))).toBe(EINVAL);
    expect(call.pollFds?.(new Int8Array(2), new Int8Array(2), new Int8Array(2), 0)).toBe(EINVAL);
    expect(call.waitAny?.(new Uint8Array(4), 0)).toBe(EINVAL);
    // spawn takes one options object; a malformed field is a TypeError naming it, before anything runs.
    const options = {
      executables: ['/bin/true'],
      argv: ['true'],
      envp: null,
      cwd: null,
      ...{ p2cread: -1, p2cwrite: -1, c2pread: -1, c2pwrite: -1, errread: -1, errwrite: -1 },
      passFds: undefined,
      ...{ closeFds: true, restoreSignals: true, startNewSession: false },
      ...{ processGroup: -1, umask: -1, uid: -1, gid: -1, extraGroups: null },
    };
    expect(() => call.spawn?.(options)).toThrow(new TypeError("spawn(): 'passFds' must be an Int32Array"));
    expect(() => call.spawn?.('/bin/true')).toThrow(new TypeError("spawn(): 'options' must be an object"));
    // Arguments of the wrong type never reach the syscall (close(undefined) would have closed fd 0).
    expect(call.close?.(undefined)).toBe(EINVAL);
    expect(call.kill?.(undefined, 0)).toBe(EINVAL);
    expect(call.dup2?.(0, 50, 'x')).toBe(EINVAL);
    expect(call.open?.(5, 0, 0)).toBe(EINVAL);
    expect(os.fstat(0).st_mode).toBeGreaterThan(0); // fd 0 is still open
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
