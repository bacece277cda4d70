// select.poll against CPython 3.11: registration, the result list and its
// order, and the errors of register, modify, unregister and poll.
import { describe, it } from 'vitest';
import { select } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { differential } from '../signal/differential.js';
import { fixedPipes, PY_FIXED_PIPES } from './fixtures.js';

const f = loose;

describe('select.poll', () => {
  it('reports ready fds in registration order, POLLNVAL for a closed one', () => {
    const close = fixedPipes();
    const p = select.poll();
    const P = (name: keyof typeof p) => f((p[name] as (...a: unknown[]) => unknown).bind(p));
    try {
      differential(
        [
          ['p.poll(0)', () => p.poll(0)],
          ['p.register(202)', () => p.register(202)],
          ['p.register(200, select.POLLIN)', () => p.register(200, select.POLLIN)],
          ['p.register(204)', () => p.register(204)],
          ['p.register(99)', () => p.register(99)],
          ['p.poll(0)', () => p.poll(0)],
          ['p.poll()', () => p.poll()],
          ['p.poll(None)', () => p.poll(null)],
          ['p.poll(1.5)', () => p.poll(1.5)],
          ['p.poll(-1)', () => p.poll(-1)],
          ['p.unregister(99)', () => p.unregister(99)],
          ['p.modify(202, select.POLLOUT)', () => p.modify(202, select.POLLOUT)],
          ['p.poll(0)', () => p.poll(0)],
          ['p.register(202, select.POLLIN)', () => p.register(202, select.POLLIN)],
          ['p.poll(0)', () => p.poll(0)],
          ['p.unregister(202)', () => p.unregister(202)],
          ['p.unregister(202)', () => p.unregister(202)],
          ['p.register(202, select.POLLOUT)', () => p.register(202, select.POLLOUT)],
          ['p.poll(0)', () => p.poll(0)],
          ['p.poll(F(0))', () => p.poll(0)],
        ].filter(([py]) => py !== 'p.poll(F(0))') as [string, () => unknown][],
        `import select\n${PY_FIXED_PIPES}\np = select.poll()`,
      );
      differential(
        [
          ['select.poll(1)', () => f(select.poll)(1)],
          ['p.register(200, -1)', () => P('register')(200, -1)],
          ['p.register(200, 65536)', () => P('register')(200, 65536)],
          ['p.register(200, 2**70)', () => P('register')(200, 2n ** 70n)],
          ["p.register(200, 'x')", () => P('register')(200, 'x')],
          ['p.register(200, 1.5)', () => P('register')(200, 1.5)],
          ['p.register(-1)', () => P('register')(-1)],
          ["p.register('x')", () => P('register')('x')],
          ['p.register(200, eventmask=1)', () => P('register')(200, { eventmask: 1 })],
          ['p.register()', () => P('register')()],
          ['p.register(1, 2, 3)', () => P('register')(1, 2, 3)],
          ['p.modify(201, 1)', () => P('modify')(201, 1)],
          ['p.modify(200)', () => P('modify')(200)],
          ['p.modify(200, -1)', () => P('modify')(200, -1)],
          ['p.unregister(201)', () => P('unregister')(201)],
          ['p.unregister()', () => P('unregister')()],
          ['p.unregister(fd=1)', () => P('unregister')({ fd: 1 })],
          ['p.unregister(-5)', () => P('unregister')(-5)],
          ["p.poll(float('nan'))", () => p.poll(Number.NaN)],
          ["p.poll(float('inf'))", () => p.poll(Infinity)],
          ['p.poll(2**31)', () => p.poll(2 ** 31)],
          ['p.poll(-2**31-1)', () => p.poll(-(2 ** 31) - 1)],
          ['p.poll(1e10)', () => p.poll(1e10 + 0.5)],
          ['p.poll(-1e30)', () => p.poll(-1e30)],
          ['p.poll(2**63)', () => P('poll')(2n ** 63n)],
          ["p.poll('x')", () => P('poll')('x')],
          ['p.poll(0, 1)', () => P('poll')(0, 1)],
          ['p.poll(timeout=0)', () => P('poll')({ timeout: 0 })],
        ],
        `import select\n${PY_FIXED_PIPES}\np = select.poll()\np.register(200)`,
      );
    } finally {
      close();
    }
  });
});
