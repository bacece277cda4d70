// `npm run demo`: runs each program beside its Python original and shows
// that the port prints what the original prints.
//
// First the tutorial's programs exactly as written (examples/*.py, run as
// `python3 main.py` from examples/, so `-m consumer` finds consumer.py) and
// their ports (dist/examples/*.js, run from there, so `consumer.js` is
// found); then the project's own examples (examples/project/).
//
// Pids differ from run to run and are masked. The order of lines written by
// different processes is not fixed either (each child prints when it exits,
// CPython and pipefork alike flush a pipe's buffer at exit), so a port
// matches when it prints the same lines, pids masked, with the same exit
// status and nothing on stderr.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url)); // dist/examples
const sources = join(here, '..', '..', 'examples');

// The programs a user runs; the others (producer, consumer, client, server)
// are started by these.
const entries = [
  'pipe_hello',
  'fdopen_hello',
  'main',
  'main2',
  'project/pipe_roundtrip',
  'project/fdopen_roundtrip',
  'project/stream_main',
  'project/rpc_main',
  'project/mp_parent',
  'project/mp_process',
];

/** Pids masked: 'pid:  4242', 'pid(proc1):  4243', 'pid[4242]', '[4242]hello'. */
function mask(out: string): string {
  return out.replace(/(pid(?:\(proc\d+\))?:\s+)\d+/g, '$1N').replace(/\[\d+\]/g, '[N]');
}

/** The masked lines, sorted: what two runs of a multi-process program have in common. */
function lines(out: string): string {
  return mask(out).split('\n').sort().join('\n');
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
  // Both with the default buffering: under PYTHONUNBUFFERED (which
  // pipefork's sys.stdout obeys too) print()'s pieces from two processes
  // could interleave within a line.
  const env = { ...process.env };
  delete env.PYTHONUNBUFFERED;
  const opts = { encoding: 'utf8' as const, timeout: 60_000, env };
  const p = spawnSync('python3', [py], { ...opts, cwd: dirname(py) });
  const n = spawnSync(process.execPath, [js], { ...opts, cwd: dirname(js) });
  console.log(`== ${name}.py, ported to TypeScript: node ${name}.js`);
  process.stdout.write(n.stdout + n.stderr);
  const same = n.status === 0 && p.status === 0 && n.stderr === '' && lines(n.stdout) === lines(p.stdout);
  if (same) {
    console.log(`-- port matched: the same output as python3 ${name}.py (pids masked)`);
  } else {
    failed++;
    console.log(`-- port DIFFERS from python3 ${name}.py (exit ${p.status} / ${n.status}); python3 printed:`);
    process.stdout.write(p.stdout + p.stderr);
  }
}
if (failed) {
  console.log(`${failed} example(s) failed`);
  process.exitCode = 1;
} else {
  console.log(`all ${entries.length} ports matched`);
}
