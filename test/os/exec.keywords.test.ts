// execve, execvpe and execv take keyword arguments as CPython binds them.
// Nothing here gets as far as exec in this process: exec that succeeds runs
// in a throwaway node child.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { os } from '../../lib/index.js';
import { asPipefork, loose } from '../helpers/python.js';
import { runBoth, type Step } from '../helpers/scenario.js';

const dist = fileURLToPath(new URL('../../dist/lib/index.js', import.meta.url));
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

describe('execve, execvpe, execv: keyword arguments as CPython binds them', () => {
  it("keywords bind; a plain object where env goes is the env (nonexistent paths: nothing is exec'd)", T, () => {
    same([
      ["os.execve('/nonexistent', argv=['a'], env={})", () => f(os.execve)('/nonexistent', { argv: ['a'], env: {} })],
      [
        "os.execve(path='/nonexistent', argv=['a'], env={})",
        () => f(os.execve)({ path: '/nonexistent', argv: ['a'], env: {} }),
      ],
      [
        "os.execve('/nonexistent', env={'A': 'b'}, argv=['a'])",
        () => f(os.execve)('/nonexistent', { env: { A: 'b' }, argv: ['a'] }),
      ],
      ["os.execve('/nonexistent', ['a'], env={})", () => f(os.execve)('/nonexistent', ['a'], {})],
      ["os.execve('/nonexistent', env={})", () => f(os.execve)('/nonexistent', { env: {} })],
      ["os.execve('/nonexistent', argv=['a'])", () => f(os.execve)('/nonexistent', { argv: ['a'] })],
      ["os.execve(argv=['a'], env={})", () => f(os.execve)({ argv: ['a'], env: {} })],
      ["os.execve('/nonexistent', argv='ab', env={})", () => f(os.execve)('/nonexistent', { argv: 'ab', env: {} })],
      ["os.execve('/nonexistent', argv=[], env=5)", () => f(os.execve)('/nonexistent', { argv: [], env: 5 })],
      ["os.execve('/nonexistent', argv=['a'], env=[])", () => f(os.execve)('/nonexistent', { argv: ['a'], env: [] })],
      ["os.execve('/nonexistent', ['a'], {}, env={})", () => f(os.execve)('/nonexistent', ['a'], {}, { env: {} })],
      // At env's position a plain object is the env, whatever its keys.
      ["os.execve('/nonexistent', ['a'], {'env': 'prod'})", () => f(os.execve)('/nonexistent', ['a'], { env: 'prod' })],
      ["os.execve('/nonexistent', ['a'], {'env': {}})", () => f(os.execve)('/nonexistent', ['a'], { env: {} })],
      ["os.execve('/nonexistent', ['a'], {'argv': ['b']})", () => f(os.execve)('/nonexistent', ['a'], { argv: ['b'] })],
      [
        "os.execve('/nonexistent', ['a'], {'PATH': '/bin'})",
        () => f(os.execve)('/nonexistent', ['a'], { PATH: '/bin' }),
      ],
      // An object with other keys is a positional value (a dict), as in Python.
      [
        "os.execve('/nonexistent', {'argv': ['a'], 'env': {}, 'x': 1})",
        () => f(os.execve)('/nonexistent', { argv: ['a'], env: {}, x: 1 }),
      ],
      [
        "os.execvpe('pipefork-no-such-program', args=['a'], env={'PATH': '/nonexistent'})",
        () => f(os.execvpe)('pipefork-no-such-program', { args: ['a'], env: { PATH: '/nonexistent' } }),
      ],
      [
        "os.execvpe(file='pipefork-no-such-program', args=['a'], env={'PATH': '/nonexistent'})",
        () => f(os.execvpe)({ file: 'pipefork-no-such-program', args: ['a'], env: { PATH: '/nonexistent' } }),
      ],
      ["os.execvpe('/nonexistent', args=['a'], env={})", () => f(os.execvpe)('/nonexistent', { args: ['a'], env: {} })],
      ["os.execvpe('x', env={})", () => f(os.execvpe)('x', { env: {} })],
      ["os.execvpe('x', args=['a'])", () => f(os.execvpe)('x', { args: ['a'] })],
      [
        "os.execvpe('pipefork-no-such-program', ['a'], {'env': {'PATH': '/nonexistent'}})",
        () => f(os.execvpe)('pipefork-no-such-program', ['a'], { env: { PATH: '/nonexistent' } }),
      ],
      [
        "os.execvpe('pipefork-no-such-program', ['a'], {'PATH': '/nonexistent'})",
        () => f(os.execvpe)('pipefork-no-such-program', ['a'], { PATH: '/nonexistent' }),
      ],
      [
        "os.execvp('pipefork-no-such-program', args=['a'])",
        () => f(os.execvp)('pipefork-no-such-program', { args: ['a'] }),
      ],
      ["os.execvp('/nonexistent', file='y')", () => f(os.execvp)('/nonexistent', { file: 'y' })],
      // execvp/execvpe are Python functions: a trailing object is keywords, undefined is None.
      ["os.execvp('/nonexistent', foo=1)", () => f(os.execvp)('/nonexistent', { foo: 1 })],
      ["os.execvp('/nonexistent', ['x'], None)", () => f(os.execvp)('/nonexistent', ['x'], undefined)],
      [
        "os.execvpe('/nonexistent', args=['x'], env=None)",
        () => f(os.execvpe)('/nonexistent', { args: ['x'], env: undefined }),
      ],
      ["os.execvpe('/nonexistent', ['x'], None, x=1)", () => f(os.execvpe)('/nonexistent', ['x'], null, { x: 1 })],
      // execv is positional-only.
      ["os.execv('/nonexistent', argv=['a'])", () => f(os.execv)('/nonexistent', { argv: ['a'] })],
      ["os.execv(path='/nonexistent', argv=['a'])", () => f(os.execv)({ path: '/nonexistent', argv: ['a'] })],
      ["os.execv('/nonexistent', ['a'], x=1)", () => f(os.execv)('/nonexistent', ['a'], { x: 1 })],
      ["os.execv('/nonexistent', ['a'], **{})", () => f(os.execv)('/nonexistent', ['a'], {})],
      ["os.execv('/nonexistent', {'x': ['a']})", () => f(os.execv)('/nonexistent', { x: ['a'] })],
      ["os.execv('/nonexistent', {})", () => f(os.execv)('/nonexistent', {})],
    ]);
  });

  it('C functions report a missing argument before one given twice, and that before an unknown name', T, () => {
    same([
      ['os.dup2(1, fd=2)', () => f(os.dup2)(1, { fd: 2 })],
      ['os.dup2(1, inheritable=True)', () => f(os.dup2)(1, { inheritable: true })],
      ["os.open('/nonexistent', 0, foo=1, path='y')", () => f(os.open)('/nonexistent', 0, { foo: 1, path: 'y' })],
      ["os.open('/nonexistent', flags=0, path='y')", () => f(os.open)('/nonexistent', { flags: 0, path: 'y' })],
      ["os.execve('/nonexistent', env={}, path='y')", () => f(os.execve)('/nonexistent', { env: {}, path: 'y' })],
    ]);
  });

  it('the keywords reach the program: argv and env of execve, execvpe, execvp (in throwaway children)', T, () => {
    const run = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
      return { stdout: r.stdout, stderr: r.stderr, status: r.status };
    };
    const node = (body: string) =>
      run(process.execPath, ['--input-type=module', '-e', `import { os } from ${JSON.stringify(dist)};\n${body}`]);
    const pairs: [string, string][] = [
      [
        "os.execve('/bin/sh', argv=['sh', '-c', 'echo \"$0|$1|$ONLY\"', 'zero', 'one'], env={'ONLY': 'kw'})",
        `os.execve('/bin/sh', { argv: ['sh', '-c', 'echo "$0|$1|$ONLY"', 'zero', 'one'], env: { ONLY: 'kw' } });`,
      ],
      [
        "os.execve('/usr/bin/env', argv=['env'], env={'ONLY': 'kw'})",
        `os.execve('/usr/bin/env', { argv: ['env'], env: { ONLY: 'kw' } });`,
      ],
      [
        "os.execve(path='/bin/sh', env={'ONLY': 'all'}, argv=['sh', '-c', 'echo \"$ONLY\"'])",
        `os.execve({ path: '/bin/sh', env: { ONLY: 'all' }, argv: ['sh', '-c', 'echo "$ONLY"'] });`,
      ],
      [
        "os.execvpe('sh', args=['sh', '-c', 'echo \"$X|$PATH\"'], env={'PATH': '/nonexistent:/bin:/usr/bin', 'X': 'vpe'})",
        `os.execvpe('sh', { args: ['sh', '-c', 'echo "$X|$PATH"'], env: { PATH: '/nonexistent:/bin:/usr/bin', X: 'vpe' } });`,
      ],
      [
        "os.environ['Y'] = 'vp'; os.execvp(file='sh', args=['sh', '-c', 'echo \"$Y\"'])",
        `process.env.Y = 'vp'; os.execvp({ file: 'sh', args: ['sh', '-c', 'echo "$Y"'] });`,
      ],
    ];
    const want = pairs.map(([p]) => run('python3', ['-c', `import os; ${p}`]));
    expect(want.map((w) => w.stdout)).toEqual([
      'zero|one|kw\n',
      'ONLY=kw\n',
      'all\n',
      'vpe|/nonexistent:/bin:/usr/bin\n',
      'vp\n',
    ]);
    expect(pairs.map(([, js]) => node(js))).toEqual(want);
  });
});
