// select.select against CPython 3.11: the objects it returns, fds and
// objects with fileno(), and its errors, case by case, both sides on the
// same fds (fixtures.ts).
import { describe, expect, it } from 'vitest';
import { io, select, ValueError } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { differential } from '../signal/differential.js';
import { fixedPipes, PY_FIXED_PIPES } from './fixtures.js';

const f = loose;

/** An object with a fileno() method, as the Python F above. */
class F {
  constructor(readonly fd: unknown) {}
  fileno(): unknown {
    return this.fd;
  }
  toString(): string {
    return `F(${String(this.fd)})`;
  }
}

/** Objects select returns, as comparable values: an F by its fd. */
const fds = (r: unknown): unknown => JSON.parse(JSON.stringify(r, (_k, v) => (v instanceof F ? `F(${v.fd})` : v)));

describe('select.select', () => {
  it("returns the objects given that are ready, with CPython's errors for bad ones", () => {
    const close = fixedPipes();
    try {
      differential(
        [
          [
            'select.select([200, 202, 204], [201, 203], [200], 0)',
            () => select.select([200, 202, 204], [201, 203], [200], 0),
          ],
          ['select.select([200, 200], [], [], 0)', () => select.select([200, 200], [], [], 0)],
          ['select.select((200,), (), (), 0)', () => select.select([200], [], [], 0)],
          [
            'select.select({200}, set(), set(), 0)',
            () => select.select(new Set([200]), new Set<number>(), new Set<number>(), 0),
          ],
          ['select.select([], [], [], 0)', () => select.select([], [], [], 0)],
          ['select.select([202], [], [], 0.05)', () => select.select([202], [], [], 0.05)],
          ['select.select([202], [], [], 1e-7)', () => select.select([202], [], [], 1e-7)],
          ['select.select([99], [], [], 0)', () => select.select([99], [], [], 0)],
          ['select.select([-1], [], [], 0)', () => select.select([-1], [], [], 0)],
          ['select.select([1024], [], [], 0)', () => select.select([1024], [], [], 0)],
          ['select.select([2**31], [], [], 0)', () => select.select([2 ** 31], [], [], 0)],
          ['select.select([2**70], [], [], 0)', () => f(select.select)([2n ** 70n], [], [], 0)],
          ["select.select(['x'], [], [], 0)", () => f(select.select)(['x'], [], [], 0)],
          ['select.select([1.5], [], [], 0)', () => select.select([1.5], [], [], 0)],
          ['select.select([None], [], [], 0)', () => f(select.select)([null], [], [], 0)],
          ['select.select(5, [], [], 0)', () => f(select.select)(5, [], [], 0)],
          ['select.select(None, [], [], 0)', () => f(select.select)(null, [], [], 0)],
          ["select.select('ab', [], [], 0)", () => f(select.select)('ab', [], [], 0)],
          ['select.select([200], [], [], -1)', () => select.select([200], [], [], -1)],
          ['select.select([200], [], [], -1e-10)', () => select.select([200], [], [], -1e-10)],
          ["select.select([200], [], [], float('nan'))", () => select.select([200], [], [], Number.NaN)],
          ["select.select([200], [], [], float('inf'))", () => select.select([200], [], [], Infinity)],
          ["select.select([200], [], [], 'x')", () => f(select.select)([200], [], [], 'x')],
          ['select.select([200], [], [], [1])', () => f(select.select)([200], [], [], [1])],
          ['select.select([200], [], [], 2**63)', () => f(select.select)([200], [], [], 2n ** 63n)],
          ['select.select([200], [], [], 1e30)', () => select.select([200], [], [], 1e30)],
          // The timeout is checked before the lists.
          ["select.select(['x'], [], [], -1)", () => f(select.select)(['x'], [], [], -1)],
          ['select.select([200], [])', () => f(select.select)([200], [])],
          ['select.select([200], [], [], None, 1)', () => f(select.select)([200], [], [], null, 1)],
          ['select.select([200], [], [], timeout=0)', () => f(select.select)([200], [], [], { timeout: 0 })],
          ['select.select([200], [], [], None)', () => select.select([200], [], [], null)],
          [
            'select.select([list(range(1025))][0], [], [], 0)',
            () =>
              select.select(
                Array.from({ length: 1025 }, (_, i) => i),
                [],
                [],
                0,
              ),
          ],
        ],
        `import select\n${PY_FIXED_PIPES}`,
      );
    } finally {
      close();
    }
  });

  it('takes objects with fileno() (file objects, anything) and returns those objects', () => {
    const close = fixedPipes();
    try {
      const cases: [string, () => unknown][] = [
        [
          'select.select([F(200), F(202)], [F(201)], [], 0)',
          () => select.select([new F(200), new F(202)] as never[], [new F(201)] as never[], [], 0),
        ],
        ["select.select([F('x')], [], [], 0)", () => select.select([new F('x') as never], [], [], 0)],
        ['select.select([F(-1)], [], [], 0)', () => select.select([new F(-1) as never], [], [], 0)],
        ['select.select([F(2**31)], [], [], 0)', () => select.select([new F(2 ** 31) as never], [], [], 0)],
        [
          'select.select([Raises()], [], [], 0)',
          () =>
            select.select(
              [
                {
                  fileno: () => {
                    throw new ValueError('I/O operation on closed file');
                  },
                },
              ],
              [],
              [],
              0,
            ),
        ],
        ['select.select([NotCallable()], [], [], 0)', () => select.select([{ fileno: 5 } as never], [], [], 0)],
      ];
      differential(
        cases.map(([p, js]) => [`fds_of(${p})`, () => fds(js())] as const),
        `import select\n${PY_FIXED_PIPES}`,
      );
      // A file object: select returns the very object.
      using file = io.open(200, 'rb', 0, { closefd: false });
      const [r] = select.select([file], [], [], 0);
      expect(r[0]).toBe(file);
    } finally {
      close();
    }
  });
});
