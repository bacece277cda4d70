// lib/posix/nowait.ts: the awaitable reads and writes never set O_NONBLOCK
// on a file description, whichever way they avoid waiting (RWF_NOWAIT on a
// pipe, a private description of a FIFO or tty, FIONREAD, MSG_DONTWAIT on a
// socket). A Python child reading the same pipe keeps its blocking
// os.read, and the parent's readAsync gets what the child does not take.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { os, subprocess } from '../../lib/index.js';
import { _forceWay, _waysTaken } from '../../lib/posix/nowait.js';
import { PIPEFORK } from '../helpers/program.js';
import { python } from '../helpers/python.js';
import { sleep } from '../helpers/twins.js';

const T = { timeout: 30_000 };

afterEach(() => {
  _forceWay(null);
  _waysTaken.clear();
});

/** A Python child that says it is ready, then makes one blocking os.read(fd, 5) and reports. */
const CHILD = `
import fcntl, json, os, sys, time
fd, ready = int(sys.argv[1]), int(sys.argv[2])
nonblock = [bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)]
os.write(ready, b"R")
t0 = time.monotonic()
data = os.read(fd, 5)
waited = time.monotonic() - t0
nonblock.append(bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK))
print(json.dumps({"data": data.decode(), "waited": waited, "nonblock": nonblock}))
`;

interface ChildReport {
  data: string;
  waited: number;
  nonblock: boolean[];
}

/**
 * The shared-reader scenario on fd (which w writes): the child blocks in
 * os.read while the parent's readAsync waits too; two 5-byte messages are
 * written; each side gets one.
 */
async function shareWithPython(fd: number, w: number): Promise<{ child: ChildReport; parent: string }> {
  const [rr, rw] = os.pipe();
  const p = new subprocess.Popen(['python3', '-c', CHILD, String(fd), String(rw)], {
    pass_fds: [fd, rw],
    stdout: subprocess.PIPE,
  });
  os.close(rw);
  try {
    expect(String(await os.readAsync(rr, 1))).toBe('R');
    const mine = os.readAsync(fd, 100);
    await sleep(100); // both wait now: the child in read(2), the parent in the event loop
    os.write(w, Buffer.from('AAAAA'));
    await sleep(100);
    os.write(w, Buffer.from('BBBBB'));
    const parent = String(await mine);
    const [out] = await p.communicateAsync();
    expect(p.returncode).toBe(0);
    return { child: JSON.parse(String(out)) as ChildReport, parent };
  } finally {
    os.close(rr);
    if (p.returncode === null) {
      p.kill();
      await p.waitAsync();
    }
  }
}

function expectShared(r: { child: ChildReport; parent: string }, fd: number): void {
  // Each message went to exactly one reader; the child's read blocked (it
  // would have raised BlockingIOError at once on a non-blocking description)
  // and its flags never showed O_NONBLOCK.
  expect([r.child.data, r.parent].sort()).toEqual(['AAAAA', 'BBBBB']);
  expect(r.child.nonblock).toEqual([false, false]);
  expect(r.child.waited).toBeGreaterThan(0.05);
  expect(os.get_blocking(fd)).toBe(true);
}

describe('a Python child and the Node parent reading one pipe', () => {
  it('a pipe (RWF_NOWAIT): the child blocks in os.read; readAsync gets what the child does not take', T, async () => {
    const [r, w] = os.pipe();
    try {
      expectShared(await shareWithPython(r, w), r);
      expect([..._waysTaken]).toEqual([]); // RWF_NOWAIT did it all
    } finally {
      os.close(r);
      os.close(w);
    }
  });

  it('a named FIFO (no RWF_NOWAIT: a private O_NONBLOCK description of it, held while waiting)', T, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-fifo-'));
    const path = join(dir, 'fifo');
    os.mkfifo(path);
    // O_RDWR: opening does not wait for a writer.
    const r = os.open(path, os.O_RDWR);
    const w = os.open(path, os.O_WRONLY);
    try {
      expectShared(await shareWithPython(r, w), r);
      expect([..._waysTaken]).toEqual(['reopen']);
    } finally {
      os.close(r);
      os.close(w);
      rmSync(dir, { recursive: true });
    }
  });

  it('a pipe through the private description, as on a kernel without RWF_NOWAIT for pipes', T, async () => {
    _forceWay('reopen');
    const [r, w] = os.pipe();
    try {
      expectShared(await shareWithPython(r, w), r);
    } finally {
      os.close(r);
      os.close(w);
    }
  });

  it('a pipe through readiness + FIONREAD, as without /proc', T, async () => {
    _forceWay('fionread');
    const [r, w] = os.pipe();
    try {
      expectShared(await shareWithPython(r, w), r);
    } finally {
      os.close(r);
      os.close(w);
    }
  });
});

describe('every way reads and writes whole data and keeps the flags', () => {
  for (const way of [null, 'reopen', 'fionread'] as const) {
    it(`1 MiB each way through a pipe (${way ?? 'RWF_NOWAIT'})`, T, async () => {
      _forceWay(way);
      const [r, w] = os.pipe();
      try {
        const data = Buffer.alloc(1 << 20);
        for (let i = 0; i < data.length; i++) data[i] = (i * 13) % 256;
        const writing = os.writeAsync(w, data);
        const parts: Buffer[] = [];
        let n = 0;
        while (n < data.length) {
          const b = await os.readAsync(r, 65536);
          parts.push(b);
          n += b.length;
        }
        expect(await writing).toBe(data.length);
        expect(Buffer.concat(parts).equals(data)).toBe(true);
        expect([os.get_blocking(r), os.get_blocking(w)]).toEqual([true, true]);
      } finally {
        os.close(r);
        os.close(w);
      }
    });
  }
});

/**
 * A Python parent hands a Node child one end of a socketpair or a pty's
 * terminal side as fd N; the child's readAsync waits, then writes back.
 */
function fromPython(
  kind: 'socket' | 'pty',
  way: string | null,
): { got: string; echo: string; blocking: boolean[]; ways: string[] } {
  const node = `
    import { os } from '${PIPEFORK}';
    import { _forceWay, _waysTaken } from '${PIPEFORK.replace('index.js', 'posix/nowait.js')}';
    _forceWay(${JSON.stringify(way)});
    const fd = Number(process.argv[1]);
    const blocking = [os.get_blocking(fd)];
    const got = String(await os.readAsync(fd, 100));
    await os.writeAsync(fd, Buffer.from('pong'));
    blocking.push(os.get_blocking(fd));
    console.log(JSON.stringify({ got, blocking, ways: [..._waysTaken] }));
  `;
  const out = python(`
import json, os, pty, socket, subprocess, sys, time
kind = ${JSON.stringify(kind)}
if kind == "socket":
    mine, theirs = socket.socketpair()
    mine_fd, theirs_fd = mine.fileno(), theirs.fileno()
else:
    mine_fd, theirs_fd = pty.openpty()
    import tty; tty.setraw(theirs_fd)
p = subprocess.Popen([${JSON.stringify(process.execPath)}, "--input-type=module", "-e", ${JSON.stringify(node)}, str(theirs_fd)],
                     pass_fds=[theirs_fd], stdout=subprocess.PIPE)
time.sleep(0.3)
os.write(mine_fd, b"ping")
echo = b""
while len(echo) < 4:
    echo += os.read(mine_fd, 4 - len(echo))
out = p.communicate(timeout=15)[0]
r = json.loads(out)
r["echo"] = echo.decode()
print(json.dumps(r))
`);
  return JSON.parse(out);
}

describe('sockets and terminals, handed over by a Python parent', () => {
  it('a socketpair (RWF_NOWAIT), and with MSG_DONTWAIT', T, () => {
    expect(fromPython('socket', null)).toEqual({ got: 'ping', echo: 'pong', blocking: [true, true], ways: [] });
    expect(fromPython('socket', 'socket')).toEqual({
      got: 'ping',
      echo: 'pong',
      blocking: [true, true],
      ways: ['socket'],
    });
  });

  it("a pty's terminal side (no RWF_NOWAIT: a private description through /proc/self/fd)", T, () => {
    expect(fromPython('pty', null)).toEqual({ got: 'ping', echo: 'pong', blocking: [true, true], ways: ['reopen'] });
  });
});
