// Popen in worker_threads.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('Popen in worker_threads', () => {
  it("a Worker's child stack is freed with it (issue 10: 128 KiB leaked per Worker)", () => {
    const fixture = fileURLToPath(new URL('../fixtures/worker-popen.mjs', import.meta.url));
    const run = (mode: string) => {
      const r = spawnSync(process.execPath, [fixture, '40', mode], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as { grewKiB: number; stacks: number };
    };
    const plain = run('plain');
    const popen = run('popen');
    // Every stack was unmapped with its Worker's environment...
    expect(popen.stacks).toBe(0);
    // ...and the process grew no more than with Workers that never spawned
    // (40 leaked stacks would be 5120 KiB more).
    expect(popen.grewKiB - plain.grewKiB).toBeLessThan(1024);
  }, 60_000);
});
