// os.execv / execve / execvp / execvpe. A successful exec replaces the
// process, so those cases run inside a throwaway `node` child (spawnSync);
// failures are tested here, in the test process itself, because a failed
// exec must leave the Node process exactly as it was.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BrokenPipeError, FileNotFoundError, os } from '../../lib/index.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

const dist = fileURLToPath(new URL('../../dist/lib/index.js', import.meta.url));
const statusScript = fileURLToPath(new URL('../fixtures/proc-status.sh', import.meta.url));

/** Runs an ES module snippet in a fresh node with `os` imported from the built package. */
function inNode(body: string, env?: NodeJS.ProcessEnv) {
  const script = `import { os } from ${JSON.stringify(dist)};\n${body}`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 10_000,
    env: env ?? process.env,
  });
}

const ZERO_SIGS = 'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n';

describe('exec* replacing the process (in a throwaway node child)', () => {
  it('execv: the program gets working stdin/stdout/stderr and default signals', () => {
    const r = inNode(`os.execv('/bin/sh', ['sh', ${JSON.stringify(statusScript)}]);`);
    expect(r.stderr).toBe('err\n');
    expect(r.stdout).toBe(`${ZERO_SIGS}out\n`);
    expect(r.status).toBe(0);
  });

  it("execv gives the new program blocking stdio even though Node's stdout pipe is O_NONBLOCK", () => {
    const r = inNode(`
      process.stdout.write(''); // Node sets up its stdout pipe (O_NONBLOCK) on first use
      console.error(os.get_blocking(1));
      os.execv('/usr/bin/python3', ['python3', '-c', 'import os, sys; print(os.get_blocking(1), file=sys.stderr)']);`);
    expect(r.stderr).toBe('false\nTrue\n');
  });

  it('execv passes argv exactly (UTF-8, spaces, empty strings)', () => {
    const r = inNode(
      `os.execv('/usr/bin/printf', ['printf', '[%s]', 'héllo wörld', '', 'a b', Buffer.from('by\\xfftes', 'latin1')]);`,
    );
    expect(Buffer.from(r.stdout, 'utf8').toString('utf8')).toBe('[héllo wörld][][a b][by\ufffdtes]');
    expect(r.status).toBe(0);
  });

  it('execve replaces the environment; execvp and execvpe search PATH', () => {
    let r = inNode(`os.execve('/usr/bin/env', ['env'], { ONLY: 'this', B: Buffer.from('bytes') });`);
    expect(r.stdout).toBe('ONLY=this\nB=bytes\n');
    r = inNode(`process.env.PATH = '/nonexist:/usr/bin:/bin'; os.execvp('printf', ['printf', 'found']);`);
    expect(r.stdout).toBe('found');
    r = inNode(`os.execvpe('env', ['env'], new Map([['PATH', '/etc/passwd:/usr/bin:/bin'], ['X', '1']]));`);
    expect(r.stdout).toBe('PATH=/etc/passwd:/usr/bin:/bin\nX=1\n');
  });

  it('a failed exec followed by a successful one still resets stdio and signals', () => {
    const r = inNode(`
      try { os.execv('/nonexistent', ['x']); } catch (e) { console.error(e.constructor.name); }
      os.execv('/bin/sh', ['sh', ${JSON.stringify(statusScript)}]);`);
    expect(r.stderr).toBe('FileNotFoundError\nerr\n');
    expect(r.stdout).toBe(`${ZERO_SIGS}out\n`);
  });
});

describe('exec* failures leave this process as it was', () => {
  it('FileNotFoundError as CPython words it; SIGPIPE stays ignored; stdio flags restored', () => {
    const before = [0, 1, 2].map((fd) => [os.get_inheritable(fd), os.get_blocking(fd)]);
    expect(outcome(() => os.execv('nosuch', ['a']))).toEqual([
      'raise',
      'FileNotFoundError',
      '[Errno 2] No such file or directory',
      2,
    ]);
    expect(() => os.execv('/nonexistent/prog', ['prog'])).toThrow(FileNotFoundError);
    expect([0, 1, 2].map((fd) => [os.get_inheritable(fd), os.get_blocking(fd)])).toEqual(before);
    // A write to a pipe with no reader must still be EPIPE, not a fatal SIGPIPE.
    const [r, w] = os.pipe();
    os.close(r);
    expect(() => os.write(w, Buffer.from('x'))).toThrow(BrokenPipeError);
    os.close(w);
  });

  it('errors, filenames and the PATH search choice match CPython', () => {
    const cases: [string, () => unknown][] = [
      ["os.execv('nosuch', ['a'])", () => os.execv('nosuch', ['a'])],
      ["os.execv('/etc', ['a'])", () => os.execv('/etc', ['a'])],
      ["os.execv('/dev/null', ['a'])", () => os.execv('/dev/null', ['a'])],
      ["os.execv('', ['a'])", () => os.execv('', ['a'])],
      ["os.execve('nosuch', ['a'], {})", () => os.execve('nosuch', ['a'], {})],
      ["os.execve(b'nosuch', ['a'], {})", () => os.execve(Buffer.from('nosuch'), ['a'], {})],
      ["os.execve('/etc/passwd', ['a'], {})", () => os.execve('/etc/passwd', ['a'], {})],
      ["os.execvp('nosuch-prog-xyz', ['a'])", () => os.execvp('nosuch-prog-xyz', ['a'])],
      ["os.execvp('./nosuch', ['a'])", () => os.execvp('./nosuch', ['a'])],
      [
        "os.execvpe('nosuch', ['a'], {'PATH': '/etc/passwd:/nonexist:/etc'})",
        () => os.execvpe('nosuch', ['a'], { PATH: '/etc/passwd:/nonexist:/etc' }),
      ],
      [
        "os.execvpe('passwd', ['a'], {'PATH': '/nonexist:/etc:/nonexist2'})",
        () => os.execvpe('passwd', ['a'], { PATH: '/nonexist:/etc:/nonexist2' }),
      ],
      ["os.execvpe('x', ['a'], {'PATH': ''})", () => os.execvpe('x', ['a'], { PATH: '' })],
      ["os.execvpe('nosuch', ['a'], {})", () => os.execvpe('nosuch', ['a'], {})],
      // argument checks, in CPython's order
      ["os.execv('/bin/true', [])", () => os.execv('/bin/true', [])],
      ["os.execv('/bin/true', [''])", () => os.execv('/bin/true', [''])],
      ["os.execv('/bin/true', [b''])", () => os.execv('/bin/true', [Buffer.alloc(0)])],
      ["os.execv('/bin/true', ['', 1])", () => os.execv('/bin/true', ['', 1 as unknown as string])],
      ["os.execv('/bin/true', 'ab')", () => os.execv('/bin/true', 'ab' as unknown as string[])],
      ["os.execv('/bin/true', None)", () => os.execv('/bin/true', null as unknown as string[])],
      ["os.execv('/bin/true', ['a\\0b'])", () => os.execv('/bin/true', ['a\0b'])],
      ["os.execv(None, ['a'])", () => os.execv(null as unknown as string, ['a'])],
      ["os.execv(3, ['a'])", () => os.execv(3 as unknown as string, ['a'])],
      ["os.execv('/bin/tr\\0ue', ['a'])", () => os.execv('/bin/tr\0ue', ['a'])],
      ["os.execve('/bin/true', ['a'], {'A=B': 'c'})", () => os.execve('/bin/true', ['a'], { 'A=B': 'c' })],
      ["os.execve('/bin/true', ['a'], {'': 'c'})", () => os.execve('/bin/true', ['a'], { '': 'c' })],
      ["os.execve('/bin/true', ['a'], {'A': 'c\\0'})", () => os.execve('/bin/true', ['a'], { A: 'c\0' })],
      ["os.execve('/bin/true', ['a'], {'A': 1})", () => os.execve('/bin/true', ['a'], { A: 1 as unknown as string })],
      [
        "os.execve('/bin/true', ['a'], None)",
        () => os.execve('/bin/true', ['a'], null as unknown as Record<string, string>),
      ],
    ];
    const py = pythonJson<unknown[]>(
      `${PY_OUTCOME}\nprint(json.dumps([${cases.map(([c]) => `outcome(lambda: ${c})`).join(',\n')}]))`,
    );
    expect(cases.map(([, f]) => outcome(f))).toEqual(py);
  });
});
