// Programs the multiprocessing tests run beside themselves: a Listener in a
// Node or Python program, a Python peer on a pipe. Every one has a deadline
// (it is killed at it), so a test that waits for a peer cannot hang: when
// the peer dies, its end of the socket or pipe closes and our side sees EOF
// or ECONNREFUSED.
import { spawn } from 'node:child_process';
import { PIPEFORK } from '../helpers/program.js';

export interface Done {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
}

export interface Running {
  /** Resolves with the first line the program writes to stdout (it says it is ready). */
  ready: Promise<string>;
  /** Resolves when it has exited and its output is closed. */
  done: Promise<Done>;
}

/** Starts a program; kills it (SIGKILL) at the deadline. */
export function start(file: string, args: string[], deadlineMs = 20_000): Running {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: deadlineMs, killSignal: 'SIGKILL' });
  let stdout = '';
  let stderr = '';
  let readyResolve: (line: string) => void = () => {};
  let readyReject: (e: Error) => void = () => {};
  const ready = new Promise<string>((res, rej) => {
    readyResolve = res;
    readyReject = rej;
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    stdout += d;
    const nl = stdout.indexOf('\n');
    if (nl >= 0) readyResolve(stdout.slice(0, nl));
  });
  child.stderr.on('data', (d: string) => {
    stderr += d;
  });
  const done = new Promise<Done>((res) => {
    child.on('close', (status, signal) => {
      readyReject(new Error(`exited before it was ready (${status ?? signal}):\n${stdout}\n${stderr}`));
      res({ stdout, stderr, status, signal });
    });
  });
  // A program that never gets ready fails the test through `ready`, not as an unhandled rejection.
  ready.catch(() => {});
  return { ready, done };
}

/** A Python program (python3 -c code args...). */
export function startPython(code: string, args: string[] = [], deadlineMs?: number): Running {
  return start('python3', ['-c', code, ...args], deadlineMs);
}

/** A Node ES module importing the compiled library as PIPEFORK. */
export function startNode(code: string, args: string[] = [], deadlineMs?: number): Running {
  return start(
    process.execPath,
    ['--input-type=module', '-e', code.replaceAll('PIPEFORK', PIPEFORK), ...args],
    deadlineMs,
  );
}
