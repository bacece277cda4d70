// lib/posix/ready.ts: waitReadable/waitWritable, the readiness every
// awaitable twin is built on, and the rules that make the twins safe in a
// Node program: the event loop keeps running, no thread-pool thread is
// held, nothing is left referenced, a Worker has its own, a forked child
// never touches the parent's.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { os, subprocess } from '../../lib/index.js';
import {
  ERROR,
  HANGUP,
  READABLE,
  readinessState,
  WRITABLE,
  waitFd,
  waitReadable,
  waitWritable,
} from '../../lib/posix/ready.js';
import { PIPEFORK, runNode } from '../helpers/program.js';

const T = { timeout: 30_000 };

/** The fds registered in this process's readiness epoll instance, from /proc (its "tfd:" lines). */
function registered(): number[] {
  const { epollFd } = readinessState();
  if (epollFd < 0) return [];
  const info = readFileSync(`/proc/self/fdinfo/${epollFd}`, 'utf8');
  return [...info.matchAll(/^tfd:\s+(\d+)/gm)].map((m) => Number(m[1]));
}

describe('waitReadable / waitWritable', () => {
  it('resolve with the events: readable once data comes, writable at once on an empty pipe', T, async () => {
    const [r, w] = os.pipe();
    try {
      expect(await waitWritable(w)).toBe(WRITABLE);
      const pending = waitReadable(r);
      let done = false;
      void pending.then(() => {
        done = true;
      });
      await sleep(30);
      expect(done).toBe(false);
      os.write(w, Buffer.from('x'));
      expect((await pending) & READABLE).toBe(READABLE);
      // Still readable: a second wait resolves at once (one-shot, re-armed per wait).
      expect((await waitReadable(r)) & READABLE).toBe(READABLE);
    } finally {
      os.close(r);
      os.close(w);
    }
  });

  it('a hang-up or error counts whatever was asked: the writer gone, the reader gone', T, async () => {
    const [r, w] = os.pipe();
    const reading = waitReadable(r);
    os.close(w);
    expect((await reading) & HANGUP).toBe(HANGUP);
    os.close(r);
    const [r2, w2] = os.pipe();
    os.write(w2, Buffer.alloc(65536)); // full
    const writing = waitWritable(w2);
    os.close(r2);
    expect((await writing) & ERROR).toBe(ERROR);
    os.close(w2);
  });

  it('a reader and a writer each get their report; two waits on one fd resolve from one report', T, async () => {
    const [r, w] = os.pipe();
    try {
      const both = [waitFd(r, READABLE), waitFd(w, WRITABLE)];
      os.write(w, Buffer.from('x'));
      expect(await Promise.all(both)).toEqual([READABLE, WRITABLE]);
      // Two waits on the same fd: both resolve from one report.
      const two = [waitReadable(r), waitReadable(r)];
      expect(await Promise.all(two)).toEqual([READABLE, READABLE]);
    } finally {
      os.close(r);
      os.close(w);
    }
  });

  it('rejects with the signal reason: aborted before, while waiting, and not after it resolved', T, async () => {
    const [r, w] = os.pipe();
    try {
      const before = AbortSignal.abort(new Error('before'));
      await expect(waitReadable(r, { signal: before })).rejects.toThrow('before');
      const ac = new AbortController();
      const during = waitReadable(r, { signal: ac.signal });
      ac.abort('gone');
      await expect(during).rejects.toBe('gone');
      await expect(waitReadable(r, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
        name: 'TimeoutError',
      });
      const after = new AbortController();
      os.write(w, Buffer.from('x'));
      const events = await waitReadable(r, { signal: after.signal });
      after.abort();
      expect(events).toBe(READABLE);
      expect(readinessState().pending).toBe(0);
    } finally {
      os.close(r);
      os.close(w);
    }
  });

  it(
    "rejects what epoll_ctl says: EBADF for a closed fd, EPERM for a regular file; a bad signal is Node's TypeError",
    T,
    async () => {
      await expect(waitReadable(-1)).rejects.toMatchObject({ name: 'OSError', errno: 9 });
      const fd = os.open('/etc/passwd', os.O_RDONLY);
      try {
        await expect(waitReadable(fd)).rejects.toMatchObject({ name: 'PermissionError', errno: 1 });
      } finally {
        os.close(fd);
      }
      await expect(waitReadable(0, { signal: 5 as unknown as AbortSignal })).rejects.toMatchObject({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_TYPE',
      });
    },
  );

  it(
    'closing the fd through pipefork rejects its waits with EBADF and takes it out of the epoll instance',
    T,
    async () => {
      const [r, w] = os.pipe();
      const pending = waitReadable(r);
      expect(registered()).toContain(r);
      os.close(r);
      await expect(pending).rejects.toMatchObject({ name: 'OSError', errno: 9 });
      expect(registered()).not.toContain(r);
      os.close(w);
    },
  );
});

describe('the event loop while awaits are pending', () => {
  it('keeps ticking while 100 awaits are pending on pipes and processes, which then all complete', T, async () => {
    const pipes = Array.from({ length: 50 }, () => os.pipe());
    const procs = Array.from({ length: 50 }, () => new subprocess.Popen(['sleep', '30']));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const reads = pipes.map(([r]) => os.readAsync(r, 16));
      const waits = procs.map((p) => p.waitAsync());
      await sleep(250);
      // A blocking wait would have let no timer run at all (issue 15: 0
      // ticks in 0.5 s); 250 ms at 10 ms is ~25 on an idle machine.
      expect(ticks).toBeGreaterThanOrEqual(5);
      expect(readinessState().pending).toBe(100);
      pipes.forEach(([, w], i) => {
        os.write(w, Buffer.from(`pipe ${i}`));
      });
      for (const p of procs) p.kill();
      const got = await Promise.all(reads);
      expect(got.map(String)).toEqual(pipes.map((_, i) => `pipe ${i}`));
      expect(await Promise.all(waits)).toEqual(procs.map(() => -9));
    } finally {
      clearInterval(timer);
      for (const p of procs) {
        p.kill();
        p.wait();
      }
      for (const [r, w] of pipes) {
        os.close(r);
        os.close(w);
      }
    }
  });

  it('1,000 concurrent readAsync on 1,000 pipes complete with their data', T, async () => {
    const pipes = Array.from({ length: 1000 }, () => os.pipe());
    try {
      const reads = pipes.map(([r]) => os.readAsync(r, 64));
      expect(readinessState().pending).toBe(1000);
      // Written in a shuffled order, from timers: the reads complete as their data comes.
      const order = pipes.map((_, i) => i).sort((a, b) => ((a * 7919) % 1000) - ((b * 7919) % 1000));
      for (let k = 0; k < order.length; k += 100) {
        await sleep(1);
        for (const i of order.slice(k, k + 100)) os.write((pipes[i] as [number, number])[1], Buffer.from(`data ${i}`));
      }
      const got = await Promise.all(reads);
      expect(got.map(String)).toEqual(pipes.map((_, i) => `data ${i}`));
    } finally {
      for (const [r, w] of pipes) {
        os.close(r);
        os.close(w);
      }
    }
  });

  it(
    "holds no thread-pool thread: 8 waiting reads do not stall fs.promises.readFile (libuv's pool has 4)",
    T,
    async () => {
      const pipes = Array.from({ length: 8 }, () => os.pipe());
      try {
        const reads = pipes.map(([r]) => os.readAsync(r, 1));
        const t0 = performance.now();
        const text = await readFile('/etc/hostname', 'utf8').catch(() => readFile('/etc/passwd', 'utf8'));
        expect(text.length).toBeGreaterThan(0);
        expect(performance.now() - t0).toBeLessThan(5000);
        expect(readinessState().pending).toBe(8);
        for (const [, w] of pipes) os.write(w, Buffer.from('x'));
        await Promise.all(reads);
      } finally {
        for (const [r, w] of pipes) {
          os.close(r);
          os.close(w);
        }
      }
    },
  );

  it('a script that awaits and returns exits on its own: nothing is left referenced', T, () => {
    const r = runNode(`
      import { os, subprocess } from 'PIPEFORK';
      const [r, w] = os.pipe();
      setTimeout(() => os.write(w, Buffer.from('hi')), 20);
      const got = await os.readAsync(r, 10);
      const p = new subprocess.Popen(['true']);
      const code = await p.waitAsync();
      await os.readAsync(r, 1, { signal: AbortSignal.timeout(20) }).catch((e) => {});
      console.log(String(got), code);
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hi 0\n');
    expect(r.status).toBe(0);
  });

  it('a pending wait keeps the process alive until it resolves', T, () => {
    const r = runNode(`
      import { os } from 'PIPEFORK';
      const [r, w] = os.pipe();
      const t = setTimeout(() => os.write(w, Buffer.from('late')), 200);
      t.unref(); // only the pending read holds the loop
      console.log(String(await os.readAsync(r, 10)));
    `);
    expect(r.stdout).toBe('late\n');
    expect(r.status).toBe(0);
  });
});

describe('readiness per environment', () => {
  it('works in worker_threads Workers, each with its own epoll instance, closed with the Worker', T, async () => {
    const code = `
      const { parentPort } = await import('node:worker_threads');
      const { os } = await import(${JSON.stringify(PIPEFORK)});
      const { readinessState } = await import(${JSON.stringify(PIPEFORK.replace('index.js', 'posix/ready.js'))});
      const [r, w] = os.pipe();
      setTimeout(() => os.write(w, Buffer.from('from worker')), 10);
      const got = String(await os.readAsync(r, 100));
      os.close(r); os.close(w);
      parentPort.postMessage({ got, live: readinessState().liveInstances });
    `;
    // The main environment's own instance exists already (earlier tests).
    const [r0, w0] = os.pipe();
    os.write(w0, Buffer.from('x'));
    await os.readAsync(r0, 1);
    os.close(r0);
    os.close(w0);
    const base = readinessState().liveInstances;
    const runs = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<{ got: string; live: number }>((resolve, reject) => {
            const worker = new Worker(code, { eval: true });
            let msg: { got: string; live: number } | undefined;
            worker.once('message', (m) => {
              msg = m;
            });
            worker.once('error', reject);
            worker.once('exit', () => (msg ? resolve(msg) : reject(new Error('no message'))));
          }),
      ),
    );
    for (const m of runs) {
      expect(m.got).toBe('from worker');
      expect(m.live).toBeGreaterThan(base);
    }
    expect(readinessState().liveInstances).toBe(base);
  });

  it(
    "a forked child never touches the parent's epoll instance: its waits reject, nothing is registered",
    T,
    async () => {
      const [r, w] = os.pipe();
      const [rr, rw] = os.pipe();
      const parentWait = waitReadable(rr); // the instance exists, with rr armed
      const before = registered();
      const pid = os.fork(() => {
        // The child's copy of the parent's books says 1 wait pending (the
        // parent's); a wait made in the child adds none: it is rejected before
        // anything is registered (its error is seen through a promise, which a
        // forked child cannot await, so the state is reported instead).
        const before = readinessState().pending;
        waitReadable(r).catch(() => {});
        os.write(w, Buffer.from(`pending ${before} -> ${readinessState().pending}`));
        return 0;
      });
      const status = (await os.waitpidAsync(pid, 0))[1];
      expect(os.waitstatus_to_exitcode(status)).toBe(0);
      expect(String(os.read(r, 100))).toBe('pending 1 -> 1');
      expect(registered()).toEqual(before);
      os.write(rw, Buffer.from('x'));
      expect(await parentWait).toBe(READABLE);
      for (const fd of [r, w, rr, rw]) os.close(fd);
    },
  );
});
