// `npm run demo`: runs every ported example beside its Python original and
// shows that each prints what the original prints (pids aside).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url)); // dist/examples
const sources = join(here, '..', '..', 'examples');

// The programs a user runs; the others (producer, consumer, client, server)
// are started by these.
const entries = ['tutorial1_pipe', 'tutorial2_fdopen', 'main', 'main2'];

/** Pids and timings differ run to run; everything else must match. */
function normalise(out: string): string {
  return out.replace(/\b(pid|PID|process)(\s*[=:]?\s*)\d+/g, '$1$2N');
}

let failed = 0;
for (const name of entries) {
  const py = join(sources, `${name}.py`);
  const js = join(here, `${name}.js`);
  if (!existsSync(py) || !existsSync(js)) {
    console.log(`== ${name}: missing (${existsSync(py) ? '' : `${name}.py `}${existsSync(js) ? '' : `${name}.js`})`);
    failed++;
    continue;
  }
  const opts = { encoding: 'utf8' as const, timeout: 60_000 };
  const p = spawnSync('python3', [py], { ...opts, cwd: sources });
  const n = spawnSync(process.execPath, [js], { ...opts, cwd: here });
  console.log(`== ${name} (TypeScript port)`);
  process.stdout.write(n.stdout + n.stderr);
  const same = n.status === 0 && p.status === 0 && normalise(n.stdout) === normalise(p.stdout);
  if (same) {
    console.log(`-- same output as python3 ${name}.py`);
  } else {
    failed++;
    console.log(`-- DIFFERS from python3 ${name}.py (exit ${p.status}):`);
    process.stdout.write(p.stdout + p.stderr);
  }
}
if (failed) {
  console.log(`${failed} example(s) failed`);
  process.exitCode = 1;
}
