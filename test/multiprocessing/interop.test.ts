// Node and python3 talking multiprocessing's wire to each other, both ways:
// over Pipe() (a socketpair end handed to a Python child with pass_fds),
// over a plain os.pipe() pair, and over Listener/Client with and without the
// authkey handshake (Node listening to a Python client and the reverse).
// Values go through pickle both ways, as do frames of 0 bytes and 1 MiB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multiprocessing, os, pickle, subprocess } from '../../lib/index.js';
import { startNode, startPython } from './helpers.js';

const { Connection, Pipe, Client } = multiprocessing.connection;
type Conn = InstanceType<typeof Connection>;
const dir = mkdtempSync(join(tmpdir(), 'pipefork-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The Python peer: echoes every object it receives with its Python type
 * name, until 'stop'; then echoes two byte messages (0 bytes, 1 MiB) and
 * reports what it saw of a 3 GiB header with maxlength.
 */
const PY_PEER = `
import sys
from multiprocessing.connection import Connection
fds = [int(a) for a in sys.argv[1:]]
if len(fds) == 1:
    rx = tx = Connection(fds[0])
else:
    rx, tx = Connection(fds[0], writable=False), Connection(fds[1], readable=False)
while True:
    obj = rx.recv()
    if obj == 'stop':
        break
    tx.send([obj, type(obj).__name__])
for _ in range(2):
    tx.send_bytes(rx.recv_bytes())
try:
    rx.recv_bytes(1 << 20)
except OSError as e:
    tx.send(['refused', str(e), rx.readable, rx.closed])
`;

const ones = Buffer.alloc(16, 1);
/** [value sent, Python type name, value expected back] */
const VALUES: [unknown, string, unknown?][] = [
  [null, 'NoneType'],
  [true, 'bool'],
  [0, 'int'],
  [-(2 ** 53 - 1), 'int'],
  [2n ** 64n + 1n, 'int'],
  [-(2n ** 100n), 'int'],
  [1.5, 'float'],
  [Number.NEGATIVE_INFINITY, 'float'],
  ['', 'str'],
  ['naïve ☃ 😀', 'str'],
  [Buffer.from([0, 1, 255]), 'bytes'],
  [[1, [2, [3]]], 'list'],
  [pickle.tuple([1, 'two', pickle.tuple([])]), 'tuple'],
  [{ cmd: 'run', args: [1, 2], opts: { verbose: true } }, 'dict'],
  [
    new Map<unknown, unknown>([
      [1, 'one'],
      [pickle.tuple([2, 3]), 'pair'],
    ]),
    'dict',
  ],
  [new Set([1, 'x']), 'set'],
  [pickle.frozenset([1, 2]), 'frozenset'],
  [[ones, ones], 'list'],
  [Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `item${i}` })), 'list'],
];

/**
 * Sends each value, checks what Python saw and what came back; then the
 * byte frames and the lying header, after which Python's connection stops
 * reading (duplex) or is closed (read-only).
 */
function converse(tx: Conn, rx: Conn, afterLie: [boolean, boolean]): void {
  for (const [value, pyType, back = value] of VALUES) {
    tx.send(value);
    const [echo, type] = rx.recv() as [unknown, string];
    expect(type).toBe(pyType);
    expect(echo).toEqual(back);
  }
  // A tuple that came back is still a tuple when sent again.
  tx.send(pickle.tuple([1]));
  expect(pickle.isTuple((rx.recv() as unknown[])[0])).toBe(true);
  tx.send('stop');
  tx.send_bytes(Buffer.alloc(0));
  expect(rx.recv_bytes().length).toBe(0);
  const mib = Buffer.alloc(1 << 20);
  for (let i = 0; i < mib.length; i++) mib[i] = (i * 7) & 0xff;
  tx.send_bytes(mib);
  expect(rx.recv_bytes().equals(mib)).toBe(true);
  // A 3 GiB header and nothing after it: CPython refuses it by maxlength, without reading on.
  const lie = Buffer.alloc(12);
  lie.writeInt32BE(-1);
  lie.writeBigUInt64BE(3n * 2n ** 30n, 4);
  os.write(tx.fileno(), lie);
  expect(rx.recv()).toEqual(['refused', 'bad message length', ...afterLie]);
}

function runPeer(fds: number[]): InstanceType<typeof subprocess.Popen> {
  return new subprocess.Popen(['python3', '-c', PY_PEER, ...fds.map(String)], { pass_fds: fds });
}

describe('Node ↔ python3', () => {
  it("over Pipe(): one end of the socketpair is the Python child's (pass_fds)", () => {
    const [ours, theirs] = Pipe();
    const p = runPeer([theirs.fileno()]);
    theirs.close(); // Python holds it now: its exit is our EOF
    try {
      converse(ours, ours, [false, false]);
    } finally {
      ours.close();
      expect(p.wait(20)).toBe(0);
    }
  });

  it('over a plain os.pipe() pair', () => {
    const [r1, w1] = os.pipe(); // Node -> Python
    const [r2, w2] = os.pipe(); // Python -> Node
    const p = runPeer([r1, w2]);
    os.close(r1);
    os.close(w2);
    const tx = new Connection(w1, { readable: false });
    const rx = new Connection(r2, { writable: false });
    try {
      converse(tx, rx, [true, true]);
    } finally {
      tx.close();
      rx.close();
      expect(p.wait(20)).toBe(0);
    }
  });

  it('Python Listener with an authkey, Node Client: the handshake both ways, then objects', async () => {
    const address = join(dir, 'py-listener.sock');
    const py = startPython(`
from multiprocessing.connection import Listener
with Listener(${JSON.stringify(address)}, authkey=b'secret') as l:
    print('ready', flush=True)
    with l.accept() as c:
        c.send(['hello from python', c.recv()])
        c.send_bytes(c.recv_bytes())
    try:
        l.accept()
    except Exception as e:
        print(type(e).__name__, e, flush=True)
`);
    await py.ready;
    const c = Client(address, { authkey: Buffer.from('secret') });
    try {
      c.send({ from: 'node', n: 2n ** 70n });
      expect(c.recv()).toEqual(['hello from python', { from: 'node', n: 2n ** 70n }]);
      c.send_bytes(Buffer.alloc(0));
      expect(c.recv_bytes().length).toBe(0);
    } finally {
      c.close();
    }
    // The wrong key: each side says what CPython's side says.
    expect(() => Client(address, { authkey: Buffer.from('wrong') })).toThrow(
      expect.objectContaining({ name: 'AuthenticationError', message: 'digest sent was rejected' }),
    );
    const done = await py.done;
    expect(done.stdout).toBe('ready\nAuthenticationError digest received was wrong\n');
    expect(done.status).toBe(0);
  });

  it('Node Listener with an authkey, Python Client: the handshake both ways, then objects', async () => {
    const address = join(dir, 'node-listener.sock');
    const node = startNode(`
import { multiprocessing } from 'PIPEFORK';
const l = new multiprocessing.connection.Listener(${JSON.stringify(address)}, { authkey: Buffer.from('secret') });
console.log('ready');
const c = l.accept();
c.send(['hello from node', c.recv()]);
c.send_bytes(c.recv_bytes());
c.close();
try {
  l.accept();
} catch (e) {
  console.log(e.name, e.message);
}
l.close();
`);
    await node.ready;
    const py = startPython(`
from multiprocessing.connection import Client, AuthenticationError
with Client(${JSON.stringify(address)}, authkey=b'secret') as c:
    c.send({'from': 'python', 't': (1, 2)})
    print(repr(c.recv()))
    c.send_bytes(b'x' * (1 << 20))
    print(len(c.recv_bytes()))
try:
    Client(${JSON.stringify(address)}, authkey=b'wrong')
except AuthenticationError as e:
    print('AuthenticationError', e)
`);
    const [n, p] = await Promise.all([node.done, py.done]);
    expect(p.stderr).toBe('');
    expect(p.stdout).toBe(
      "['hello from node', {'from': 'python', 't': (1, 2)}]\n1048576\nAuthenticationError digest sent was rejected\n",
    );
    expect(n.stderr).toBe('');
    expect(n.stdout).toBe('ready\nAuthenticationError digest received was wrong\n');
  });

  it('Node Listener, Node Client in two programs, with an authkey', async () => {
    const address = join(dir, 'node-node.sock');
    const server = startNode(`
import { multiprocessing } from 'PIPEFORK';
const l = new multiprocessing.connection.Listener(${JSON.stringify(address)}, { authkey: Buffer.from('k') });
console.log('ready');
const c = l.accept();
c.send(c.recv().map((x) => x * 2));
c.close();
l.close();
`);
    await server.ready;
    const c = Client(address, { authkey: Buffer.from('k') });
    try {
      c.send([1, 2, 3]);
      expect(c.recv()).toEqual([2, 4, 6]);
    } finally {
      c.close();
    }
    const done = await server.done;
    expect([done.status, done.stderr]).toEqual([0, '']);
  });

  it('a Listener with an authkey, a Client without one: the Client sees the challenge as a message, as in CPython', async () => {
    const address = join(dir, 'no-key.sock');
    const py = startPython(`
from multiprocessing.connection import Listener
with Listener(${JSON.stringify(address)}, authkey=b'secret') as l:
    print('ready', flush=True)
    try:
        l.accept()
    except Exception as e:
        print(type(e).__name__, e, flush=True)
`);
    await py.ready;
    const c = Client(address);
    try {
      const challenge = c.recv_bytes();
      expect(challenge.subarray(0, 11).toString()).toBe('#CHALLENGE#');
      expect(challenge.length).toBe(31); // 3.11: 20 random bytes after the tag
      c.send_bytes(Buffer.from('not the digest'));
      expect(c.recv_bytes().toString()).toBe('#FAILURE#');
    } finally {
      c.close();
    }
    expect((await py.done).stdout).toBe('ready\nAuthenticationError digest received was wrong\n');
  });
});
