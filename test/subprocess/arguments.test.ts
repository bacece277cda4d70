// subprocess argument errors worded as CPython words them.
import { describe, expect, it } from 'vitest';
import { os, subprocess } from '../../lib/index.js';
import { loose, py } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

/** `[python expression, JS function]` pairs run in both: [pipefork, CPython] outcomes. */
function both(cases: [string, () => unknown][], prelude = ''): [unknown[], unknown[]] {
  const { pipefork, python } = runCases(cases, `import subprocess\n${prelude}`);
  return [pipefork, python];
}

describe('subprocess argument errors worded as CPython', () => {
  it('Popen, wait, communicate and pass_fds', () => {
    const WRITE = "import os, sys; os.write(int(sys.argv[1]), b'hi\\n'); print('ok')";
    const [r, w] = os.pipe();
    try {
      const [js, pyOut] = both(
        [
          ["subprocess.Popen(['true'], -1, bufsize=0)", () => loose(subprocess.Popen)(['true'], -1, { bufsize: 0 })],
          ['subprocess.Popen()', () => new (subprocess.Popen as unknown as new () => object)()],
          [
            "subprocess.Popen(['true'], nosuch=1)",
            () => new subprocess.Popen(['true'], { nosuch: 1 } as subprocess.PopenOptions),
          ],
          [
            "(lambda p: (p.wait(), p.wait(1, 2))[1])(subprocess.Popen(['true']))",
            () => {
              const p = new subprocess.Popen(['true']);
              p.wait();
              return (p.wait as (...a: unknown[]) => number)(1, 2);
            },
          ],
          [
            "(lambda p: (p.wait(), p.communicate(None, 1, 2))[1])(subprocess.Popen(['true']))",
            () => {
              const p = new subprocess.Popen(['true']);
              p.wait();
              return (p.communicate as (...a: unknown[]) => unknown)(null, 1, 2);
            },
          ],
          [
            "(lambda p: (p.wait(), p.wait(tmo=1))[1])(subprocess.Popen(['true']))",
            () => {
              const p = new subprocess.Popen(['true']);
              p.wait();
              return p.wait({ tmo: 1 } as unknown as { timeout: number });
            },
          ],
          [
            // The pipe of each side: the child writes to it through a pass_fds given as a str.
            "[list(subprocess.check_output(['python3', '-c', WRITE, str(w)], pass_fds=[str(w)])), list(os.read(r, 10))]",
            () => {
              const out = subprocess.check_output(['python3', '-c', WRITE, String(w)], {
                pass_fds: [String(w)] as unknown as number[],
              });
              return [[...(out as Buffer)], [...os.read(r, 10)]];
            },
          ],
          [
            "subprocess.run(['true'], pass_fds=['x'])",
            () => subprocess.run(['true'], { pass_fds: ['x'] as unknown as number[] }),
          ],
          ["subprocess.run(['true'], pass_fds=[2**31])", () => subprocess.run(['true'], { pass_fds: [2 ** 31] })],
          [
            "subprocess.run(['true'], pass_fds=[None])",
            () => subprocess.run(['true'], { pass_fds: [null] as unknown as number[] }),
          ],
        ],
        `r, w = os.pipe()\nWRITE = ${py(WRITE)}`,
      );
      expect(js).toEqual(pyOut);
    } finally {
      os.close(r);
      os.close(w);
    }
  });
});

describe('extra or missing arguments to methods are refused before anything happens', () => {
  it('Popen, CompletedProcess and the errors, as CPython words it; the child is not signalled', () => {
    const m = (o: object, name: string) => loose((o as Record<string, (...a: unknown[]) => unknown>)[name]?.bind(o));
    const p = new subprocess.Popen(['sleep', '30']);
    let js: unknown[];
    let pyOut: unknown[];
    try {
      const cp = new subprocess.CompletedProcess(['x'], 0);
      [js, pyOut] = both(
        [
          ['p.poll(1)', () => m(p, 'poll')(1)],
          ['p.terminate(1)', () => m(p, 'terminate')(1)],
          ['p.kill(1)', () => m(p, 'kill')(1)],
          ['p.send_signal(15, 1)', () => m(p, 'send_signal')(15, 1)],
          ['p.send_signal()', () => m(p, 'send_signal')()],
          ['p.__exit__()', () => m(p, '__exit__')()],
          ['p.__exit__(None, None, None, 1)', () => m(p, '__exit__')(null, null, null, 1)],
          ['cp.check_returncode(1)', () => m(cp, 'check_returncode')(1)],
          [
            "subprocess.CalledProcessError(1, 'x').__str__(1)",
            () => m(new subprocess.CalledProcessError(1, 'x'), '__str__')(1),
          ],
          [
            "subprocess.TimeoutExpired('x', 1).__str__(1)",
            () => m(new subprocess.TimeoutExpired('x', 1), '__str__')(1),
          ],
        ],
        // The Python side kills and reaps its sleep at exit: left running, it
        // would hold python3's stdout open and make the test wait for it.
        "import atexit\np = subprocess.Popen(['sleep', '30'])\natexit.register(lambda: (p.kill(), p.wait()))\ncp = subprocess.CompletedProcess(['x'], 0)",
      );
      expect(p.poll()).toBe(null); // still running: none of the calls above signalled it
    } finally {
      p.kill();
      p.wait();
    }
    expect(js).toEqual(pyOut);
    expect((js[2] as unknown[]).slice(1, 3)).toEqual([
      'TypeError',
      'Popen.kill() takes 1 positional argument but 2 were given',
    ]);
  });
});

describe('Popen stdin/stdout/stderr and sizes take any int, as CPython', () => {
  it("a non-int without fileno() is CPython's AttributeError (as TypeError); a BigInt is an int", () => {
    const [js, pyOut] = both([
      ["subprocess.run(['true'], stdin='abc')", () => subprocess.run(['true'], { stdin: 'abc' as never })],
      ["subprocess.run(['true'], stdout=1.5)", () => subprocess.run(['true'], { stdout: 1.5 as never })],
      [
        "subprocess.run(['true'], bufsize=1, pipesize=65536).returncode",
        () => subprocess.run(['true'], { bufsize: 1n as never, pipesize: 65536n as never }).returncode,
      ],
      [
        "subprocess.run(['echo', 'hi'], stdout=-1).stdout",
        () => subprocess.run(['echo', 'hi'], { stdout: -1n as never }).stdout,
      ],
      [
        "subprocess.run(['true'], stdin=-3, stdout=1).returncode",
        () => subprocess.run(['true'], { stdin: -3n as never, stdout: 1n as never }).returncode,
      ],
    ]);
    expect(js).toEqual(pyOut);
  });
});
