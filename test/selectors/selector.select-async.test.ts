// selector.selectAsync, select()'s awaitable twin (docs/async.md,
// docs/selectors.md), on every selector class: the list select() returns
// for the same situation (select() itself is held next to CPython's in
// selectors.test.ts), the event loop ticking while it waits, the
// timeout, abort before, while waiting and after, the fd's flags untouched,
// libuv's thread pool free, and the result's shape next to python3's.
import { promises as fsp } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { os, selectors } from '../../lib/index.js';
import { readinessState } from '../../lib/posix/ready.js';
import { loose, pythonJson } from '../helpers/python.js';
import { sameErrors, settledWithin, sleep } from '../helpers/twins.js';

const { EVENT_READ: R, EVENT_WRITE: W } = selectors;
const CLASSES = ['DefaultSelector', 'EpollSelector', 'PollSelector', 'SelectSelector'] as const;
const T = { timeout: 20_000 };
type Sel = selectors.BaseSelector;

/** Pipes for one test, all closed by close(). */
function pipes() {
  const fds: number[] = [];
  return {
    pipe(): [number, number] {
      const p = os.pipe();
      fds.push(...p);
      return p;
    },
    close(fd: number): void {
      fds.splice(fds.indexOf(fd), 1);
      os.close(fd);
    },
    closeAll(): void {
      for (const fd of fds.splice(0)) os.close(fd);
    },
  };
}

/** Counts the ticks of a 5 ms interval while f runs. */
async function ticksDuring<V>(f: () => Promise<V>): Promise<[V, number]> {
  let ticks = 0;
  const t = setInterval(() => ticks++, 5);
  try {
    return [await f(), ticks];
  } finally {
    clearInterval(t);
  }
}

/** The situations of the differential check, set up on sel: each ready one named by its data. */
function situations(sel: Sel, p: ReturnType<typeof pipes>): void {
  const [r1, w1] = p.pipe();
  os.write(w1, Buffer.from('x'));
  sel.register(r1, R, 'readable');
  const [, w2] = p.pipe();
  sel.register(w2, W, 'writable');
  const [r3, w3] = p.pipe();
  os.write(w3, Buffer.from('y'));
  sel.register(r3, R, 'both: read end');
  sel.register(w3, R | W, 'both: write end');
  const [r4, w4] = p.pipe();
  p.close(w4);
  sel.register(r4, R | W, 'eof');
  const [r5] = p.pipe();
  sel.register(r5, R, 'empty');
}

const PY_SITUATIONS = `
import json, os, selectors
from selectors import EVENT_READ as R, EVENT_WRITE as W
out = {}
for cls in ['DefaultSelector', 'EpollSelector', 'PollSelector', 'SelectSelector']:
    s = getattr(selectors, cls)()
    fds = []
    def pipe():
        p = os.pipe(); fds.extend(p); return p
    r1, w1 = pipe(); os.write(w1, b'x'); s.register(r1, R, 'readable')
    _, w2 = pipe(); s.register(w2, W, 'writable')
    r3, w3 = pipe(); os.write(w3, b'y'); s.register(r3, R, 'both: read end'); s.register(w3, R | W, 'both: write end')
    r4, w4 = pipe(); os.close(w4); fds.remove(w4); s.register(r4, R | W, 'eof')
    r5, _ = pipe(); s.register(r5, R, 'empty')
    out[cls] = sorted([k.data, e] for k, e in s.select(None))
    s.close()
    for fd in fds: os.close(fd)
print(json.dumps(out))
`;

describe.each(CLASSES)('selectors.%s().selectAsync', (cls) => {
  const make = (): Sel => selectors[cls]();

  it('resolves with what select() returns: readable, writable, both, EOF, several fds, their data', T, async () => {
    const p = pipes();
    const sel = make();
    try {
      situations(sel, p);
      const want = sel.select(0);
      expect(want.length).toBe(5);
      expect(await sel.selectAsync()).toEqual(want);
      expect(await sel.selectAsync(null)).toEqual(want);
      expect(await sel.selectAsync(0)).toEqual(want);
      expect(await sel.selectAsync(5, { signal: new AbortController().signal })).toEqual(want);
      expect(await sel.selectAsync({ signal: AbortSignal.timeout(5000) } as never)).toEqual(want);
      // The same keys, not copies.
      const [key] = (await sel.selectAsync(0))[0] as [selectors.SelectorKey, number];
      expect(sel.get_map()?.get(key.fd)).toBe(key);
    } finally {
      sel.close();
      p.closeAll();
    }
  });

  it(
    'waits in the event loop until a registered fd is ready, and what it resolves with is select()’s then',
    T,
    async () => {
      const p = pipes();
      const sel = make();
      try {
        const [r, w] = p.pipe();
        const [r2] = p.pipe();
        sel.register(r, R, 'late');
        sel.register(r2, R, 'never');
        setTimeout(() => os.write(w, Buffer.from('now')), 80);
        const [got, ticks] = await ticksDuring(() => sel.selectAsync(null));
        expect(ticks).toBeGreaterThan(5);
        expect(got).toEqual(sel.select(0));
        expect(got.map(([k, e]) => [k.data, e])).toEqual([['late', R]]);
        expect(os.get_blocking(r)).toBe(true); // O_NONBLOCK never set
      } finally {
        sel.close();
        p.closeAll();
      }
    },
  );

  it('a Python timeout resolves [] after at least that long; 0 or less does not wait', T, async () => {
    const p = pipes();
    const sel = make();
    try {
      const [r] = p.pipe();
      sel.register(r, R);
      const t0 = performance.now();
      expect(await sel.selectAsync(0.05)).toEqual([]);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
      expect(await settledWithin(sel.selectAsync(0), 20)).toBe(true);
      expect(await sel.selectAsync(-1)).toEqual([]);
      // Nothing registered: only the timeout ends it, as select() with nothing registered.
      const empty = make();
      try {
        expect(await empty.selectAsync(0.02)).toEqual([]);
      } finally {
        empty.close();
      }
    } finally {
      sel.close();
      p.closeAll();
    }
  });

  it(
    'rejects with signal.reason when aborted before and while it waits; after it settled nothing changes',
    T,
    async () => {
      const p = pipes();
      const sel = make();
      try {
        const [r, w] = p.pipe();
        sel.register(r, R);
        const before = new AbortController();
        const why = new Error('stop');
        before.abort(why);
        await expect(sel.selectAsync(null, { signal: before.signal })).rejects.toBe(why);
        expect(readinessState().pending).toBe(0);

        const during = new AbortController();
        const pending = sel.selectAsync(null, { signal: during.signal });
        await sleep(20);
        expect(readinessState().pending).toBe(1);
        during.abort(why);
        await expect(pending).rejects.toBe(why);
        expect(readinessState().pending).toBe(0);

        await expect(sel.selectAsync(null, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
          name: 'TimeoutError',
        });

        const after = new AbortController();
        os.write(w, Buffer.from('x'));
        const got = await sel.selectAsync(null, { signal: after.signal });
        after.abort(why);
        expect(got.map(([k, e]) => [k.fd, e])).toEqual([[r, R]]);
        expect(await sel.selectAsync(0)).toEqual(got); // the data is still there
      } finally {
        sel.close();
        p.closeAll();
      }
    },
  );

  it("rejects with select()'s errors: a bad timeout, a bad signal, a closed selector", T, async () => {
    const sel = make();
    const sa = loose(sel.selectAsync.bind(sel)) as (...a: unknown[]) => Promise<unknown>;
    const s = loose(sel.select.bind(sel));
    await sameErrors([
      [() => s('x'), () => sa('x')],
      [() => s([]), () => sa([], { signal: null })],
    ]);
    await expect(sa(0, { signal: 'no' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    sel.close();
    await sameErrors([[() => s(0), () => sa(0)]]);
  });

  it('an fd that hung up, which select() may not count, ends at the timeout without spinning', T, async () => {
    const p = pipes();
    const sel = make();
    try {
      const [r, w] = p.pipe();
      p.close(w);
      const [r2] = p.pipe();
      sel.register(r, W, 'read end, for writing'); // select(2): never writable; epoll: EPOLLHUP
      sel.register(r2, R, 'empty');
      const want = sel.select(0);
      const cpu = process.cpuUsage();
      const got = await sel.selectAsync(want.length > 0 ? null : 0.2);
      const used = process.cpuUsage(cpu);
      expect(got).toEqual(want);
      // A wait that re-armed the hung-up fd would report again at once, 200 ms of turns.
      expect((used.user + used.system) / 1000).toBeLessThan(100);
    } finally {
      sel.close();
      p.closeAll();
    }
  });

  it('holds no thread-pool thread while it waits', T, async () => {
    const p = pipes();
    const sels = [make(), make(), make(), make(), make()];
    const ac = new AbortController();
    try {
      const waits = sels.map((s) => {
        s.register(p.pipe()[0], R);
        return s.selectAsync(null, { signal: ac.signal }).catch(() => 'aborted');
      });
      await fsp.readFile(new URL(import.meta.url));
      ac.abort();
      expect(await Promise.all(waits)).toEqual(['aborted', 'aborted', 'aborted', 'aborted', 'aborted']);
    } finally {
      for (const s of sels) s.close();
      p.closeAll();
    }
  });
});

describe('selector.selectAsync next to python3', () => {
  it('the same [data, events] pairs for the same pipes as CPython select()', T, async () => {
    const want = pythonJson<Record<string, unknown>>(PY_SITUATIONS);
    const got: Record<string, unknown> = {};
    for (const cls of CLASSES) {
      const p = pipes();
      const sel = selectors[cls]();
      try {
        situations(sel, p);
        const list = await sel.selectAsync(null);
        got[cls] = list.map(([k, e]) => [k.data, e]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      } finally {
        sel.close();
        p.closeAll();
      }
    }
    expect(got).toEqual(want);
  });
});
