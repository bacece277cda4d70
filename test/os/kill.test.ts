// os.kill, killpg, getpgid, setsid and pidfd_open.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { os, ProcessLookupError, signal, subprocess, ValueError } from '../../lib/index.js';
import { outcome, pythonJson } from '../helpers/python.js';

const sh = (script: string) => new subprocess.Popen(['/bin/sh', '-c', script]);

describe('os.kill, killpg, getpgid, setsid, pidfd_open', () => {
  it('kill with signal 0 probes; a dead pid is ProcessLookupError', () => {
    const p = sh('exit 0');
    os.kill(p.pid, 0);
    p.wait();
    expect(() => os.kill(p.pid, 0)).toThrow(ProcessLookupError);
    expect(() => os.kill(p.pid, signal.Signals.SIGTERM)).toThrow(ProcessLookupError);
  });

  it('killpg signals a whole new session', () => {
    const p = new subprocess.Popen(['sleep', '30'], { start_new_session: true });
    expect(os.getpgid(p.pid)).toBe(p.pid);
    os.killpg(p.pid, signal.SIGTERM);
    expect(p.wait()).toBe(-signal.SIGTERM);
  });

  it('setsid makes a new session (in a throwaway node child), and fails again as CPython does', () => {
    const script = `
      import { os } from ${JSON.stringify(new URL('../../lib/index.ts', import.meta.url).pathname.replace(/\.ts$/, '.js').replace('/lib/', '/dist/lib/'))};
      os.setsid();
      let again = 'ok';
      try { os.setsid(); } catch (e) { again = e.constructor.name + ': ' + e.message; }
      console.log(JSON.stringify({ pgrp: os.getpgrp(), pid: os.getpid(), again }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.pgrp).toBe(out.pid);
    expect(out.again).toBe('PermissionError: [Errno 1] Operation not permitted');
    expect(os.getpgrp()).toBe(os.getpgid(0));
  });

  it('pidfd_open gives a non-inheritable fd that polls readable when the child ends', () => {
    const p = new subprocess.Popen(['sleep', '0.1']);
    const fd = os.pidfd_open(p.pid);
    expect(os.get_inheritable(fd)).toBe(false);
    os.close(fd);
    p.wait();
    expect(() => os.pidfd_open(p.pid)).toThrow(ProcessLookupError);
    expect(outcome(() => os.pidfd_open(os.getpid(), -1))).toEqual([
      'raise',
      'ValueError',
      'value must be positive',
      null,
    ]);
  });

  it('signal.Signals mirrors the enum', () => {
    expect(signal.Signals(9).repr()).toBe('<Signals.SIGKILL: 9>');
    expect(String(signal.Signals(15))).toBe('15'); // str() of a 3.11 IntEnum member
    expect(signal.Signals.SIGINT?.value).toBe(2);
    expect(signal.Signals(6).name).toBe('SIGABRT');
    expect(() => signal.Signals(99)).toThrow(new ValueError('99 is not a valid Signals'));
    const py = pythonJson<Record<string, number>>(
      'import signal, json; print(json.dumps({k: getattr(signal, k) for k in dir(signal) if k.startswith("SIG") and not k.startswith("SIG_")}))',
    );
    for (const [name, value] of Object.entries(py))
      expect([name, (signal as unknown as Record<string, number>)[name]]).toEqual([name, value]);
  });
});
