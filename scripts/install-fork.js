// npm install / npm rebuild: after node-gyp-build has made the Node-API addon,
// make the os.fork() addon (native/fork) the same way: load a prebuilt or
// built binary if one matches this Node, else build it. It needs Node's C++
// headers and Linux; where it cannot be built, pipefork still installs and
// only os.fork() is unavailable (it says why when called).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.platform === 'linux') {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'native', 'fork');
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve('node-gyp-build/package.json')), 'bin.js');
  try {
    execFileSync(process.execPath, [bin], { cwd: dir, stdio: 'inherit' });
  } catch {
    console.warn('pipefork: could not build the os.fork() addon; everything else works (see docs/fork.md)');
  }
}
