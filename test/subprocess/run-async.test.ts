// subprocess.runAsync, check_outputAsync, callAsync, check_callAsync: the
// twins of run and friends (docs/async.md). The same results and errors as
// the blocking calls; on a timeout or an abort the child is killed and
// reaped, and the promise settles at once.
import { describe, expect, it } from 'vitest';
import { subprocess } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { sameErrors } from '../helpers/twins.js';

const T = { timeout: 30_000 };
const f = loose;

/** The fields a CompletedProcess holds. */
const fields = (cp: subprocess.CompletedProcess) => ({
  args: cp.args,
  returncode: cp.returncode,
  stdout: cp.stdout,
  stderr: cp.stderr,
  repr: String(cp),
});

describe('subprocess.runAsync', () => {
  it('returns what run() returns', T, async () => {
    const cases: [string[], subprocess.RunOptions][] = [
      [['/bin/true'], {}],
      [['sh', '-c', 'echo out; echo err >&2; exit 3'], { capture_output: true }],
      [['sh', '-c', 'cat; printf "x\\r\\ny"'], { input: 'héllo\n', capture_output: true, text: true }],
      [['cat'], { input: Buffer.alloc(300_000, 5), stdout: subprocess.PIPE }],
    ];
    for (const [args, opts] of cases) {
      expect(fields(await subprocess.runAsync(args, opts))).toEqual(fields(subprocess.run(args, opts)));
    }
  });

  it('check: CalledProcessError as run(check=True) raises it', T, async () => {
    const opts = { capture_output: true, check: true };
    await sameErrors([
      [
        () => subprocess.run(['sh', '-c', 'echo no; exit 2'], opts),
        () => subprocess.runAsync(['sh', '-c', 'echo no; exit 2'], opts),
      ],
    ]);
    const e = (await subprocess.runAsync(['sh', '-c', 'echo no; exit 2'], opts).catch((x) => x)) as {
      output: Buffer;
      returncode: number;
    };
    expect([String(e.output), e.returncode]).toEqual(['no\n', 2]);
  });

  it('timeout: TimeoutExpired with the output so far; the child is killed and reaped', T, async () => {
    const t0 = performance.now();
    const e = (await subprocess
      .runAsync(['sh', '-c', 'echo started; exec sleep 10'], { capture_output: true, timeout: 0.3 })
      .catch((x) => x)) as subprocess.TimeoutExpired;
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(e).toBeInstanceOf(subprocess.TimeoutExpired);
    expect(String(e.stdout)).toBe('started\n');
  });

  it('abort: AbortSignal.timeout(50) rejects with its reason at once; the child is killed and reaped', T, async () => {
    const t0 = performance.now();
    await expect(subprocess.runAsync(['sleep', '10'], { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(performance.now() - t0).toBeLessThan(5000);
    await expect(subprocess.runAsync(['true'], { signal: AbortSignal.abort('before') })).rejects.toBe('before');
    const ac = new AbortController();
    const cp = await subprocess.runAsync(['true'], { signal: ac.signal });
    ac.abort();
    expect(cp.returncode).toBe(0);
  });

  it("run()'s argument errors, as rejections", T, async () => {
    const x = Buffer.from('x');
    await sameErrors([
      [
        () => subprocess.run(['cat'], { input: x, stdin: 0 }),
        () => subprocess.runAsync(['cat'], { input: x, stdin: 0 }),
      ],
      [
        () => subprocess.run(['cat'], { capture_output: true, stdout: 1 }),
        () => subprocess.runAsync(['cat'], { capture_output: true, stdout: 1 }),
      ],
      [
        () => f(subprocess.run)(['true'], { bogus: 1 }),
        () => f(subprocess.runAsync)(['true'], { bogus: 1 }) as Promise<unknown>,
      ],
      [() => subprocess.run(['/nonexistent/x']), () => subprocess.runAsync(['/nonexistent/x'])],
    ]);
  });
});

describe('check_outputAsync, callAsync, check_callAsync', () => {
  it('return and raise what the blocking calls do', T, async () => {
    expect(await subprocess.check_outputAsync(['echo', 'hi'])).toEqual(subprocess.check_output(['echo', 'hi']));
    expect(await subprocess.check_outputAsync(['cat'], { input: 'txt', text: true })).toBe('txt');
    expect(await subprocess.callAsync(['sh', '-c', 'exit 5'])).toBe(5);
    expect(await subprocess.check_callAsync(['true'])).toBe(0);
    await sameErrors([
      [() => subprocess.check_output(['false']), () => subprocess.check_outputAsync(['false'])],
      [() => subprocess.check_call(['false']), () => subprocess.check_callAsync(['false'])],
      [
        () => f(subprocess.check_output)(['true'], { stdout: 1 }),
        () => f(subprocess.check_outputAsync)(['true'], { stdout: 1 }) as Promise<unknown>,
      ],
      [
        () => subprocess.call(['sleep', '5'], { timeout: 0.1 }),
        () => subprocess.callAsync(['sleep', '5'], { timeout: 0.1 }),
      ],
    ]);
    await expect(subprocess.callAsync(['sleep', '10'], { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });
});
