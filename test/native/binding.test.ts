// The addon's surface called directly (lib/native.ts): ranges outside an
// ArrayBuffer, wrong arrays and wrong types are refused before any syscall.
import { describe, expect, it } from 'vitest';
import { os } from '../../lib/index.js';
import { native } from '../../lib/native.js';

const b = (s: string) => Buffer.from(s);

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
