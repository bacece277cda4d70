// `npm run bench:node -- 22 [fork|os|io|process]`: `npm run bench` with
// another Node line's node (scripts/nodes.js installs it into build/nodes/),
// after building both addons against its headers. Figures always name the
// Node that made them (bench/*.ts print process.version).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { cleanEnv, nodeLine, root } from './nodes.js';

const [major, ...only] = process.argv.slice(2);
if (!major || !/^\d+$/.test(major)) {
  console.error('usage: npm run bench:node -- <node major> [benchmark ...]');
  process.exit(2);
}
const line = nodeLine(major);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: cleanEnv() });
run(process.execPath, [join(root, 'scripts', 'build.js'), '--node', major]);
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
run(line.bin, [join(root, 'dist', 'bench', 'run.js'), ...only]);
