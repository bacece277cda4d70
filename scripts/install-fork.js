// npm install / npm rebuild: after node-gyp-build has found or built the
// Node-API addon, make sure the os.fork() addon exists for this Node: the
// package ships one per supported Node line (native/fork/prebuilds/, tagged
// with the NODE_MODULE_VERSION), and any other Node gets one built here with
// node-gyp, under the same name. It needs Node's C++ headers and Linux;
// where it cannot be built, pipefork still installs and only os.fork() is
// unavailable (it says why when called).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'native', 'fork');
const target = join(
  dir,
  'prebuilds',
  `${process.platform}-${process.arch}`,
  `node.abi${process.versions.modules}.node`,
);

if (process.platform === 'linux' && !existsSync(target)) {
  // npm runs install scripts with npm_config_node_gyp pointing at its own node-gyp.
  const gyp = process.env.npm_config_node_gyp;
  const [cmd, args] = gyp ? [process.execPath, [gyp]] : ['node-gyp', []];
  try {
    execFileSync(cmd, [...args, 'rebuild'], { cwd: dir, stdio: 'inherit' });
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(dir, 'build', 'Release', 'pipefork_fork.node'), target);
    rmSync(join(dir, 'build'), { recursive: true, force: true });
  } catch {
    console.warn(
      'pipefork: could not build the os.fork() addon for this Node; everything else works (docs/install.md)',
    );
  }
}
