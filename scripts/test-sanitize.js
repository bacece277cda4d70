// `npm run test:sanitize [-- vitest args]`: both addons built with
// AddressSanitizer and UndefinedBehaviorSanitizer, no recovery
// (scripts/gyp-flags.js), then the test suite. Node itself is not
// instrumented, so the ASan runtime is preloaded into every process the run
// starts (a test's children included). Every report goes to a file under
// build/sanitize/ instead of a stderr that a test may have captured, and the
// run fails if any file appears: it must report nothing. The normal addons
// are built again afterwards, whatever the outcome.
//
// The fork stress test is left out: GCC 12's ASan runtime (Debian 12's) does
// not intercept fork(), so it does not hold its allocator's locks across it
// as glibc's malloc does, and a child forked while another thread (the
// stress keeps a worker_thread and the thread pool allocating) was inside
// ASan's allocator can wait forever on that lock: 3 of 100 children hung
// here. The other fork tests run.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, root } from './nodes.js';

const logs = join(root, 'build', 'sanitize');
const run = (cmd, args, env = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: cleanEnv(env) });
const build = join(root, 'scripts', 'build.js');

rmSync(logs, { recursive: true, force: true });
mkdirSync(logs, { recursive: true });
const libasan = execFileSync('g++', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim();
// python3 (the reference the tests compare with) runs without the ASan
// runtime: CPython probes huge allocations on purpose, and ASan logs each
// failure. A python3 first on PATH drops LD_PRELOAD and runs the real one;
// its sitecustomize puts LD_PRELOAD back into os.environ, so that a node it
// starts (a test's pty helper) still gets the runtime, without which the
// sanitized addon cannot load.
const shims = join(logs, '..', 'sanitize-bin');
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
mkdirSync(join(shims, 'py'), { recursive: true });
writeFileSync(
  join(shims, 'python3'),
  `#!/bin/sh\nexport PIPEFORK_ASAN_PRELOAD="$LD_PRELOAD"\nunset LD_PRELOAD\n` +
    `export PYTHONPATH="${join(shims, 'py')}\${PYTHONPATH:+:$PYTHONPATH}"\nexec ${python} "$@"\n`,
);
chmodSync(join(shims, 'python3'), 0o755);
writeFileSync(
  join(shims, 'py', 'sitecustomize.py'),
  "import os\nif os.environ.get('PIPEFORK_ASAN_PRELOAD'):\n    os.environ['LD_PRELOAD'] = os.environ['PIPEFORK_ASAN_PRELOAD']\n",
);
let failed = false;
try {
  run(process.execPath, [build], { PIPEFORK_SANITIZE: '1' });
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  const env = {
    LD_PRELOAD: libasan,
    PATH: `${shims}:${process.env.PATH}`,
    // Node frees little at exit by design: leak reports would all be Node's.
    // allocator_may_return_null: python3 (the reference runs) asks for huge sizes on purpose and expects MemoryError.
    ASAN_OPTIONS: `detect_leaks=0:halt_on_error=1:allocator_may_return_null=1:log_path=${join(logs, 'asan')}`,
    UBSAN_OPTIONS: `halt_on_error=1:print_stacktrace=1:log_path=${join(logs, 'ubsan')}`,
    PIPEFORK_SANITIZE: '1',
  };
  try {
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    // test/subprocess/popen.workers.test.ts measures RSS growth against a
    // 1 MiB bound; ASan's quarantine and shadow memory move RSS on their own
    // (1056 KiB in CI), so it is not a measurement there.
    // The package test installs the packed tarball, whose prebuilt addons are not the sanitized
    // build: under the sanitizer it only costs time (60 s).
    const exclude = [
      'test/os/fork.stress.test.ts',
      'test/subprocess/popen.workers.test.ts',
      'test/package/package.test.ts',
    ];
    const args = exclude.flatMap((f) => ['--exclude', f]);
    run(process.execPath, [vitest, 'run', ...args, ...process.argv.slice(2)], env);
  } catch {
    failed = true;
  }
} finally {
  run(process.execPath, [build]);
}
const reports = readdirSync(logs);
for (const f of reports) {
  console.error(`---- ${f}`);
  console.error(readFileSync(join(logs, f), 'utf8'));
}
console.error(`pipefork: sanitizers reported ${reports.length} time(s)`);
process.exit(failed || reports.length > 0 ? 1 : 0);
