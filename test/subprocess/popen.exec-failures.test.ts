// Popen when the child cannot start: the error, its filename, nothing left behind.
import { describe, expect, it } from 'vitest';
import {
  FileNotFoundError,
  NotADirectoryError,
  OSError,
  os,
  PermissionError,
  subprocess,
  ValueError,
} from '../../lib/index.js';
import { children } from '../helpers/leaks.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

/** Live (non-zombie) children of this process. */
function runningChildren(): number[] {
  return children()
    .filter((c) => c.state !== 'Z')
    .map((c) => c.pid);
}

describe('Popen exec failures', () => {
  it('test_invalid_cmd / nonexistent: FileNotFoundError with the filename, nothing left behind', () => {
    const before = runningChildren();
    const cases: [string, () => unknown][] = [
      ["subprocess.Popen(['nosuch-xyz'])", () => new subprocess.Popen(['nosuch-xyz'])],
      ["subprocess.Popen(['/nonexist/prog'])", () => new subprocess.Popen(['/nonexist/prog'])],
      ["subprocess.Popen(['/etc/passwd'])", () => new subprocess.Popen(['/etc/passwd'])],
      ["subprocess.Popen(['true'], cwd='/nonexist')", () => new subprocess.Popen(['true'], { cwd: '/nonexist' })],
      ["subprocess.Popen(['true'], cwd='/etc/passwd')", () => new subprocess.Popen(['true'], { cwd: '/etc/passwd' })],
      ["subprocess.Popen(['x'], executable='nosuch')", () => new subprocess.Popen(['x'], { executable: 'nosuch' })],
      [
        "subprocess.Popen(['nosuch'], stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.PIPE)",
        () =>
          new subprocess.Popen(['nosuch'], {
            stdout: subprocess.PIPE,
            stderr: subprocess.PIPE,
            stdin: subprocess.PIPE,
          }),
      ],
      ["subprocess.Popen(['true'], env={'A=B': 'c'})", () => new subprocess.Popen(['true'], { env: { 'A=B': 'c' } })],
      ['subprocess.Popen([])', () => new subprocess.Popen([])],
      ["subprocess.Popen([''])", () => new subprocess.Popen([''])],
      ["subprocess.Popen(['true', 1])", () => new subprocess.Popen(['true', 1 as unknown as string])],
      ["subprocess.Popen(['tr\\0ue'])", () => new subprocess.Popen(['tr\0ue'])],
      ["subprocess.Popen(['true'], pass_fds=[-1])", () => new subprocess.Popen(['true'], { pass_fds: [-1] })],
      [
        "subprocess.Popen(['true'], bufsize='x')",
        () => new subprocess.Popen(['true'], { bufsize: 'x' as unknown as number }),
      ],
      [
        "subprocess.Popen(['true'], text=True, universal_newlines=False)",
        () => new subprocess.Popen(['true'], { text: true, universal_newlines: false }),
      ],
    ];
    const py = pythonJson<unknown[]>(
      `${PY_OUTCOME}\nimport subprocess\nprint(json.dumps([${cases.map(([c]) => `outcome(lambda: ${c})`).join(',\n')}]))`,
    );
    const js = cases.map(([, f]) => outcome(f));
    expect(js).toEqual(py);
    expect(runningChildren()).toEqual(before);
  });

  it('the error carries filename, errno and the subclass', () => {
    try {
      new subprocess.Popen(['nosuch']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FileNotFoundError);
      expect(e).toBeInstanceOf(OSError);
      expect((e as OSError).filename).toBe('nosuch');
      expect((e as OSError).errno).toBe(2);
      expect((e as Error).message).toBe("[Errno 2] No such file or directory: 'nosuch'");
    }
    expect(() => new subprocess.Popen(['/etc'])).toThrow(PermissionError);
    expect(() => new subprocess.Popen(['true'], { cwd: '/etc/passwd' })).toThrow(NotADirectoryError);
  });

  it('a closed fd as stdin is EBADF reported from the child, and leaks nothing', () => {
    // A high number: a just-closed low fd would be reused by the error pipe.
    const [r, w] = os.pipe();
    const closed = os.dup2(r, 900);
    for (const fd of [closed, r, w]) os.close(fd);
    const ebadf = ['raise', 'OSError', '[Errno 9] Bad file descriptor', 9];
    expect(outcome(() => new subprocess.Popen(['true'], { stdin: closed }))).toEqual(ebadf);
    expect(outcome(() => new subprocess.Popen(['true'], { stdout: closed }))).toEqual(ebadf);
    expect(outcome(() => new subprocess.Popen(['true'], { pass_fds: [closed] }))).toEqual(ebadf);
  });

  it('preexec_fn is refused with a clear error', () => {
    expect(() => new subprocess.Popen(['true'], { preexec_fn: (() => {}) as unknown as null })).toThrow(
      /preexec_fn is not supported/,
    );
    expect(() => new subprocess.Popen(['true'], { preexec_fn: (() => {}) as unknown as null })).toThrow(ValueError);
  });
});
