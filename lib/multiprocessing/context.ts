// multiprocessing's own exceptions (CPython's multiprocessing/context.py).
import { Exception } from '../errors.js';

/** The base of multiprocessing's own errors. */
export class ProcessError extends Exception {}

/**
 * recv_bytes_into() was given a buffer too small for the message: the
 * whole message is `e.args[0]` (a Buffer), as in CPython.
 */
export class BufferTooShort extends ProcessError {}

/** multiprocessing.TimeoutError: a ProcessError, not the builtin TimeoutError (an OSError). */
export class TimeoutError extends ProcessError {}

/** The authkey handshake of Listener/Client failed. */
export class AuthenticationError extends ProcessError {}

// Python's class names show in stacks and in String(err).
for (const cls of [ProcessError, BufferTooShort, TimeoutError, AuthenticationError]) {
  Object.defineProperty(cls.prototype, 'name', { value: cls.name, writable: true, configurable: true });
}
