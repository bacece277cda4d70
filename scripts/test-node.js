// `npm run test:node -- 22 [--stress] [vitest args]`: the test suite on another
// Node line. Installs node-linux-<arch>@22 from the npm registry into
// build/nodes/ (scripts/nodes.js) unless the running Node is that line,
// builds both addons against its headers (the fork addon as
// native/fork/prebuilds/linux-<arch>/node.abi<N>.node, which only that line
// loads), compiles the TypeScript, and runs vitest with that node, first on
// PATH so that every `node` a test starts is that line too. --stress also
// runs the full os.fork() stress (500 forks) after the suite.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { cleanEnv, nodeLine, root } from './nodes.js';

const [major, ...rest] = process.argv.slice(2);
if (!major || !/^\d+$/.test(major)) {
  console.error('usage: npm run test:node -- <node major> [--stress] [vitest args]');
  process.exit(2);
}
const stress = rest.includes('--stress');
const args = rest.filter((a) => a !== '--stress');
const line = nodeLine(major);
const run = (cmd, argv, env = {}) =>
  execFileSync(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...cleanEnv(), ...env } });

console.error(`pipefork: testing on Node ${line.version} (NODE_MODULE_VERSION ${line.abi}), ${line.bin}`);
run(process.execPath, [join(root, 'scripts', 'build.js'), '--node', major]);
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
const env = { PATH: `${dirname(line.bin)}:${process.env.PATH}` };
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
let failed = false;
try {
  run(line.bin, [vitest, 'run', ...args], env);
} catch {
  failed = true;
}
if (stress) {
  try {
    const json = process.env.PIPEFORK_VITEST_JSON?.replace(/\.json$/, '-stress.json');
    run(line.bin, [vitest, 'run', 'test/os/fork.stress.test.ts'], {
      ...env,
      PIPEFORK_FULL_STRESS: '1',
      ...(json ? { PIPEFORK_VITEST_JSON: json } : {}),
    });
  } catch {
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
