// The Unix-domain socket syscalls (multiprocessing's Pipe, Listener and
// Client): one checked function each, raising the CPython-shaped OSError
// (lib/errors.ts). As CPython's socket errors, they name no file. Addresses
// are sun_path's bytes; lib/multiprocessing/connection.ts converts str paths
// and checks their length, as CPython's getsockaddrarg does.
import type { Buffer } from 'node:buffer';
import { oserror } from '../errors.js';
import { native } from '../native.js';
import { blocking } from './blocking.js';
import { POLLOUT, SO_ERROR, SOL_SOCKET } from './constants.js';

function fail(r: number, syscall: string): never {
  throw oserror(-r, syscall);
}

/** socketpair(2), both ends close-on-exec. */
export function socketpair(family: number, type: number): [number, number] {
  const r = native.socketpair(family, type);
  return typeof r === 'number' ? fail(r, 'socketpair') : r;
}

/** socket(2), close-on-exec. */
export function socket(family: number, type: number): number {
  const r = native.socket(family, type);
  return r >= 0 ? r : fail(r, 'socket');
}

export function bind(fd: number, path: Uint8Array): void {
  const r = native.bindUnix(fd, path);
  if (r < 0) fail(r, 'bind');
}

export function listen(fd: number, backlog: number): void {
  const r = native.listen(fd, backlog);
  if (r < 0) fail(r, 'listen');
}

/**
 * accept(2) on a blocking socket: [the new fd (close-on-exec), the peer's
 * sun_path bytes]. Interrupted by a signal, it goes through the retry point.
 */
export function accept(fd: number): [number, Buffer] {
  let out: [number, Buffer] | undefined;
  const r = blocking(() => {
    const a = native.accept(fd);
    if (typeof a === 'number') return a;
    out = a;
    return a[0];
  });
  return r >= 0 && out !== undefined ? out : fail(r, 'accept');
}

const optBuf = new Int32Array(1);

/**
 * connect(2) on a blocking socket. A signal does not restart it: the
 * connection goes on, so after the interrupt hook this waits for the socket
 * to be writable and reads the outcome from SO_ERROR, as CPython's
 * sock_connect does (a second connect() would say EALREADY).
 */
export function connect(fd: number, path: Uint8Array): void {
  let calls = 0;
  const fds = Int32Array.of(fd);
  const events = Int16Array.of(POLLOUT);
  const revents = new Int16Array(1);
  const r = blocking((ms) => (calls++ === 0 ? native.connectUnix(fd, path) : native.pollFds(fds, events, revents, ms)));
  if (calls === 1) {
    if (r < 0) fail(r, 'connect');
    return;
  }
  if (r < 0) fail(r, 'poll');
  const err = getsockopt(fd, SOL_SOCKET, SO_ERROR);
  if (err !== 0) throw oserror(err, 'connect');
}

/** getsockname(2): the socket's own sun_path bytes. */
export function getsockname(fd: number): Buffer {
  const r = native.getsockname(fd);
  return typeof r === 'number' ? fail(r, 'getsockname') : r;
}

export function setsockopt(fd: number, level: number, name: number, value: number): void {
  const r = native.setsockopt(fd, level, name, value);
  if (r < 0) fail(r, 'setsockopt');
}

export function getsockopt(fd: number, level: number, name: number): number {
  const r = native.getsockopt(fd, level, name, optBuf);
  if (r < 0) fail(r, 'getsockopt');
  return optBuf[0] as number;
}
