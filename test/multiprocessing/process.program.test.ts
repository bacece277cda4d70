// multiprocessing.Process in whole programs, run the same way in CPython and
// in Node: what reaches stdout and stderr and in what order (the streams are
// flushed before the fork and at the child's end), what a failing target
// prints, and what happens at the parent's exit (daemons terminated, other
// children waited for).
import { describe, expect, it } from 'vitest';
import { runNode, runPython } from '../helpers/program.js';

describe('Process in a program', () => {
  it("output order: the parent's buffered output is flushed before the fork, the child's before it exits", () => {
    const py = runPython(`
import multiprocessing as mp
print('before')
p = mp.Process(target=print, args=('child',))
p.start(); p.join()
print('after', p.exitcode)
`);
    const node = runNode(`
import { builtins, multiprocessing as mp } from 'PIPEFORK';
const { print } = builtins;
print('before');
const p = new mp.Process({ target: print, args: ['child'] });
p.start(); p.join();
print('after', p.exitcode);
`);
    expect(py).toEqual({ stdout: 'before\nchild\nafter 0\n', stderr: '', status: 0 });
    expect(node).toEqual(py);
  });

  it('a target that raises: "Process <name>:" and the error on stderr, exit code 1', () => {
    const py = runPython(`
import multiprocessing as mp
def boom():
    raise ValueError('boom')
p = mp.Process(target=boom)
p.start(); p.join()
print(p.exitcode)
`);
    const node = runNode(`
import { ValueError, multiprocessing as mp } from 'PIPEFORK';
const p = new mp.Process({ target: () => { throw new ValueError('boom'); } });
p.start(); p.join();
console.log(p.exitcode);
`);
    for (const r of [py, node]) {
      expect(r.stdout).toBe('1\n');
      expect(r.stderr.split('\n')[0]).toBe('Process Process-1:');
      expect(r.stderr).toMatch(/ValueError: boom/);
      expect(r.status).toBe(0);
    }
  });

  it("sys.exit('message') in the target: the message on stderr, exit code 1", () => {
    const py = runPython(`
import multiprocessing as mp, sys
p = mp.Process(target=sys.exit, args=('bye now',))
p.start(); p.join()
print(p.exitcode)
`);
    const node = runNode(`
import { multiprocessing as mp, sys } from 'PIPEFORK';
const p = new mp.Process({ target: sys.exit, args: ['bye now'] });
p.start(); p.join();
console.log(p.exitcode);
`);
    expect(py).toEqual({ stdout: '1\n', stderr: 'bye now\n', status: 0 });
    expect(node).toEqual(py);
  });

  it('at exit: a daemon child is terminated, another child is waited for', () => {
    const py = runPython(`
import multiprocessing as mp, os, time
def work():
    time.sleep(0.3)
    print('worker done', flush=True)
d = mp.Process(target=time.sleep, args=(60,), daemon=True)
d.start()
w = mp.Process(target=work)
w.start()
print('daemon', d.pid, flush=True)
`);
    const node = runNode(`
import { builtins, multiprocessing as mp, os } from 'PIPEFORK';
const sleep = (s) => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, s * 1000); };
const d = new mp.Process({ target: sleep, args: [60], daemon: true });
d.start();
const w = new mp.Process({ target: () => { sleep(0.3); builtins.print('worker done'); } });
w.start();
console.log('daemon', d.pid);
`);
    for (const r of [py, node]) {
      const [first, second] = r.stdout.trim().split('\n');
      expect(first).toMatch(/^daemon \d+$/);
      expect(second).toBe('worker done');
      expect([r.stderr, r.status]).toEqual(['', 0]);
      // Terminated and reaped: no such process any more.
      const pid = Number((first as string).split(' ')[1]);
      expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    }
  });

  it("the child reads sys.stdin from /dev/null, not the parent's input", () => {
    const py = runPython(
      `
import multiprocessing as mp, sys
p = mp.Process(target=lambda: print(repr(sys.stdin.read())))
p.start(); p.join()
print(repr(sys.stdin.read()))
`,
      { input: 'for the parent' },
    );
    const node = runNode(
      `
import { builtins, multiprocessing as mp, sys } from 'PIPEFORK';
const p = new mp.Process({ target: () => builtins.print(builtins.repr(sys.stdin.read())) });
p.start(); p.join();
builtins.print(builtins.repr(sys.stdin.read()));
`,
      { input: 'for the parent' },
    );
    expect(py).toEqual({ stdout: "''\n'for the parent'\n", stderr: '', status: 0 });
    expect(node).toEqual(py);
  });

  it("a grandchild is named after its parent's identity: Process-1:1", () => {
    const py = runPython(`
import multiprocessing as mp
def grand():
    print(mp.current_process().name, mp.parent_process().name, flush=True)
def child():
    g = mp.Process(target=grand)
    g.start(); g.join()
    print(mp.current_process().name, g.name, g.exitcode, flush=True)
p = mp.Process(target=child)
p.start(); p.join()
`);
    const node = runNode(`
import { builtins, multiprocessing as mp } from 'PIPEFORK';
const { print } = builtins;
const grand = () => print(mp.current_process().name, mp.parent_process().name);
const child = () => {
  const g = new mp.Process({ target: grand });
  g.start(); g.join();
  print(mp.current_process().name, g.name, g.exitcode);
};
const p = new mp.Process({ target: child });
p.start(); p.join();
`);
    expect(py).toEqual({ stdout: 'Process-1:1 Process-1\nProcess-1 Process-1:1 0\n', stderr: '', status: 0 });
    expect(node).toEqual(py);
  });

  it('Node only: process.exit(n) in the target exits n; a target returning a Promise is an error (exit code 1)', () => {
    const node = runNode(`
import { multiprocessing as mp } from 'PIPEFORK';
const p = new mp.Process({ target: () => process.exit(3) });
p.start(); p.join();
const q = new mp.Process({ target: async () => 1 });
q.start(); q.join();
console.log(p.exitcode, q.exitcode);
`);
    expect(node.stdout).toBe('3 1\n');
    expect(node.stderr).toMatch(/^Process Process-2:\nTypeError: the process target returned a Promise/);
  });
});
