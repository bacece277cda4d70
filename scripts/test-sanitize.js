// `npm run test:sanitize [-- vitest args]`: both addons built with
// AddressSanitizer and UndefinedBehaviorSanitizer, no recovery
// (scripts/gyp-flags.js), then the test suite. Node itself is not
// instrumented, so the ASan runtime is preloaded into every process the run
// starts (a test's children included). Every report goes to a file under
// build/sanitize/ instead of a stderr that a test may have captured, and the
// run fails if any file appears: it must report nothing. The normal addons
// are built again afterwards, whatever the outcome.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, root } from './nodes.js';

const logs = join(root, 'build', 'sanitize');
const run = (cmd, args, env = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: cleanEnv(env) });
const build = join(root, 'scripts', 'build.js');

rmSync(logs, { recursive: true, force: true });
mkdirSync(logs, { recursive: true });
const libasan = execFileSync('g++', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim();
let failed = false;
try {
  run(process.execPath, [build], { PIPEFORK_SANITIZE: '1' });
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  const env = {
    LD_PRELOAD: libasan,
    // Node frees little at exit by design: leak reports would all be Node's.
    ASAN_OPTIONS: `detect_leaks=0:halt_on_error=1:log_path=${join(logs, 'asan')}`,
    UBSAN_OPTIONS: `halt_on_error=1:print_stacktrace=1:log_path=${join(logs, 'ubsan')}`,
    PIPEFORK_SANITIZE: '1',
  };
  try {
    run(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)], env);
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
