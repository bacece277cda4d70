// os.stat_result: built from a sequence as CPython builds it, and by fstat.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { os, stat } from '../../lib/index.js';
import { asPipefork, PY_OUTCOME, py, pythonJson } from '../helpers/python.js';
import { runBoth, type Step } from '../helpers/scenario.js';

const T = { timeout: 20_000 };
/** [Python expression, its JS twin, Python statements run first]. */
type Case = [py: string, js: () => unknown, pySetup?: string];

/** Outcome lists compared whole, each Python expression next to its outcome for a readable diff. */
function same(cases: Case[], prelude = ''): void {
  const steps: Step[] = cases.map(([p, js, pySetup]) => ({ py: p, js, pySetup }));
  const { python, pipefork } = runBoth(steps, prelude);
  expect(cases.map(([p], i) => [p, pipefork[i]])).toEqual(cases.map(([p], i) => [p, asPipefork(python[i])]));
}

describe('os.stat_result built from a sequence', () => {
  const S = (...a: unknown[]) => new (os.stat_result as unknown as new (...x: unknown[]) => os.stat_result)(...a);
  /** What a test reads of one: str(), then every field. */
  const fields = [
    'st_mode',
    'st_ino',
    'st_dev',
    'st_nlink',
    'st_uid',
    'st_gid',
    'st_size',
    'st_atime',
    'st_mtime',
    'st_ctime',
    'st_atime_ns',
    'st_mtime_ns',
    'st_ctime_ns',
    'st_blksize',
    'st_blocks',
    'st_rdev',
  ];
  const look = (s: os.stat_result) => [
    String(s),
    ...fields.map((n) => {
      const v = (s as unknown as Record<string, unknown>)[n];
      return typeof v === 'bigint' ? Number(v) : v;
    }),
  ];
  const pyLook = (expr: string) => `(lambda s: [str(s)] + [getattr(s, n) for n in ${py(fields)}])(${expr})`;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('fields, the int-time fallback of st_*time, str(), and the dict for the fields past the sequence', T, () => {
    same([
      [pyLook('os.stat_result((1,2,3,4,5,6,7,8,9,10))'), () => look(S([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))],
      [pyLook('os.stat_result(list(range(11)))'), () => look(S(range(11)))],
      [pyLook('os.stat_result(range(13))'), () => look(S(range(13)))],
      [pyLook('os.stat_result(range(19))'), () => look(S(range(19)))],
      [pyLook('os.stat_result(tuple(range(10)) + (None,) * 9)'), () => look(S([...range(10), ...Array(9).fill(null)]))],
      [pyLook('os.stat_result((1.5,) * 10)'), () => look(S(Array(10).fill(1.5)))],
      [pyLook("os.stat_result('abcdefghij')"), () => look(S('abcdefghij'))],
      [pyLook("os.stat_result(b'abcdefghij')"), () => look(S(Buffer.from('abcdefghij')))],
      [pyLook("os.stat_result(('x', None) * 5)"), () => look(S(Array(5).fill(['x', null]).flat()))],
      [pyLook('os.stat_result(dict.fromkeys(range(10)))'), () => look(S(new Map(range(10).map((i) => [i, null]))))],
      [pyLook('os.stat_result(iter(range(10)))'), () => look(S(range(10).values()))],
      [
        pyLook("os.stat_result(range(10), {'st_atime': 5, 'st_mode': 9, 'st_rdev': 7, 'st_blocks': None, 'x': 1})"),
        () => look(S(range(10), { st_atime: 5, st_mode: 9, st_rdev: 7, st_blocks: null, x: 1 })),
      ],
      [
        pyLook("os.stat_result(range(10), {'dict': {'st_rdev': 1}})"),
        () => look(S(range(10), { dict: { st_rdev: 1 } })),
      ],
      [pyLook("os.stat_result(range(12), {'st_atime': 5})"), () => look(S(range(12), new Map([['st_atime', 5]])))],
      [
        pyLook("os.stat_result(sequence=range(10), dict={'st_ctime_ns': 3})"),
        () => look(S({ sequence: range(10), dict: { st_ctime_ns: 3 } })),
      ],
      [pyLook('os.stat_result(range(10), **{})'), () => look(S(range(10), {}))],
    ]);
  });

  it("CPython's errors: too short, too long, not a sequence, a dict that is not one, argument counts", T, () => {
    same([
      ['os.stat_result((1, 2, 3))', () => S([1, 2, 3])],
      ['os.stat_result(())', () => S([])],
      ['os.stat_result(range(9))', () => S(range(9))],
      ['os.stat_result(range(20))', () => S(range(20))],
      ['os.stat_result(range(100))', () => S(range(100))],
      ['os.stat_result({})', () => S({})],
      ["os.stat_result({'a': 1})", () => S({ a: 1 })],
      ['os.stat_result(5)', () => S(5)],
      ['os.stat_result(1.5)', () => S(1.5)],
      ['os.stat_result(None)', () => S(null)],
      ['os.stat_result(None)', () => S(undefined)],
      ['os.stat_result(True)', () => S(true)],
      ['os.stat_result(5, 5)', () => S(5, 5)],
      ['os.stat_result(range(3), 5)', () => S(range(3), 5)],
      ['os.stat_result(range(10), None)', () => S(range(10), null)],
      ['os.stat_result(range(10), [])', () => S(range(10), [])],
      ['os.stat_result(range(10), 5)', () => S(range(10), 5)],
      ['os.stat_result()', () => S()],
      ['os.stat_result(range(10), {}, 1)', () => S(range(10), {}, 1)],
      ['os.stat_result(dict={})', () => S({ dict: {} })],
      ['os.stat_result(range(10), {}, sequence=range(10))', () => S(range(10), {}, { sequence: range(10) })],
    ]);
  });

  it('fstat still builds its own, with exact times, and str() shows whole seconds', T, () => {
    const [r, w] = os.pipe();
    try {
      const st = os.fstat(r);
      expect(st).toBeInstanceOf(os.stat_result);
      expect(stat.S_ISFIFO(st.st_mode)).toBe(true);
      expect(typeof st.st_atime_ns).toBe('bigint');
      const secs = [st.st_atime_ns, st.st_mtime_ns, st.st_ctime_ns].map((ns) => ns / 1_000_000_000n);
      expect(String(st)).toBe(
        `os.stat_result(st_mode=${st.st_mode}, st_ino=${st.st_ino}, st_dev=${st.st_dev}, st_nlink=${st.st_nlink}, ` +
          `st_uid=${st.st_uid}, st_gid=${st.st_gid}, st_size=0, st_atime=${secs[0]}, st_mtime=${secs[1]}, st_ctime=${secs[2]})`,
      );
    } finally {
      os.close(r);
      os.close(w);
    }
  });
  it('is a tuple too: st[stat.ST_SIZE], len, iteration, the times as whole seconds', T, () => {
    const path = fileURLToPath(new URL('../../package.json', import.meta.url));
    const fd = os.open(path, os.O_RDONLY);
    try {
      const st = os.fstat(fd);
      same(
        [
          ['len(st)', () => st.length],
          ['st[stat.ST_SIZE] == st.st_size', () => st[stat.ST_SIZE] === st.st_size],
          [
            '[st[i] for i in range(10)] == list(st)',
            () => JSON.stringify([...Array(10).keys()].map((i) => st[i])) === JSON.stringify([...st]),
          ],
          ['list(st)[:7]', () => [...st].slice(0, 7)],
          [
            'list(st)[7:] == [int(st.st_atime), int(st.st_mtime), int(st.st_ctime)]',
            () =>
              JSON.stringify([...st].slice(7)) ===
              JSON.stringify([Math.floor(st.st_atime), Math.floor(st.st_mtime), Math.floor(st.st_ctime)]),
          ],
          ['list(os.stat_result(range(10)))', () => [...S(range(10))]],
          ['os.stat_result(range(10))[7]', () => (S(range(10)) as os.stat_result)[7]],
          ["list(os.stat_result(range(10), {'st_atime': 1.5}))", () => [...S(range(10), { st_atime: 1.5 })]],
        ],
        `import stat\nst = os.fstat(os.open(${JSON.stringify(path)}, os.O_RDONLY))`,
      );
      // The documented difference: beyond the 10 items JS indexing gives undefined, CPython IndexError.
      expect(st[10]).toBeUndefined();
      expect(pythonJson(`${PY_OUTCOME}\nprint(json.dumps(outcome(lambda: os.fstat(0)[10])))`)).toEqual([
        'raise',
        'IndexError',
        'tuple index out of range',
        null,
      ]);
    } finally {
      os.close(fd);
    }
  });
});
