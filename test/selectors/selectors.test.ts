// selectors against CPython 3.11 (Lib/selectors.py): each selector class,
// its keys and map, and the KeyError/ValueError wording of bad
// registrations, case by case; then a loop streaming two children.
import { describe, expect, it } from 'vitest';
import { io, os, selectors, subprocess } from '../../lib/index.js';
import { pyValueRepr } from '../../lib/repr.js';
import { loose } from '../helpers/python.js';
import { fixedPipes, PY_FIXED_PIPES } from '../select/fixtures.js';
import { differential } from '../signal/differential.js';

const f = loose;
const { EVENT_READ: R, EVENT_WRITE: W } = selectors;

/** An object with a fileno() method, as the Python F in fixtures.ts. */
class F {
  constructor(readonly fd: unknown) {}
  fileno(): unknown {
    return this.fd;
  }
  toString(): string {
    return `F(${pyValueRepr(this.fd)})`;
  }
}

const CLASSES = ['DefaultSelector', 'EpollSelector', 'PollSelector', 'SelectSelector'] as const;

/** A selector's ready list as comparable values: [repr(key), events], by fd. */
const ready = (list: [selectors.SelectorKey, number][]): unknown[] =>
  list.map(([k, e]) => [k.repr(), e]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
const PY_READY = '[[repr(k), e] for k, e in sorted(s.select(0), key=lambda ke: repr(ke[0]))]';

describe.each(CLASSES)('selectors.%s', (cls) => {
  it("registers, selects, modifies and unregisters as CPython, with its errors' wording", () => {
    const close = fixedPipes();
    const s = selectors[cls]();
    const S = (name: string) => f((s as unknown as Record<string, (...a: unknown[]) => unknown>)[name]?.bind(s));
    const key = (v: unknown): unknown => (v instanceof selectors.SelectorKey ? (v as selectors.SelectorKey).repr() : v);
    const K = (py: string, js: () => unknown): [string, () => unknown] => [
      `(lambda k: repr(k) if isinstance(k, selectors.SelectorKey) else k)(${py})`,
      () => key(js()),
    ];
    try {
      differential(
        [
          K('s.register(200, EVENT_READ)', () => s.register(200, R)),
          K('s.register(200, EVENT_READ)', () => s.register(200, R)),
          K('s.register(F(200), EVENT_READ)', () => s.register(new F(200) as never, R)),
          K("s.register(F(201), EVENT_WRITE, 'w')", () => s.register(new F(201) as never, W, 'w')),
          K('s.register(202, EVENT_READ | EVENT_WRITE)', () => s.register(202, R | W)),
          K('s.register(204, 0)', () => s.register(204, 0)),
          K('s.register(204, 4)', () => s.register(204, 4)),
          K('s.register(204, -1)', () => s.register(204, -1)),
          K("s.register('x', 1)", () => S('register')('x', 1)),
          K('s.register(None, 1)', () => S('register')(null, 1)),
          K('s.register(-1, 1)', () => s.register(-1, 1)),
          K('s.register(F(-3), 1)', () => s.register(new F(-3) as never, 1)),
          K("s.register(F('x'), 1)", () => s.register(new F('x') as never, 1)),
          K("s.register(F('204'), 1)", () => s.register(new F('204') as never, 1)),
          K('s.unregister(204)', () => s.unregister(204)),
          K('s.register(99, 1)', () => s.register(99, 1)),
          K('s.unregister(99)', () => s.unregister(99)),
          [PY_READY, () => ready(s.select(0))],
          [PY_READY.replace('select(0)', 'select(-1)'), () => ready(s.select(-1))],
          [PY_READY.replace('select(0)', 'select(0.001)'), () => ready(s.select(0.001))],
          ["s.select('x')", () => S('select')('x')],
          K('s.get_key(200)', () => s.get_key(200)),
          K('s.get_key(F(201))', () => s.get_key(new F(201) as never)),
          K('s.get_key(204)', () => s.get_key(204)),
          K("s.get_key('x')", () => S('get_key')('x')),
          ['len(s.get_map())', () => s.get_map()?.size],
          ['sorted(s.get_map())', () => [...(s.get_map()?.keys() ?? [])].sort()],
          K('s.get_map()[202]', () => s.get_map()?.__getitem__(202)),
          K('s.get_map()[204]', () => s.get_map()?.__getitem__(204)),
          K("s.modify(202, EVENT_READ, 'd')", () => s.modify(202, R, 'd')),
          K("s.modify(202, EVENT_READ, 'e')", () => s.modify(202, R, 'e')),
          K('s.modify(204, EVENT_READ)', () => s.modify(204, R)),
          K('s.modify(202, 0)', () => s.modify(202, 0)),
          K('s.get_key(202)', () => s.get_key(202)),
          [PY_READY, () => ready(s.select(0))],
          K('s.unregister(F(200))', () => s.unregister(new F(200) as never)),
          K('s.unregister(200)', () => s.unregister(200)),
          K('s.close()', () => s.close()),
          ['s.get_map()', () => s.get_map()],
          K('s.get_key(201)', () => s.get_key(201)),
        ],
        `import selectors\nfrom selectors import EVENT_READ, EVENT_WRITE\n${PY_FIXED_PIPES}\ns = selectors.${cls}()`,
      );
    } finally {
      s.close();
      close();
    }
  });

  it('unregisters a file object that was closed since (found by the object), with or without new, using', () => {
    const [r, w] = os.pipe();
    const file = io.open(r, 'rb', 0);
    let fd = -1;
    {
      using s = new selectors[cls]();
      const k = s.register(file, R, { some: 'data' });
      fd = k.fd;
      expect(k.fileobj).toBe(file);
      // Element by element: toEqual would iterate the file object (a read that blocks).
      const [obj, ...rest] = [...k];
      expect(obj).toBe(file);
      expect(rest).toEqual([r, R, { some: 'data' }]);
      file.close();
      expect(s.unregister(file).fd).toBe(fd);
      expect(s.get_map()?.size).toBe(0);
    }
    os.close(w);
    expect(fd).toBe(r);
  });
});

describe('a selectors loop over two children', () => {
  it("streams both children's output to its end, each line whole", () => {
    const script = (tag: string, n: number) =>
      `import sys\nfor i in range(${n}): sys.stdout.write('${tag} %d ' % i + 'x' * (i % 200) + '\\n')`;
    const procs = [
      new subprocess.Popen(['python3', '-c', script('a', 3000)], { stdout: subprocess.PIPE }),
      new subprocess.Popen(['python3', '-c', script('b', 2000)], { stdout: subprocess.PIPE }),
    ];
    const got = new Map<string, Buffer[]>();
    using sel = selectors.DefaultSelector();
    for (const [i, p] of procs.entries()) sel.register(p.stdout as io.BufferedReader, R, i === 0 ? 'a' : 'b');
    while (sel.get_map()?.size) {
      for (const [key] of sel.select(10)) {
        const chunk = os.read(key.fd, 65536);
        if (chunk.length === 0) {
          sel.unregister(key.fileobj);
          continue;
        }
        const tag = key.data as string;
        got.set(tag, [...(got.get(tag) ?? []), chunk]);
      }
    }
    for (const p of procs) {
      expect(p.wait()).toBe(0);
      p.stdout?.close();
    }
    for (const [tag, n] of [
      ['a', 3000],
      ['b', 2000],
    ] as const) {
      const lines = Buffer.concat(got.get(tag) ?? [])
        .toString()
        .split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.length).toBe(n);
      lines.forEach((l, i) => {
        expect(l).toBe(`${tag} ${i} ${'x'.repeat(i % 200)}`);
      });
    }
  });
});

describe('BaseSelector.register() events', () => {
  it("checks the mask as CPython's `(not events) or (events & ~3)` does (pinned from CPython 3.11)", () => {
    // CPython: 2**64 -> ValueError, {} -> ValueError, 1.5 -> TypeError for &, True -> ok, 0 and 4 -> ValueError.
    const cases: [unknown, string | null][] = [
      [2n ** 64n, 'ValueError: Invalid events: 18446744073709551616'],
      [{}, 'ValueError: Invalid events: {}'],
      [1.5, "TypeError: unsupported operand type(s) for &: 'float' and 'int'"],
      [true, null],
      [0, 'ValueError: Invalid events: 0'],
      [4, 'ValueError: Invalid events: 4'],
    ];
    const s = new selectors.DefaultSelector();
    const [r, w] = os.pipe();
    try {
      for (const [events, want] of cases) {
        let got: string | null = null;
        try {
          s.register(r, events as number);
          s.unregister(r);
        } catch (e) {
          got = `${(e as Error).name}: ${(e as Error).message}`;
        }
        expect(got, String(events)).toBe(want);
      }
    } finally {
      s.close();
      os.close(r);
      os.close(w);
    }
  });
});
