// Positional-only C functions refuse keywords ('takes no keyword
// arguments'), and **{} is nothing, as in CPython 3.11.
import { describe, expect, it } from 'vitest';
import { os, stat } from '../../lib/index.js';
import { asPipefork, loose } from '../helpers/python.js';
import { runBoth, type Step } from '../helpers/scenario.js';

const T = { timeout: 20_000 };
/** Any function, called with any arguments (the calls below are ill-typed on purpose). */
const f = loose;
/** [Python expression, its JS twin, Python statements run first]. */
type Case = [py: string, js: () => unknown, pySetup?: string];

/** Outcome lists compared whole, each Python expression next to its outcome for a readable diff. */
function same(cases: Case[], prelude = ''): void {
  const steps: Step[] = cases.map(([p, js, pySetup]) => ({ py: p, js, pySetup }));
  const { python, pipefork } = runBoth(steps, prelude);
  expect(cases.map(([p], i) => [p, pipefork[i]])).toEqual(cases.map(([p], i) => [p, asPipefork(python[i])]));
}

describe("positional-only C functions refuse keywords ('takes no keyword arguments'), and **{} is nothing", () => {
  it(
    'read, write, pipe2, dup, isatty, lseek, closerange, strerror, get/set_inheritable, get/set_blocking, kill, killpg, waitpid, S_IS*',
    T,
    () => {
      const [r, w] = os.pipe();
      os.write(w, Buffer.from('abc'));
      const x = (s: string) => Buffer.from(s);
      try {
        same(
          [
            ['os.read(r, length=1)', () => f(os.read)(r, { length: 1 })],
            ['os.read(fd=r, length=1)', () => f(os.read)({ fd: r, length: 1 })],
            ['os.read(r, 1, **{})', () => f(os.read)(r, 1, {})],
            ['os.read(r, {})', () => f(os.read)(r, {})],
            ["os.read(r, {'x': 1})", () => f(os.read)(r, { x: 1 })],
            ["os.write(w, data=b'x')", () => f(os.write)(w, { data: x('x') })],
            ["os.write(w, b'x', **{})", () => f(os.write)(w, x('x'), {})],
            ['os.pipe2(flags=0)', () => f(os.pipe2)({ flags: 0 })],
            ['os.dup(fd=r)', () => f(os.dup)({ fd: r })],
            ['os.isatty(fd=r)', () => f(os.isatty)({ fd: r })],
            ['os.isatty(r, **{})', () => f(os.isatty)(r, {})],
            ['os.lseek(r, 0, whence=0)', () => f(os.lseek)(r, 0, { whence: 0 })],
            ['os.closerange(100, fd_high=101)', () => f(os.closerange)(100, { fd_high: 101 })],
            ['os.strerror(code=1)', () => f(os.strerror)({ code: 1 })],
            ['os.get_inheritable(fd=r)', () => f(os.get_inheritable)({ fd: r })],
            ['os.set_inheritable(r, inheritable=False)', () => f(os.set_inheritable)(r, { inheritable: false })],
            ['os.get_blocking(fd=r)', () => f(os.get_blocking)({ fd: r })],
            ['os.set_blocking(r, blocking=True)', () => f(os.set_blocking)(r, { blocking: true })],
            ['os.kill(0, signal=0)', () => f(os.kill)(0, { signal: 0 })],
            ['os.killpg(1, signal=0)', () => f(os.killpg)(1, { signal: 0 })],
            ['os.waitpid(-1, options=1)', () => f(os.waitpid)(-1, { options: 1 })],
            ['stat.S_ISFIFO(mode=0)', () => f(stat.S_ISFIFO)({ mode: 0 })],
            ['stat.S_ISFIFO(0, **{})', () => f(stat.S_ISFIFO)(0, {})],
            ['stat.S_ISFIFO({})', () => f(stat.S_ISFIFO)({})],
          ],
          "import stat\nr, w = os.pipe(); os.write(w, b'abc')",
        );
      } finally {
        os.close(r);
        os.close(w);
      }
    },
  );
});
