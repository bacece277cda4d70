// TextIOWrapper's awaitable twins (docs/async.md): the blocking methods'
// text logic (decoding split characters, universal newlines, limits) with
// the reads done in the event loop.
import { describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { sameErrors, settledWithin, sleep } from '../helpers/twins.js';

const T = { timeout: 20_000 };
const f = loose;

function textPipe(options: { newline?: string | null } = {}): [io.TextIOWrapper, number, number] {
  const [r, w] = os.pipe();
  return [io.open(r, 'r', options) as io.TextIOWrapper, r, w];
}

/** Writes the bytes in pieces, a few ms apart, then closes w. */
async function trickle(w: number, pieces: Buffer[]): Promise<void> {
  for (const p of pieces) {
    os.write(w, p);
    await sleep(5);
  }
  os.close(w);
}

describe('TextIOWrapper twins', () => {
  it('readlineAsync: a character split across writes, universal newlines split across chunks', T, async () => {
    const [t, , w] = textPipe();
    const text = Buffer.from('héllo\r\nwörld\rlast');
    const cut = [3, 8, 14]; // inside 'é', between '\r' and '\n', inside 'ö'
    const pieces = [0, ...cut].map((a, i) => text.subarray(a, cut[i] ?? text.length));
    const writing = trickle(w, pieces);
    const lines: string[] = [];
    for await (const line of t) lines.push(line as string);
    await writing;
    expect(lines).toEqual(['héllo\n', 'wörld\n', 'last']);
    expect(t.newlines).toEqual(['\r', '\r\n']);
    t.close();
  });

  it('readAsync(n) counts characters and waits for them; readAsync() reads to EOF', T, async () => {
    const [t, , w] = textPipe();
    const p = t.readAsync(3);
    os.write(w, Buffer.from('ü'));
    expect(await settledWithin(p, 20)).toBe(false);
    os.write(w, Buffer.from('😀x'));
    expect(await p).toBe('ü😀x');
    const rest = t.readAsync();
    os.write(w, Buffer.from('a\r\nb'));
    os.close(w);
    expect(await rest).toBe('a\nb');
    expect(await t.readAsync()).toBe('');
    t.close();
  });

  it('readlineAsync(limit) as readline(limit); the same lines as the blocking reads', T, async () => {
    const [t, , w] = textPipe({ newline: '' });
    os.write(w, Buffer.from('abcdef\r\nxy\rz'));
    os.close(w);
    expect(await t.readlineAsync(4)).toBe('abcd');
    expect(await t.readlineAsync()).toBe('ef\r\n');
    expect(t.readline()).toBe('xy\r');
    expect(await t.readlineAsync()).toBe('z');
    expect(await t.readlineAsync()).toBe('');
    t.close();
  });

  it('an abort keeps the text read so far; a blocking read while a twin is pending is a RuntimeError', T, async () => {
    const [t, , w] = textPipe();
    os.write(w, Buffer.from('partial '));
    await expect(t.readlineAsync({ signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    const pending = t.readlineAsync();
    await sleep(10);
    expect(() => t.readline()).toThrow(expect.objectContaining({ name: 'RuntimeError' }));
    expect(() => t.read(1)).toThrow(expect.objectContaining({ name: 'RuntimeError' }));
    os.write(w, Buffer.from('line\nnext line\n'));
    expect(await pending).toBe('partial line\n');
    expect(t.readline()).toBe('next line\n');
    os.close(w);
    t.close();
  });

  it('writeAsync: line_buffering flushes at a newline; otherwise flushAsync/closeAsync do', T, async () => {
    const [r, w] = os.pipe();
    const t = io.open(w, 'w', 1) as io.TextIOWrapper; // buffering=1: line buffering
    expect(await t.writeAsync('né\n')).toBe(3);
    expect(String(os.read(r, 100))).toBe('né\n');
    t.reconfigure({ line_buffering: false });
    await t.writeAsync('held');
    const pending = os.readAsync(r, 100);
    expect(await settledWithin(pending, 20)).toBe(false);
    await t.closeAsync();
    expect(String(await pending)).toBe('held');
    os.close(r);
  });

  it('a large writeAsync goes out as the reader takes it', T, async () => {
    const [r, w] = os.pipe();
    const tw = io.open(w, 'w') as io.TextIOWrapper;
    const tr = io.open(r, 'r') as io.TextIOWrapper;
    const text = 'ωmega line\n'.repeat(50_000);
    const writing = (async () => {
      await tw.writeAsync(text);
      await tw.closeAsync();
    })();
    expect(await tr.readAsync()).toBe(text);
    await writing;
    tr.close();
  });

  it('argument and state errors as the blocking methods', T, async () => {
    const [t, , w] = textPipe();
    const [r2, w2] = os.pipe();
    const tw = io.open(w2, 'w') as io.TextIOWrapper;
    await sameErrors([
      [() => f(t.read).call(t, 'x'), () => f(t.readAsync).call(t, 'x') as Promise<unknown>],
      [() => f(t.readline).call(t, null), () => f(t.readlineAsync).call(t, null) as Promise<unknown>],
      [
        () => f(tw.write).call(tw, Buffer.from('b')),
        () => f(tw.writeAsync).call(tw, Buffer.from('b')) as Promise<unknown>,
      ],
      [() => f(tw.read).call(tw), () => f(tw.readAsync).call(tw) as Promise<unknown>],
      [() => f(t.write).call(t, 's'), () => f(t.writeAsync).call(t, 's') as Promise<unknown>],
    ]);
    t.close();
    tw.close();
    await sameErrors([
      [() => t.readline(), () => t.readlineAsync()],
      [() => tw.write('x'), () => tw.writeAsync('x')],
      [() => tw.flush(), () => tw.flushAsync()],
    ]);
    os.close(w);
    os.close(r2);
  });
});
