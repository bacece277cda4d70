// select.epoll against CPython 3.11: results, the closed object's errors,
// the arguments' errors; and that every epoll fd is closed (no fd leaks:
// test/helpers/setup.ts checks after each test).
import { describe, expect, it } from 'vitest';
import { os, select } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { differential } from '../signal/differential.js';
import { fixedPipes, PY_FIXED_PIPES } from './fixtures.js';

const f = loose;

describe('select.epoll', () => {
  it('registers, modifies, unregisters and polls as CPython; a closed epoll raises ValueError', () => {
    const close = fixedPipes();
    const e = select.epoll();
    const E = (name: string) => f((e as unknown as Record<string, (...a: unknown[]) => unknown>)[name]?.bind(e));
    try {
      differential(
        [
          ['e.closed', () => e.closed],
          ['e.fileno() > 2', () => e.fileno() > 2],
          ['e.poll(0)', () => e.poll(0)],
          ['e.register(200)', () => e.register(200)],
          ['e.register(200)', () => e.register(200)],
          [
            'e.register(202, select.EPOLLIN | select.EPOLLOUT)',
            () => e.register(202, select.EPOLLIN | select.EPOLLOUT),
          ],
          ['e.register(203, select.EPOLLOUT)', () => e.register(203, select.EPOLLOUT)],
          ['sorted(e.poll(0))', () => e.poll(0).sort((a, b) => a[0] - b[0])],
          ['len(e.poll(0, 1))', () => e.poll(0, 1).length],
          ['len(e.poll(timeout=0, maxevents=2))', () => (E('poll')({ timeout: 0, maxevents: 2 }) as unknown[]).length],
          ['e.poll(0, 0)', () => e.poll(0, 0)],
          ['e.poll(0, -2)', () => e.poll(0, -2)],
          ['sorted(e.poll(-1.5))', () => e.poll(-1.5).sort((a, b) => a[0] - b[0])],
          ['sorted(e.poll(None))', () => e.poll(null).sort((a, b) => a[0] - b[0])],
          ['e.modify(202, select.EPOLLIN)', () => e.modify(202, select.EPOLLIN)],
          ['e.unregister(203)', () => e.unregister(203)],
          ['sorted(e.poll(0))', () => e.poll(0).sort((a, b) => a[0] - b[0])],
          ['e.unregister(203)', () => e.unregister(203)],
          ['e.register(99)', () => e.register(99)],
          ['e.unregister(99)', () => e.unregister(99)],
          ['e.modify(99, 1)', () => e.modify(99, 1)],
          ['e.register(-1)', () => e.register(-1)],
          ['e.register(201, -1)', () => e.register(201, -1)],
          ['e.register(201, 2**32)', () => e.register(201, 2 ** 32)],
          ['e.unregister(201)', () => e.unregister(201)],
          ["e.register(201, 'x')", () => E('register')(201, 'x')],
          ['e.register(201, 1.5)', () => e.register(201, 1.5)],
          ['e.register()', () => E('register')()],
          [
            'e.register(fd=201, eventmask=select.EPOLLOUT)',
            () => E('register')({ fd: 201, eventmask: select.EPOLLOUT }),
          ],
          ['e.unregister(fd=201)', () => E('unregister')({ fd: 201 })],
          ['e.unregister()', () => E('unregister')()],
          ['e.modify(200)', () => E('modify')(200)],
          ["e.poll('x')", () => E('poll')('x')],
          ["e.poll(float('nan'))", () => e.poll(Number.NaN)],
          ["e.poll(float('inf'))", () => e.poll(Infinity)],
          ['e.poll(2**31)', () => e.poll(2 ** 31)],
          ['e.poll(1e7)', () => e.poll(1e7 + 0.5)],
          ['e.poll(-1e10)', () => e.poll(-1e10 - 0.5)],
          ['e.poll(0, 1, 2)', () => E('poll')(0, 1, 2)],
          ['e.poll(foo=1)', () => E('poll')({ foo: 1 })],
          ['e.close()', () => e.close()],
          ['e.close()', () => e.close()],
          ['e.closed', () => e.closed],
          ['e.fileno()', () => e.fileno()],
          ['e.poll(0)', () => e.poll(0)],
          ['e.register(200)', () => e.register(200)],
          ['e.unregister(200)', () => e.unregister(200)],
          ['e.modify(200, 1)', () => e.modify(200, 1)],
          ['e.register(-1)', () => e.register(-1)],
          ['e.__enter__()', () => e.__enter__()],
        ],
        `import select\n${PY_FIXED_PIPES}\ne = select.epoll()`,
      );
    } finally {
      e.close();
      close();
    }
  });

  it("the constructor's arguments and constants, as CPython's", () => {
    const made: { close(): void }[] = [];
    const keep = <T extends { close(): void }>(x: T): string => {
      made.push(x);
      return 'made';
    };
    try {
      differential(
        [
          ['select.epoll(-2)', () => keep(select.epoll(-2))],
          ['select.epoll(0)', () => keep(select.epoll(0))],
          ['select.epoll(5, 1)', () => keep(select.epoll(5, 1))],
          ["select.epoll(sizehint='x')", () => keep(f(select.epoll)({ sizehint: 'x' }) as select.epoll)],
          ['select.epoll(sizehint=2**40)', () => keep(f(select.epoll)({ sizehint: 2 ** 40 }) as select.epoll)],
          ['select.epoll(1, 2, 3)', () => keep(f(select.epoll)(1, 2, 3) as select.epoll)],
          ['select.epoll(foo=1)', () => keep(f(select.epoll)({ foo: 1 }) as select.epoll)],
          ['select.epoll.fromfd()', () => f(select.epoll.fromfd)()],
          ["select.epoll.fromfd('x')", () => f(select.epoll.fromfd)('x')],
          [
            '[select.EPOLLIN, select.EPOLLOUT, select.EPOLLPRI, select.EPOLLERR, select.EPOLLHUP, select.EPOLLET, select.EPOLLONESHOT, select.EPOLLEXCLUSIVE, select.EPOLLRDHUP, select.EPOLLRDNORM, select.EPOLLRDBAND, select.EPOLLWRNORM, select.EPOLLWRBAND, select.EPOLLMSG, select.EPOLL_CLOEXEC]',
            () => [
              select.EPOLLIN,
              select.EPOLLOUT,
              select.EPOLLPRI,
              select.EPOLLERR,
              select.EPOLLHUP,
              select.EPOLLET,
              select.EPOLLONESHOT,
              select.EPOLLEXCLUSIVE,
              select.EPOLLRDHUP,
              select.EPOLLRDNORM,
              select.EPOLLRDBAND,
              select.EPOLLWRNORM,
              select.EPOLLWRBAND,
              select.EPOLLMSG,
              select.EPOLL_CLOEXEC,
            ],
          ],
          [
            '[select.POLLIN, select.POLLPRI, select.POLLOUT, select.POLLERR, select.POLLHUP, select.POLLNVAL, select.POLLRDNORM, select.POLLRDBAND, select.POLLWRNORM, select.POLLWRBAND, select.POLLMSG, select.POLLRDHUP, select.PIPE_BUF]',
            () => [
              select.POLLIN,
              select.POLLPRI,
              select.POLLOUT,
              select.POLLERR,
              select.POLLHUP,
              select.POLLNVAL,
              select.POLLRDNORM,
              select.POLLRDBAND,
              select.POLLWRNORM,
              select.POLLWRBAND,
              select.POLLMSG,
              select.POLLRDHUP,
              select.PIPE_BUF,
            ],
          ],
          ['select.error is OSError', () => select.error === os.error],
        ],
        'import select',
      );
    } finally {
      for (const m of made) m.close();
    }
  });

  it('with and without new, `using`, fromfd, and close-on-exec', () => {
    const a = select.epoll();
    const b = new select.epoll();
    expect(a).toBeInstanceOf(select.epoll);
    expect(b).toBeInstanceOf(select.epoll);
    expect(os.get_inheritable(a.fileno())).toBe(false);
    const fd = os.dup(a.fileno());
    const c = select.epoll.fromfd(fd);
    expect(c.fileno()).toBe(fd);
    for (const x of [a, b, c]) x.close();
    let inside = -1;
    {
      using d = select.epoll();
      inside = d.fileno();
    }
    expect(() => os.fstat(inside)).toThrow(expect.objectContaining({ errno: 9 }));
  });
});
