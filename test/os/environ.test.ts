// os.environ, getenv/putenv/unsetenv, getcwd/chdir, umask, unlink/remove,
// the ids and getsid, against CPython: results and errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtins, os } from '../../lib/index.js';
import { asPipefork, loose, outcome, PY_OUTCOME, py, pythonJson } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

const K = 'PIPEFORK_TEST_ENV';
const B = (s: string) => Buffer.from(s);

afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith(K)) delete process.env[k];
});

describe('os.environ', () => {
  it('reads and writes the environment with CPython mapping methods and errors', () => {
    const e = os.environ;
    const { python, pipefork } = runCases(
      [
        [`E['${K}']`, () => e.getitem(K)],
        [`E.get('${K}')`, () => e.get(K)],
        [`E.get('${K}', 'dflt')`, () => e.get(K, 'dflt')],
        [`'${K}' in E`, () => e.has(K)],
        [`E.__setitem__('${K}', 'v1')`, () => e.setitem(K, 'v1')],
        [`E['${K}']`, () => e.getitem(K)],
        [`'${K}' in E`, () => e.has(K)],
        [`os.getenv('${K}')`, () => os.getenv(K)],
        [`E.setdefault('${K}', 'other')`, () => e.setdefault(K, 'other')],
        [`E.setdefault('${K}_2', 'sd')`, () => e.setdefault(`${K}_2`, 'sd')],
        [`E.setdefault('${K}_2')`, () => loose(e.setdefault).call(e, `${K}_2`)],
        [`E.update({'${K}_3': 'u3'})`, () => e.update({ [`${K}_3`]: 'u3' })],
        [`E.update([('${K}_4', 'u4')])`, () => e.update([[`${K}_4`, 'u4']])],
        [`sorted(k for k in E if k.startswith('${K}'))`, () => [...e].filter((k) => k.startsWith(K)).sort()],
        [
          `sorted(v for k, v in E.items() if k.startswith('${K}'))`,
          () =>
            e
              .items()
              .filter(([k]) => k.startsWith(K))
              .map(([, v]) => v)
              .sort(),
        ],
        [`E.pop('${K}_3')`, () => e.pop(`${K}_3`)],
        [`E.pop('${K}_3')`, () => e.pop(`${K}_3`)],
        [`E.pop('${K}_3', None)`, () => e.pop(`${K}_3`, null)],
        [`E.__delitem__('${K}_4')`, () => e.delitem(`${K}_4`)],
        [`E.__delitem__('${K}_4')`, () => e.delitem(`${K}_4`)],
        [`E.copy()['${K}']`, () => e.copy()[K]],
        [`len(E) == len(os.environ.copy())`, () => e.size === Object.keys(e.copy()).length],
        [`E.__setitem__('A=B', 'x')`, () => e.setitem('A=B', 'x')],
        [`E.__setitem__('', 'x')`, () => e.setitem('', 'x')],
        [`E.__setitem__('A\\0', 'x')`, () => e.setitem('A\0', 'x')],
        [`E.__setitem__('${K}', 'x\\0')`, () => e.setitem(K, 'x\0')],
        [`E.__setitem__(1, 'x')`, () => e.setitem(1 as never, 'x')],
        [`E.__setitem__('${K}', None)`, () => e.setitem(K, null as never)],
        ['E.get(1)', () => e.get(1 as never)],
        ['1 in E', () => e.has(1 as never)],
        [`os.environb[b'${K}']`, () => os.environb.getitem(B(K))],
        [`os.environb.__setitem__(b'${K}_5', b'bv')`, () => os.environb.setitem(B(`${K}_5`), B('bv'))],
        [`E['${K}_5']`, () => e.getitem(`${K}_5`)],
        [`os.environb.__setitem__('x', b'v')`, () => os.environb.setitem('x' as never, B('v'))],
        [`os.getenvb(b'${K}_5')`, () => os.getenvb(B(`${K}_5`))],
        ['os.getenvb(b"PIPEFORK_NOPE", 5)', () => os.getenvb(B('PIPEFORK_NOPE'), 5)],
      ],
      'import os\nE = os.environ',
    );
    expect(pipefork).toEqual(python);
  });

  it('putenv, unsetenv and getenv check names and values as CPython', () => {
    const { python, pipefork } = runCases(
      [
        [`os.putenv('${K}', 'p')`, () => os.putenv(K, 'p')],
        [`os.getenv('${K}')`, () => os.getenv(K)],
        [`os.putenv(b'${K}', b'pb')`, () => os.putenv(B(K), B('pb'))],
        [`os.unsetenv('${K}')`, () => os.unsetenv(K)],
        [`os.unsetenv('${K}')`, () => os.unsetenv(K)],
        ["os.putenv('A=B', 'x')", () => os.putenv('A=B', 'x')],
        ["os.putenv('', 'x')", () => os.putenv('', 'x')],
        ["os.putenv(1, 'x')", () => os.putenv(1 as never, 'x')],
        ["os.putenv('A', 'x\\0')", () => os.putenv('A', 'x\0')],
        ["os.putenv('a')", () => loose(os.putenv)('a')],
        ["os.unsetenv('A=B')", () => os.unsetenv('A=B')],
        ["os.unsetenv('')", () => os.unsetenv('')],
        ['os.getenv()', () => loose(os.getenv)()],
        ['os.getenv(1)', () => os.getenv(1 as never)],
        ["os.getenv('PIPEFORK_NOPE', 5)", () => os.getenv('PIPEFORK_NOPE', 5)],
      ],
      'import os',
    );
    // The one deliberate difference (docs/os.md): CPython's os.environ is a
    // copy taken at startup, so os.getenv does not see putenv; pipefork's is
    // live over process.env, which putenv changes.
    expect([python[1], pipefork[1]]).toEqual([
      ['ok', null],
      ['ok', 'p'],
    ]);
    expect(pipefork.filter((_, i) => i !== 1)).toEqual(python.filter((_, i) => i !== 1));
  });

  it('is live: a change through process.env shows, and the reverse; a child started later sees it', () => {
    process.env[K] = 'from node';
    expect(os.environ.getitem(K)).toBe('from node');
    os.environ.setitem(K, 'from pipefork');
    expect(process.env[K]).toBe('from pipefork');
    expect(pythonJson(`import os, json\nprint(json.dumps(os.environ.get(${py(K)})))`)).toBe('from pipefork');
  });

  it("prints as CPython's environ({...})", () => {
    expect(builtins.repr(os.environ).startsWith("environ({'")).toBe(true);
  });
});

describe('the working directory', () => {
  it('getcwd, getcwdb and chdir as CPython, with Node seeing the change', () => {
    const here = process.cwd();
    const dir = mkdtempSync(join(tmpdir(), 'pipefork-cwd-'));
    const file = join(dir, 'f');
    writeFileSync(file, '');
    try {
      const { python, pipefork } = runCases(
        [
          [`os.chdir(${py(dir)})`, () => os.chdir(dir)],
          ['os.getcwd()', () => os.getcwd()],
          ['list(os.getcwdb())', () => [...os.getcwdb()]],
          ["os.chdir('..')", () => os.chdir('..')],
          [`os.chdir(os.fsencode(${py(dir)}))`, () => os.chdir(B(dir))],
          ["os.chdir('/nonexistent')", () => os.chdir('/nonexistent')],
          ["os.chdir(b'/nonexistent')", () => os.chdir(B('/nonexistent'))],
          [`os.chdir(${py(file)})`, () => os.chdir(file)],
          ['os.chdir(1.5)', () => os.chdir(1.5)],
          ['os.chdir(None)', () => os.chdir(null as never)],
          ['os.chdir(999)', () => os.chdir(999)],
          ["os.chdir('a\\0')", () => os.chdir('a\0')],
          ['os.getcwd(1)', () => loose(os.getcwd)(1)],
        ],
        'import os',
      );
      expect(pipefork).toEqual(python);
      expect(process.cwd()).toBe(dir);
      // chdir by an open directory's fd (fchdir).
      const fd = os.open('/', os.O_RDONLY);
      try {
        os.chdir(fd);
        expect([os.getcwd(), process.cwd()]).toEqual(['/', '/']);
      } finally {
        os.close(fd);
      }
    } finally {
      process.chdir(here);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('getcwd raises FileNotFoundError once the directory is gone, as CPython', () => {
    const here = process.cwd();
    const dir = mkdtempSync(join(tmpdir(), 'pipefork-gone-'));
    try {
      os.chdir(dir);
      rmSync(dir, { recursive: true });
      const want = pythonJson<unknown>(
        `import os, json, tempfile\nd = tempfile.mkdtemp()\nos.chdir(d)\nos.rmdir(d)\ntry: os.getcwd()\nexcept OSError as e: print(json.dumps([type(e).__name__, str(e)]))`,
      );
      let got: unknown;
      try {
        os.getcwd();
      } catch (e) {
        got = [(e as Error).constructor.name, (e as Error).message];
      }
      expect(got).toEqual(want);
    } finally {
      process.chdir(here);
    }
  });
});

describe('umask, unlink, remove, ids, getsid', () => {
  it('umask sets and returns the previous mask, with CPython argument errors', () => {
    const old = os.umask(0o22);
    try {
      const { python, pipefork } = runCases(
        [
          ['os.umask(0o77)', () => os.umask(0o77)],
          ['os.umask(-1)', () => os.umask(-1)],
          ['os.umask(0o22)', () => os.umask(0o22)],
          ['os.umask(2**40)', () => os.umask(2 ** 40)],
          ["os.umask('x')", () => os.umask('x' as never)],
          ['os.umask()', () => loose(os.umask)()],
        ],
        'import os\nos.umask(0o22)',
      );
      expect(pipefork).toEqual(python);
    } finally {
      os.umask(old);
    }
  });

  it('unlink and remove as CPython: FileNotFoundError with the name, IsADirectoryError, dir_fd', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipefork-unlink-'));
    const files = () => {
      for (const n of ['a', 'b', 'c']) writeFileSync(join(dir, n), '');
    };
    const dfd = os.open(dir, os.O_RDONLY);
    try {
      const cases: [string, () => unknown][] = [
        [`os.unlink(${py(join(dir, 'a'))})`, () => os.unlink(join(dir, 'a'))],
        [`os.unlink(${py(join(dir, 'a'))})`, () => os.unlink(join(dir, 'a'))],
        [`os.remove(os.fsencode(${py(join(dir, 'b'))}))`, () => os.remove(B(join(dir, 'b')))],
        [`os.remove(os.fsencode(${py(join(dir, 'b'))}))`, () => os.remove(B(join(dir, 'b')))],
        ["os.unlink('c', dir_fd=dfd)", () => os.unlink('c', { dir_fd: dfd })],
        ["os.unlink('c', dir_fd=dfd)", () => os.unlink('c', { dir_fd: dfd })],
        [`os.unlink(${py(dir)})`, () => os.unlink(dir)],
        ["os.unlink('')", () => os.unlink('')],
        ['os.unlink(5)', () => os.unlink(5 as never)],
        ["os.unlink('x', dir_fd='a')", () => os.unlink('x', { dir_fd: 'a' as never })],
        ["os.unlink('x', dir_fd=999)", () => os.unlink('x', { dir_fd: 999 })],
        ["os.unlink('x', 5)", () => loose(os.unlink)('x', 5)],
        ["os.unlink('a\\0')", () => os.unlink('a\0')],
        ["os.unlink(b'a\\0')", () => os.unlink(B('a\0'))],
        ['os.remove()', () => loose(os.remove)()],
      ];
      // Each side deletes the same files: CPython first, then they are made again for pipefork.
      files();
      const python = pythonJson<unknown[]>(
        `${PY_OUTCOME}\ndfd = os.open(${py(dir)}, os.O_RDONLY)\nprint(json.dumps([${cases.map(([p]) => `outcome(lambda: ${p})`).join(', ')}]))`,
      ).map(asPipefork);
      files();
      expect(cases.map(([, f]) => outcome(f))).toEqual(python);
    } finally {
      os.close(dfd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('getuid, geteuid, getgid, getegid and getsid give what CPython gives', () => {
    const { python, pipefork } = runCases(
      [
        [
          '[os.getuid(), os.geteuid(), os.getgid(), os.getegid()]',
          () => [os.getuid(), os.geteuid(), os.getgid(), os.getegid()],
        ],
        ['os.getuid(1)', () => loose(os.getuid)(1)],
        ['os.getsid(0) == os.getsid(os.getpid())', () => os.getsid(0) === os.getsid(os.getpid())],
        ['os.getsid(-5)', () => os.getsid(-5)],
        ['os.getsid(2**31)', () => os.getsid(2 ** 31)],
        ["os.getsid('x')", () => os.getsid('x' as never)],
        ['os.getsid()', () => loose(os.getsid)()],
      ],
      'import os',
    );
    expect(pipefork).toEqual(python);
  });
});
