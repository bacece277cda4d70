// Popen.communicate(input, timeout) -> TimeoutExpired -> communicate() again
// carries on writing the input where it stopped, as CPython 3.12 does
// (its _communicate registers stdin again while it is open). CPython 3.11
// registers stdin only when the call was given input, so its second call
// never writes the rest and waits forever for a child still reading: that
// hang is not pinned here (a test must not hang); docs/subprocess.md says so.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { subprocess } from '../../lib/index.js';

const { PIPE, TimeoutExpired } = subprocess;
const MiB = 1024 * 1024;

function sha(b: unknown): string {
  return createHash('sha256')
    .update(b as Buffer)
    .digest('hex');
}

/** communicate(input, timeout) until it stops raising TimeoutExpired; the result and how many timeouts it took. */
function communicateUntilDone(
  p: subprocess.Popen,
  input: Buffer | string,
  timeout: number,
): { out: unknown[]; timeouts: number; partial: unknown[] } {
  let timeouts = 0;
  const partial: unknown[] = [];
  for (;;) {
    try {
      const out = timeouts === 0 ? p.communicate(input, timeout) : p.communicate(null, timeout);
      return { out, timeouts, partial };
    } catch (e) {
      if (!(e instanceof TimeoutExpired)) throw e;
      partial.push(e.output);
      timeouts++;
      if (timeouts > 200) throw new Error('communicate never finished');
    }
  }
}

describe('Popen.communicate: calling it again after TimeoutExpired', () => {
  it('writes the rest of the input (more than a pipe holds) and loses no output', () => {
    const data = randomBytes(2 * MiB);
    // The child reads nothing for 0.3 s, so the first call times out with most of the input unwritten.
    const p = new subprocess.Popen(['sh', '-c', 'sleep 0.3; cat; printf done >&2'], {
      stdin: PIPE,
      stdout: PIPE,
      stderr: PIPE,
    });
    let first: unknown;
    try {
      p.communicate(data, 0.1);
    } catch (e) {
      first = e;
    }
    expect(first).toBeInstanceOf(TimeoutExpired);
    const [out, err] = p.communicate(null, 20);
    expect((out as Buffer).length).toBe(data.length);
    expect(sha(out)).toBe(sha(data));
    expect(String(err)).toBe('done');
    expect(p.returncode).toBe(0);
  });

  it('after many timeouts in a row the output is whole, in order', () => {
    const data = randomBytes(3 * MiB);
    // Short timeouts: several expire while the input is still being written.
    const p = new subprocess.Popen(['sh', '-c', 'sleep 0.2; cat'], { stdin: PIPE, stdout: PIPE });
    const { out, timeouts } = communicateUntilDone(p, data, 0.05);
    expect(timeouts).toBeGreaterThan(0);
    expect(sha(out[0])).toBe(sha(data));
    expect(p.returncode).toBe(0);
  });

  it('text mode: the encoded input is sent once, whole', () => {
    const text = 'é\u20ac\n'.repeat(300_000);
    const p = new subprocess.Popen(['sh', '-c', 'sleep 0.3; cat'], { stdin: PIPE, stdout: PIPE, text: true });
    const { out, timeouts } = communicateUntilDone(p, text, 0.1);
    expect(timeouts).toBeGreaterThan(0);
    expect(out[0]).toBe(text);
  });

  it('input still refused on the second call, as in CPython', () => {
    const p = new subprocess.Popen(['sh', '-c', 'sleep 0.3; cat'], { stdin: PIPE, stdout: PIPE });
    expect(() => p.communicate(Buffer.alloc(MiB, 120), 0.05)).toThrow(TimeoutExpired);
    expect(() => p.communicate(Buffer.from('y'))).toThrow('Cannot send input after starting communication');
    const [out] = p.communicate();
    expect((out as Buffer).length).toBe(MiB);
  });

  it('a child that exits before reading the rest: communicate() returns (BrokenPipeError ignored)', () => {
    const p = new subprocess.Popen(['sh', '-c', 'sleep 0.2; head -c 10 >/dev/null; echo bye'], {
      stdin: PIPE,
      stdout: PIPE,
    });
    const { out } = communicateUntilDone(p, Buffer.alloc(4 * MiB, 97), 0.05);
    expect(String(out[0])).toBe('bye\n');
    expect(p.returncode).toBe(0);
  });
});
