// Children of garbage-collected Popen objects are reaped, as CPython's _cleanup().
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('children of garbage-collected Popen objects', () => {
  it("are reaped by the next Popen, as CPython's _cleanup() does (run in a node with --expose-gc)", () => {
    const dist = fileURLToPath(new URL('../../dist/lib/index.js', import.meta.url));
    const script = `
      import { subprocess } from ${JSON.stringify(dist)};
      import { readdirSync, readFileSync } from 'node:fs';
      const zombies = () => readdirSync('/proc').filter((n) => /^\\d+$/.test(n)).filter((n) => {
        try { const s = readFileSync('/proc/' + n + '/stat', 'latin1'); const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
              return f[0] === 'Z' && Number(f[1]) === process.pid; } catch { return false; } }).length;
      (() => { for (let i = 0; i < 5; i++) new subprocess.Popen(['true']); })();
      await new Promise((r) => setTimeout(r, 200));
      const before = zombies();
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 50)); // FinalizationRegistry callbacks run as tasks
      new subprocess.Popen(['true']).wait();
      console.log(JSON.stringify({ before, after: zombies() }));`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ before: 5, after: 0 });
  });
});
