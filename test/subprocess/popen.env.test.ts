// What Popen and os.execve take as env: a plain object or Map, and what a
// Node program or a port has at hand, process.env and os.environ.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { os, subprocess } from '../../lib/index.js';

const dist = fileURLToPath(new URL('../../dist/lib/index.js', import.meta.url));
const show = ['sh', '-c', 'printf "%s|%s" "$HOME" "$PIPEFORK_ENV_TEST"'];

describe('Popen env', () => {
  it('takes process.env, os.environ and os.environb as the mapping (CPython: env=os.environ)', () => {
    process.env.PIPEFORK_ENV_TEST = 'yes';
    try {
      const want = `${process.env.HOME}|yes`;
      expect(subprocess.check_output(show, { env: process.env }).toString()).toBe(want);
      expect(subprocess.check_output(show, { env: os.environ }).toString()).toBe(want);
      expect(subprocess.check_output(show, { env: os.environb }).toString()).toBe(want);
      // A copy with a change, as a port writes {**os.environ, 'X': '1'}.
      expect(subprocess.check_output(show, { env: { ...process.env, PIPEFORK_ENV_TEST: 'no' } }).toString()).toBe(
        `${process.env.HOME}|no`,
      );
      // The PATH search looks in it too.
      expect(subprocess.check_output(['sh', '-c', 'echo ok'], { env: process.env }).toString()).toBe('ok\n');
    } finally {
      delete process.env.PIPEFORK_ENV_TEST;
    }
  });

  it('os.execve and os.execvpe take process.env and os.environ (in a throwaway node child)', () => {
    for (const env of ['process.env', 'os.environ']) {
      const r = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { os } from ${JSON.stringify(dist)};\nprocess.env.PIPEFORK_ENV_TEST = 'child';\nos.execvpe('sh', ${JSON.stringify(show)}, ${env});`,
        ],
        { encoding: 'utf8', timeout: 10_000 },
      );
      expect(r.stdout, env).toBe(`${process.env.HOME}|child`);
    }
  });
});
