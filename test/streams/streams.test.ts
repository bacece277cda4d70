// pipefork/streams (docs/async.md, "Streams"): node:stream and web streams
// over fds and file objects, with backpressure, built on the twins; the
// fds' flags never change.
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { io, os, streams, subprocess } from '../../lib/index.js';
import { readinessState } from '../../lib/posix/ready.js';
import { sleep } from '../helpers/twins.js';

const T = { timeout: 30_000 };
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function pattern(n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  return b;
}

/** Reads fd to EOF with the twins. */
async function readAll(fd: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (;;) {
    const b = await os.readAsync(fd, 65536);
    if (b.length === 0) return Buffer.concat(parts);
    parts.push(b);
  }
}

describe('toReadable / toWritable', () => {
  it('pipeline(toReadable(r), zlib.createGzip(), toWritable(w)) works; both fds are closed at the end', T, async () => {
    const [r, w] = os.pipe();
    const [r2, w2] = os.pipe();
    const data = pattern(8 << 20);
    const producing = (async () => {
      await os.writeAsync(w, data);
      os.close(w);
    })();
    const collected = readAll(r2);
    await pipeline(streams.toReadable(r), zlib.createGzip(), streams.toWritable(w2));
    await producing;
    const gz = await collected;
    os.close(r2);
    expect(sha(zlib.gunzipSync(gz))).toBe(sha(data));
    expect(() => os.fstat(r)).toThrow(expect.objectContaining({ errno: 9 }));
    expect(() => os.fstat(w2)).toThrow(expect.objectContaining({ errno: 9 }));
  });

  it('backpressure: a paused consumer stops the reads; the writer waits for the pipe', T, async () => {
    const [r, w] = os.pipe();
    os.write(w, Buffer.alloc(65536, 1)); // full
    const readable = streams.toReadable(r, { highWaterMark: 1024 });
    readable.pause();
    readable.on('data', () => {});
    readable.pause();
    await sleep(50);
    // At most highWaterMark-ish is held by the stream; the rest stays in the pipe.
    expect(readable.readableLength).toBeLessThanOrEqual(2048);
    readable.destroy();
    await new Promise((res) => readable.once('close', res));
    const w2 = streams.toWritable(w, { highWaterMark: 4096 });
    // The pipe is full (nobody reads now): write() soon says "wait for drain".
    expect(w2.write(Buffer.alloc(8192))).toBe(false);
    w2.destroy();
    await new Promise((res) => w2.once('close', res));
    expect(readinessState().pending).toBe(0);
  });

  it('autoClose false leaves the fd open; flags are never changed', T, async () => {
    const [r, w] = os.pipe();
    const out = streams.toWritable(w, { autoClose: false });
    const inp = streams.toReadable(r, { autoClose: false });
    const got: Buffer[] = [];
    inp.on('data', (c: Buffer) => got.push(c));
    await new Promise<void>((res, rej) => out.end(Buffer.from('hello'), (e?: Error | null) => (e ? rej(e) : res())));
    expect(os.get_blocking(w)).toBe(true);
    os.close(w);
    await new Promise((res) => inp.once('end', res));
    expect(String(Buffer.concat(got))).toBe('hello');
    expect(os.get_blocking(r)).toBe(true);
    os.close(r);
  });

  it('file objects: a buffered reader and writer; a text file gives strings', T, async () => {
    const [r, w] = os.pipe();
    const fw = io.open(w, 'wb');
    const ft = io.open(r, 'r') as io.TextIOWrapper;
    const writing = pipeline(Readable.from([Buffer.from('héllo\n'), Buffer.from('wörld\n')]), streams.toWritable(fw));
    const chunks: unknown[] = [];
    await pipeline(
      streams.toReadable(ft),
      new Writable({
        objectMode: true,
        write(c, _e, cb) {
          chunks.push(c);
          cb();
        },
      }),
    );
    await writing;
    expect(chunks.every((c) => typeof c === 'string')).toBe(true);
    expect(chunks.join('')).toBe('héllo\nwörld\n');
    expect([fw.closed, ft.closed]).toEqual([true, true]);
  });

  it("a child's stdout as a stream, and destroy() while a read waits", T, async () => {
    const p = new subprocess.Popen(['sh', '-c', 'echo one; sleep 0.1; echo two'], { stdout: subprocess.PIPE });
    let text = '';
    for await (const c of streams.toReadable(p.stdout as io.BufferedReader)) text += String(c);
    expect(text).toBe('one\ntwo\n');
    expect(await p.waitAsync()).toBe(0);
    const [r, w] = os.pipe();
    const s = streams.toReadable(r);
    s.on('data', () => {});
    await sleep(20);
    s.destroy();
    await new Promise((res) => s.once('close', res));
    expect(readinessState().pending).toBe(0);
    os.close(w);
  });

  it('signal: aborting destroys the stream with the reason', T, async () => {
    const [r, w] = os.pipe();
    const s = streams.toReadable(r, { signal: AbortSignal.timeout(50) });
    const err = await new Promise((res) => {
      s.on('data', () => {});
      s.once('error', res);
    });
    expect(err).toMatchObject({ name: 'TimeoutError' });
    os.close(w);
  });
});

describe('toReadableStream / toWritableStream', () => {
  it('web streams: pipeTo through CompressionStream, with backpressure from pull', T, async () => {
    const [r, w] = os.pipe();
    const [r2, w2] = os.pipe();
    const data = pattern(2 << 20);
    const producing = (async () => {
      await os.writeAsync(w, data);
      os.close(w);
    })();
    const collected = readAll(r2);
    await streams
      .toReadableStream(r)
      .pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array | string, Uint8Array>)
      .pipeTo(streams.toWritableStream(w2));
    await producing;
    const gz = await collected;
    os.close(r2);
    expect(sha(zlib.gunzipSync(gz))).toBe(sha(data));
  });

  it('cancel() while a read waits closes the fd and leaves nothing pending', T, async () => {
    const [r, w] = os.pipe();
    const reader = streams.toReadableStream(r).getReader();
    const pending = reader.read();
    await sleep(20);
    await reader.cancel('done');
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(readinessState().pending).toBe(0);
    expect(() => os.fstat(r)).toThrow(expect.objectContaining({ errno: 9 }));
    os.close(w);
  });
});
