// multiprocessing.connection.Listener and Client in this process, against
// CPython where it has the same behaviour: the addresses a Listener takes
// and reports, its errors, and a connection without an authkey (which needs
// no second process: connect() completes on the backlog, and accept() then
// returns at once). The authkey handshake needs two processes: see
// interop.test.ts.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multiprocessing, pickle } from '../../lib/index.js';
import { asPipefork, outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

const { Listener, Client, answer_challenge, deliver_challenge, Pipe } = multiprocessing.connection;
const dir = mkdtempSync(join(tmpdir(), 'pipefork-listener-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const loose = (f: unknown) => f as (...a: unknown[]) => unknown;

describe('Listener / Client errors', () => {
  it("are CPython's, word for word", () => {
    const plain = join(dir, 'plain-file');
    writeFileSync(plain, '');
    const long = `${dir}/${'x'.repeat(120)}`;
    const missing = join(dir, 'nobody-listens-here');
    // Each case runs in both; a Listener that was made is closed again.
    const cases: [string, () => unknown][] = [
      [`Client(${JSON.stringify(missing)})`, () => Client(missing)],
      [`Client(${JSON.stringify(plain)})`, () => Client(plain)],
      [`Listener(${JSON.stringify(long)})`, () => new Listener(long)],
      [`Listener(${JSON.stringify(plain)})`, () => new Listener(plain)],
      [`Client(${JSON.stringify(long)})`, () => Client(long)],
      ["Listener('\\\\\\\\.\\\\pipe\\\\x')", () => new Listener('\\\\.\\pipe\\x')],
      ["Listener(b'/tmp/x')", () => new Listener(Buffer.from('/tmp/x'))],
      ["Client(b'/tmp/x')", () => Client(Buffer.from('/tmp/x'))],
      ['Client(42)', () => loose(Client)(42)],
      ["Listener(family='AF_PIPE')", () => new Listener(null, { family: 'AF_PIPE' })],
      ["Listener(family='AF_SOMETHING')", () => new Listener(null, { family: 'AF_SOMETHING' })],
      ['Client()', () => loose(Client)()],
      ["Listener(authkey='text')", () => new Listener(null, { authkey: loose('text') as never })],
      ["deliver_challenge(None, 'key')", () => deliver_challenge(loose(null) as never, loose('key') as never)],
      ["answer_challenge(None, 'key')", () => answer_challenge(loose(null) as never, loose('key') as never)],
    ];
    const python = pythonJson<unknown[]>(`${PY_OUTCOME}
from multiprocessing.connection import Listener, Client, answer_challenge, deliver_challenge
def close_it(x):
    if isinstance(x, Listener):
        x.close()
        return 'made'
    return x
print(json.dumps([outcome(lambda: close_it(${cases.map(([py]) => py).join(')), outcome(lambda: close_it(')}))]))
`);
    const ours = cases.map(([, js]) =>
      outcome(() => {
        const x = js();
        if (x instanceof Listener) {
          x.close();
          return 'made';
        }
        return x;
      }),
    );
    expect(ours).toEqual(python.map(asPipefork));
  });

  it("AF_INET is not pipefork's: a clear ValueError", () => {
    expect(() => loose(Client)(['localhost', 5000])).toThrow(/supports family 'AF_UNIX' only/);
    expect(() => new Listener(null, { family: 'AF_INET' })).toThrow(/supports family 'AF_UNIX' only/);
  });

  it('answer_challenge refuses a first message that is not a challenge: AssertionError naming it', () => {
    const [a, b] = Pipe();
    try {
      a.send_bytes(Buffer.from('#HELLO#'));
      expect(() => answer_challenge(b, Buffer.from('key'))).toThrow(
        expect.objectContaining({ name: 'AssertionError', message: "message = b'#HELLO#'" }),
      );
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('Listener', () => {
  it('a path: bound, reported as given, the file removed at close(); then "listener is closed"', () => {
    const path = join(dir, 'l1.sock');
    const l = new Listener(path);
    expect(l.address).toBe(path);
    expect(l.last_accepted).toBe(null);
    expect(existsSync(path)).toBe(true);
    l.close();
    l.close();
    expect(existsSync(path)).toBe(false);
    expect(() => l.accept()).toThrow('listener is closed');
    expect(() => l.address).toThrow("'NoneType' object has no attribute '_address'");
  });

  it('no address: a listener-* socket in a fresh pymp-* folder, as CPython makes it', () => {
    const l = new Listener();
    try {
      expect(l.address).toMatch(/\/pymp-[^/]+\/listener-[a-z0-9_]{8}$/);
      expect(existsSync(l.address as string)).toBe(true);
    } finally {
      l.close();
    }
  });

  it.runIf(process.platform === 'linux')(
    'an abstract address (a leading NUL) is reported as bytes, as CPython does',
    () => {
      const name = `\0pipefork-test-${process.pid}`;
      const l = new Listener(name);
      try {
        expect(l.address).toEqual(Buffer.from(name));
        const c = Client(l.address);
        const s = l.accept();
        c.send(['abstract', 1]);
        expect(s.recv()).toEqual(['abstract', 1]);
        c.close();
        s.close();
      } finally {
        l.close();
      }
    },
  );

  it('without an authkey: Client connects, accept() returns the other end; last_accepted is an unnamed peer', () => {
    using l = new Listener(join(dir, 'l2.sock'), { backlog: 5 });
    using c = Client(l.address);
    using s = l.accept();
    expect(l.last_accepted).toBe('');
    c.send({ hello: pickle.tuple([1, 2]) });
    expect(s.recv()).toEqual({ hello: [1, 2] });
    s.send_bytes(Buffer.from('back'));
    expect(c.recv_bytes().toString()).toBe('back');
    expect([c.readable, c.writable, s.readable, s.writable]).toEqual([true, true, true, true]);
  });

  it('an empty authkey: the Listener does not challenge (b"" is false), as in CPython', () => {
    using l = new Listener(join(dir, 'l3.sock'), { authkey: Buffer.alloc(0) });
    using c = Client(l.address);
    using s = l.accept();
    c.send(1);
    expect(s.recv()).toBe(1);
  });
});
