// What the signal tests share: a Python child that acts later (writes to a
// pipe, drains one, signals this process), and a SIGALRM handler armed with
// setitimer, each bounded in time.
import { type ChildProcess, spawn } from 'node:child_process';
import { os, signal } from '../../lib/index.js';

/** A python3 child running `code` with `fds` as its fds 3, 4, ...; done when it exits. */
export function pythonChild(code: string, fds: number[] = []): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn('python3', ['-c', code], { stdio: ['ignore', 'ignore', 'inherit', ...fds] });
  const done = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return { child, done };
}

/** Writes `data` to fd 3 after `seconds`. */
export function writeLater(seconds: number, fd: number, data = 'data'): Promise<number | null> {
  return pythonChild(`import os, time; time.sleep(${seconds}); os.write(3, ${JSON.stringify(data)}.encode())`, [fd])
    .done;
}

/** Reads fd 3 to its end after `seconds`. */
export function drainLater(seconds: number, fd: number): Promise<number | null> {
  return pythonChild(
    `import os, time
time.sleep(${seconds})
while os.read(3, 1 << 16): pass`,
    [fd],
  ).done;
}

/** Sends sig to this process after `seconds` (another process's kill). */
export function killLater(seconds: number, sig: number): Promise<number | null> {
  return pythonChild(`import os, time; time.sleep(${seconds}); os.kill(${process.pid}, ${sig})`).done;
}

/** Seconds since t0 (performance.now() ms). */
export const since = (t0: number): number => (performance.now() - t0) / 1000;

/**
 * Installs fn as the SIGALRM handler and arms ITIMER_REAL for `seconds`;
 * the returned function disarms it and gives SIGALRM back.
 */
export function alarmIn(seconds: number, fn: (signum: number) => void): () => void {
  signal.signal(signal.SIGALRM, (s) => fn(s));
  signal.setitimer(signal.ITIMER_REAL, seconds);
  return () => {
    signal.setitimer(signal.ITIMER_REAL, 0);
    signal.signal(signal.SIGALRM, signal.SIG_DFL);
  };
}

/** A pipe whose write end is full (blocking again), for the blocked-writer cases. */
export function fullPipe(): [number, number] {
  const [r, w] = os.pipe();
  os.set_blocking(w, false);
  const chunk = Buffer.alloc(65536);
  try {
    for (;;) os.write(w, chunk);
  } catch {
    // BlockingIOError: full
  }
  os.set_blocking(w, true);
  return [r, w];
}

/** The error a throwing handler raises. */
export class HandlerError extends Error {
  override name = 'HandlerError';
}
