// How large a Buffer one read(2) of at most n bytes needs, shared by os.read
// and FileIO.read. CPython allocates n and shrinks the result; for a pipe or
// a regular file the addon says how much can come (FIONREAD, else the pipe's
// capacity), so os.read(fd, 1 << 20) on a 64 KiB pipe costs 64 KiB. Anything
// else (sockets, ttys, devices) gets all of n: a shorter read could cut a
// datagram.
import { constants as bufferConstants } from 'node:buffer';
import { native } from './native.js';

/** Up to this size, n itself is cheap enough to allocate. */
const DIRECT_READ = 65536;
/** Node cannot make a Buffer larger than this. */
const MAX_BUFFER = bufferConstants.MAX_LENGTH;

export function readSize(fd: number, n: number): number {
  if (n <= DIRECT_READ) return n;
  const hint = native.readHint(fd);
  const size = hint < 0 ? n : Math.min(n, Math.max(hint, DIRECT_READ));
  return Math.min(size, MAX_BUFFER);
}
