// The fds the select tests share, at fixed numbers so that CPython and
// pipefork see the same ones: 200/201 a pipe with data, 202/203 an empty
// one, 204 a pipe's read end whose writer is closed (EOF).
import { os } from '../../lib/index.js';

/** The pipes the cases select on, at fixed numbers (see above); returns the closer. */
export function fixedPipes(): () => void {
  const made: number[] = [];
  const place = (fd: number, at: number): void => {
    os.dup2(fd, at);
    os.close(fd);
    made.push(at);
  };
  const [a, b] = os.pipe();
  place(a, 200);
  place(b, 201);
  os.write(201, Buffer.from('x'));
  const [c, d] = os.pipe();
  place(c, 202);
  place(d, 203);
  const [e, g] = os.pipe();
  place(e, 204);
  os.close(g);
  return () => {
    for (const fd of made) os.close(fd);
  };
}

export const PY_FIXED_PIPES = `
import os
def place(fd, at):
    os.dup2(fd, at); os.close(fd)
a, b = os.pipe(); place(a, 200); place(b, 201); os.write(201, b'x')
c, d = os.pipe(); place(c, 202); place(d, 203)
e, g = os.pipe(); place(e, 204); os.close(g)
class F:
    def __init__(self, fd): self.fd = fd
    def fileno(self): return self.fd
    def __repr__(self): return 'F(%r)' % (self.fd,)
class Raises:
    def fileno(self): raise ValueError('I/O operation on closed file')
class NotCallable:
    fileno = 5
def fds_of(r): return [[repr(x) if isinstance(x, F) else x for x in l] for l in r]
`;
