// The bytes Connection writes, compared with what CPython 3.11 writes for the
// same calls, write by write: over a datagram socketpair each write(2) is
// one datagram, so the test sees where CPython combines the header and the
// payload (up to 16 KiB) and where it writes them apart.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BlockingIOError, multiprocessing, os, pickle } from '../../lib/index.js';
import { frameHeader } from '../../lib/multiprocessing/connection.js';
import * as posix from '../../lib/posix/index.js';
import { pythonJson } from '../helpers/python.js';

const { Connection, Pipe } = multiprocessing.connection;

/** A datagram as compared: its length and a hash of its bytes (the first 24 in hex too). */
function describeDatagram(d: Uint8Array): [number, string, string] {
  return [d.length, Buffer.from(d.subarray(0, 24)).toString('hex'), createHash('sha256').update(d).digest('hex')];
}

/** The calls, as Python source; the JS twin of each is in JS_CALLS at the same index. */
const PY_CALLS = [
  "c.send_bytes(b'')",
  "c.send_bytes(b'x')",
  "c.send_bytes(b'hello world')",
  'c.send_bytes(bytes(range(256)) * 64)', // 16 384: the largest combined write
  "c.send_bytes(bytes(range(256)) * 64 + b'!')", // 16 385: header and payload apart
  "c.send_bytes(b'abcdef' * 20000, 5, 100000)",
  "c.send_bytes(b'abcdef', 6)",
  'c.send(None)',
  'c.send(1)',
  "c.send('caf\\u00e9')",
  "c.send({'cmd': 'run', 'args': [1, 2.5, None, True, b'\\x00'], 'n': 2**70})",
  "c.send([{'id': i, 'name': 'item%d' % i, 'ok': i % 2 == 0} for i in range(1000)])",
  'c.send((1, (2, 3), [4, 5]))',
];
const pyItems = () => Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `item${i}`, ok: i % 2 === 0 }));
const pattern = (reps: number) =>
  Buffer.concat(Array.from({ length: reps }, () => Buffer.from(Array.from({ length: 256 }, (_, i) => i))));
const JS_CALLS: ((c: InstanceType<typeof Connection>) => void)[] = [
  (c) => c.send_bytes(Buffer.alloc(0)),
  (c) => c.send_bytes(Buffer.from('x')),
  (c) => c.send_bytes(Buffer.from('hello world')),
  (c) => c.send_bytes(pattern(64)),
  (c) => c.send_bytes(Buffer.concat([pattern(64), Buffer.from('!')])),
  (c) => c.send_bytes(Buffer.from('abcdef'.repeat(20000)), 5, 100000),
  (c) => c.send_bytes(Buffer.from('abcdef'), 6),
  (c) => c.send(null),
  (c) => c.send(1),
  (c) => c.send('café'),
  (c) => c.send({ cmd: 'run', args: [1, 2.5, null, true, Buffer.from([0])], n: 2n ** 70n }),
  (c) => c.send(pyItems()),
  (c) => c.send(pickle.tuple([1, pickle.tuple([2, 3]), [4, 5]])),
];

/** Reads every datagram waiting on a non-blocking fd. */
function drain(fd: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (;;) {
    try {
      out.push(os.read(fd, 1 << 20));
    } catch (e) {
      if (e instanceof BlockingIOError) return out;
      throw e;
    }
  }
}

describe('Connection on the wire', () => {
  it('writes what CPython writes, in the same writes (send_bytes and send)', () => {
    const python = pythonJson<unknown[][][]>(`
import socket, json, hashlib
from multiprocessing.connection import Connection
def describe(d):
    return [len(d), d[:24].hex(), hashlib.sha256(d).hexdigest()]
s1, s2 = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
s2.setblocking(False)
c = Connection(s1.detach())
out = []
for call in ${JSON.stringify(PY_CALLS)}:
    eval(call)
    grams = []
    while True:
        try:
            grams.append(describe(s2.recv(1 << 20)))
        except BlockingIOError:
            break
    out.append(grams)
print(json.dumps(out))
`);
    const [a, b] = posix.socketpair(posix.AF_UNIX, posix.SOCK_DGRAM);
    const c = new Connection(a);
    try {
      os.set_blocking(b, false);
      const ours = JS_CALLS.map((call) => {
        call(c);
        return drain(b).map(describeDatagram);
      });
      expect(ours).toEqual(python);
      // The cases cover both sides of the 16 KiB line and a pickle larger than it.
      expect((python[3] as unknown[]).length).toBe(1);
      expect((python[4] as unknown[]).length).toBe(2);
      expect((python[11] as unknown[]).length).toBe(2);
    } finally {
      c.close();
      os.close(b);
    }
  });

  it("writes the header CPython writes for every size, '!Q' beyond 2 GiB - 1 (checked without a 2 GiB payload)", () => {
    const sizes = [0, 1, 255, 65536, 2 ** 31 - 1, 2 ** 31, 3 * 2 ** 30, 2 ** 32, 2 ** 40, 2 ** 53 - 1];
    const python = pythonJson<string[]>(`
import json, struct
def header(n):
    return struct.pack('!i', n) if n <= 0x7fffffff else struct.pack('!i', -1) + struct.pack('!Q', n)
print(json.dumps([header(n).hex() for n in ${JSON.stringify(sizes)}]))
`);
    expect(sizes.map((n) => Buffer.from(frameHeader(n)).toString('hex'))).toEqual(python);
  });

  it('a 1 MiB message and a 1 MiB pickle: the same stream as CPython (written by a child, read here)', () => {
    const python = pythonJson<string[]>(`
import json, hashlib, os
import multiprocessing as mp
def stream(send):
    r, w = mp.Pipe(False)
    p = mp.get_context('fork').Process(target=send, args=(w,))
    p.start()
    w.close()
    h = hashlib.sha256()
    while True:
        b = os.read(r.fileno(), 1 << 20)
        if not b:
            break
        h.update(b)
    p.join()
    r.close()
    return h.hexdigest()
print(json.dumps([
    stream(lambda c: c.send_bytes(bytes(range(256)) * 4096)),
    stream(lambda c: c.send([b'\\x01' * 1000] * 1024 + ['x' * 70000])),
]))
`);
    const stream = (send: (c: InstanceType<typeof Connection>) => void): string => {
      const [r, w] = Pipe(false);
      const p = new multiprocessing.Process({ target: send, args: [w] });
      p.start();
      w.close();
      const h = createHash('sha256');
      for (;;) {
        const b = os.read(r.fileno(), 1 << 20);
        if (b.length === 0) break;
        h.update(b);
      }
      p.join();
      p.close();
      r.close();
      return h.digest('hex');
    };
    // One bytes object 1024 times, as Python's list repetition makes it: memoized after the first.
    const ones = Buffer.alloc(1000, 1);
    const ours = [
      stream((c) => c.send_bytes(pattern(4096))),
      stream((c) => c.send([...Array.from({ length: 1024 }, () => ones), 'x'.repeat(70000)])),
    ];
    expect(ours).toEqual(python);
  });
});
