// multiprocessing.Process (the fork start method) in this process, against
// CPython's fork context running the same steps: the life of a Process
// (initial, started, stopped, closed) as repr and the attributes show it,
// exit codes (normal, killed by a signal, sys.exit codes), and each misuse
// with CPython's exception and message. What a child prints and the exit
// of the parent are in process.program.test.ts.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { multiprocessing, os, sys } from '../../lib/index.js';
import { PIPEFORK } from '../helpers/program.js';
import { asPipefork } from '../helpers/python.js';
import { runBoth, type Step } from '../helpers/scenario.js';

const { Process, current_process, parent_process, active_children, get_start_method, cpu_count } = multiprocessing;
const { Pipe, wait } = multiprocessing.connection;
type Proc = InstanceType<typeof Process>;
const loose = (f: unknown) => f as (...a: unknown[]) => unknown;

const PY_PRELUDE = `
import os, sys, time, re
import multiprocessing as mp
from multiprocessing.connection import Pipe, wait
Process = mp.Process
def exitcode(t):
    p = Process(target=t)
    p.start()
    p.join()
    return p.exitcode
def norm(s):
    return re.sub(r'(Process-)\\d+', r'\\1N', re.sub(r'(pid|parent)=\\d+', r'\\1=P', s))
def block():
    r, w = os.pipe()
    os.read(r, 1)
`;

/** repr() with the numbers that differ between the two runs taken out. */
function norm(s: string): string {
  return s.replace(/(pid|parent)=\d+/g, '$1=P').replace(/(Process-)\d+/g, '$1N');
}

/** A target that blocks until it is signalled (reads a pipe nobody writes). */
function block(): void {
  const [r] = os.pipe();
  os.read(r, 1);
}

const started: Proc[] = [];
function compare(steps: Step[]): void {
  try {
    const { python, pipefork } = runBoth(steps, PY_PRELUDE);
    expect(pipefork).toEqual(python.map(asPipefork));
  } finally {
    for (const p of started.splice(0)) {
      if (p._closed) continue;
      if (p._popen !== null && p.exitcode === null) {
        p.kill();
        p.join();
      }
      p.close();
    }
  }
}
function track(p: Proc): Proc {
  started.push(p);
  return p;
}

describe('Process', () => {
  it('goes initial -> started -> stopped -> closed, as repr() and its attributes say', () => {
    let p: Proc;
    compare([
      {
        pySetup: 'p = Process(target=block)',
        py: '[norm(repr(p)), p.pid, p.exitcode, p.daemon, p.is_alive(), p.name.startswith("Process-")]',
        js: () => {
          p = track(new Process({ target: block }));
          return [norm(String(p)), p.pid, p.exitcode, p.daemon, p.is_alive(), p.name.startsWith('Process-')];
        },
      },
      { py: 'p.join()', js: () => p.join() },
      { py: 'p.sentinel', js: () => p.sentinel },
      { py: 'p.terminate()', js: () => p.terminate() },
      { py: 'p.kill()', js: () => p.kill() },
      { py: "setattr(p, 'name', 5)", js: () => Reflect.set(p, 'name', 5) },
      { py: "setattr(p, 'name', 'worker') or p.name", js: () => Reflect.set(p, 'name', 'worker') && p.name },
      {
        pySetup: 'p.start()',
        py: '[norm(repr(p)), p.pid == p.ident, p.pid > 0, p.exitcode, p.is_alive(), p in mp.active_children()]',
        js: () => {
          p.start();
          return [
            norm(String(p)),
            p.pid === p.ident,
            (p.pid as number) > 0,
            p.exitcode,
            p.is_alive(),
            active_children().includes(p),
          ];
        },
      },
      { py: 'p.start()', js: () => p.start() },
      { py: 'setattr(p, "daemon", True)', js: () => Reflect.set(p, 'daemon', true) },
      { py: 'p.close()', js: () => p.close() },
      { py: 'p.join(0.05)', js: () => p.join(0.05) },
      { py: 'p.join(0)', js: () => p.join(0) },
      { py: '[p.is_alive(), wait([p.sentinel], 0)]', js: () => [p.is_alive(), wait([p.sentinel], 0)] },
      { py: 'p.terminate()', js: () => p.terminate() },
      {
        py: '[p.join(5), p.exitcode, p.is_alive(), norm(repr(p)), p in mp.active_children(), wait([p.sentinel], 0) == [p.sentinel]]',
        js: () => [
          p.join(5) ?? null,
          p.exitcode,
          p.is_alive(),
          norm(String(p)),
          active_children().includes(p),
          wait([p.sentinel], 0)[0] === p.sentinel,
        ],
      },
      { py: 'p.terminate()', js: () => p.terminate() },
      {
        py: '[p.close(), p.close(), norm(repr(p)), p.name]',
        js: () => [p.close() ?? null, p.close() ?? null, norm(String(p)), p.name],
      },
      { py: 'p.is_alive()', js: () => p.is_alive() },
      { py: 'p.exitcode', js: () => p.exitcode },
      { py: 'p.pid', js: () => p.pid },
      { py: 'p.join()', js: () => p.join() },
      { py: 'p.start()', js: () => p.start() },
      { py: 'p.sentinel', js: () => p.sentinel },
      { py: 'p.terminate()', js: () => p.terminate() },
    ]);
  });

  it('exit codes: 0, sys.exit codes as CPython maps them, negative signal numbers, 1 for a raised error', () => {
    const codes = (targets: (() => void)[]): unknown[] =>
      targets.map((target) => {
        const p = track(new Process({ target }));
        p.start();
        p.join();
        return p.exitcode;
      });
    const silent = { pySetup: "sys.stderr = open(os.devnull, 'w')" };
    compare([
      {
        ...silent,
        py: `[exitcode(t) for t in [lambda: None, lambda: sys.exit(), lambda: sys.exit(None), lambda: sys.exit(5),
          lambda: sys.exit(True), lambda: sys.exit(256), lambda: sys.exit(-1),
          lambda: os.kill(os.getpid(), 9), lambda: os.kill(os.getpid(), 15), lambda: os._exit(42)]]`,
        js: () =>
          codes([
            () => undefined,
            () => sys.exit(),
            () => sys.exit(null),
            () => sys.exit(5),
            () => sys.exit(true),
            () => sys.exit(256),
            () => sys.exit(-1),
            () => os.kill(os.getpid(), 9),
            () => os.kill(os.getpid(), 15),
            () => os._exit(42),
          ]),
      },
    ]);
  });

  it('passes args and kwargs (a trailing keyword object) to the target; the child knows who it and its parent are', () => {
    compare([
      {
        pySetup: `
a, b = Pipe()
def report(conn, x, *rest, **kw):
    me, parent = mp.current_process(), mp.parent_process()
    conn.send([x, list(rest), kw, norm(repr(me)), me.name.startswith('Process-'), parent.name,
               parent.pid == os.getppid(), parent.is_alive(), mp.parent_process().ident == parent.pid])
q = Process(target=report, args=(b, 1, 'two'), kwargs={'k': [3]})
q.start()
got = a.recv()
q.join()`,
        py: 'got + [q.exitcode]',
        js: () => {
          const [a, b] = Pipe();
          const q = track(
            new Process({
              target: (conn: typeof b, x: number, ...rest: unknown[]) => {
                const kw = rest.pop();
                const me = current_process();
                const parent = parent_process() as NonNullable<ReturnType<typeof parent_process>>;
                conn.send([
                  x,
                  rest,
                  kw,
                  norm(String(me)),
                  me.name.startsWith('Process-'),
                  parent.name,
                  parent.pid === os.getppid(),
                  parent.is_alive(),
                  parent.ident === parent.pid,
                ]);
              },
              args: [b, 1, 'two'],
              kwargs: { k: [3] },
            }),
          );
          q.start();
          const got = a.recv() as unknown[];
          q.join();
          a.close();
          b.close();
          return [...got, q.exitcode];
        },
      },
    ]);
  });

  it('checks its arguments as BaseProcess.__init__ does', () => {
    compare([
      { py: 'Process(group=1)', js: () => new Process({ group: 1 as unknown as null }) },
      { py: 'Process(args=5)', js: () => new Process({ args: loose(5) as never }) },
      { py: 'Process(kwargs=5)', js: () => new Process({ kwargs: loose(5) as never }) },
      { py: 'Process(bogus=1)', js: () => new Process(loose({ bogus: 1 }) as never) },
      {
        py: 'Process(None, None, None, (), {}, 1)',
        js: () => Reflect.construct(Process, [null, null, null, [], {}, 1]),
      },
      {
        py: "[p.name, p.daemon] if (p := Process(None, None, 'named', (), {}, daemon=True)) else 0",
        js: () => {
          const p = new Process(null, null, 'named', [], {}, { daemon: true });
          return [p.name, p.daemon];
        },
      },
      { py: "Process(name='x', daemon=False).daemon", js: () => new Process({ name: 'x', daemon: false }).daemon },
    ]);
  });

  it('a daemon may not start children (AssertionError in the child: exit code 1)', () => {
    compare([
      {
        pySetup: `
sys.stderr = open(os.devnull, 'w')
d = Process(target=lambda: Process(target=lambda: None).start(), daemon=True)
d.start()
d.join()`,
        py: '[d.exitcode, d.daemon, norm(repr(d))]',
        js: () => {
          const d = track(
            new Process({
              target: () => {
                sys.stderr = { write: () => undefined }; // the child's own: keeps the test's output clean
                new Process({ target: () => undefined }).start();
              },
              daemon: true,
            }),
          );
          d.start();
          d.join();
          return [d.exitcode, d.daemon, norm(String(d))];
        },
      },
    ]);
  });
});

describe('the module', () => {
  it('current_process, parent_process, get_start_method, cpu_count, active_children in the main process', () => {
    compare([
      {
        py: '[repr(mp.current_process()), mp.parent_process(), mp.get_start_method(), mp.cpu_count(), mp.active_children(), len(mp.current_process().authkey)]',
        js: () => [
          String(current_process()),
          parent_process(),
          get_start_method(),
          cpu_count(),
          active_children(),
          current_process().authkey.length,
        ],
      },
    ]);
  });
});

describe('Process.start() that cannot fork', () => {
  it("raises os.fork()'s error and leaves no fd behind (here: in a worker_thread)", async () => {
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       import(${JSON.stringify(PIPEFORK)}).then(({ multiprocessing }) => {
         const p = new multiprocessing.Process({ target: () => undefined });
         try { p.start(); parentPort.postMessage('started'); } catch (e) { parentPort.postMessage(e.message); }
         parentPort.postMessage(String(p));
       });`,
      { eval: true },
    );
    const messages: string[] = [];
    worker.on('message', (m: string) => messages.push(m));
    await new Promise((res) => worker.once('exit', res));
    expect(messages[0]).toMatch(/only be called on Node's main thread/);
    expect(messages[1]).toMatch(/^<Process name='Process-\d+' parent=\d+ initial>$/);
  });
});
