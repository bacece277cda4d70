// Builds pipefork's two addons with node-gyp against a given Node line's
// headers (scripts/nodes.js), natively or cross-compiled for linux-arm64.
//
//   node scripts/build.js [--napi] [--fork] [--node 22] [--arch arm64]
//     the Node-API addon into build/Release (where node-gyp-build looks
//     first), and/or the fork addon into
//     native/fork/prebuilds/linux-<arch>/node.abi<N>.node;
//   node scripts/build.js --prebuilds [--arch x64,arm64] [--node 20,22]
//     what `npm pack` ships: prebuilds/linux-<arch>/node.napi.node once per
//     platform, and the fork addon once per supported Node line (default:
//     package.json "pipefork.nodeMajors"), stripped. --arch defaults to the
//     host plus arm64 when the aarch64 cross compiler is installed.
//
// The fork addon uses node.h and v8.h, which are not ABI-stable: each build
// is tagged with the NODE_MODULE_VERSION of the headers it was built against,
// and lib/fork.ts loads only the file whose tag is the running Node's.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv, nodeLine, nodeMajors, root } from './nodes.js';

const require = createRequire(import.meta.url);
const forkDir = join(root, 'native', 'fork');

/** Debian's cross toolchain for a target arch, when the host is not that arch. */
const CROSS = { arm64: 'aarch64-linux-gnu', x64: 'x86_64-linux-gnu' };

function has(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function canBuild(arch) {
  return arch === process.arch || has(`${CROSS[arch]}-g++`);
}

function toolchainEnv(arch) {
  if (arch === process.arch) return {};
  const t = CROSS[arch];
  if (!t || !has(`${t}-g++`)) {
    throw new Error(`no ${arch} cross compiler (${t}-g++): apt-get install g++-${t.replaceAll('_', '-')}`);
  }
  return { CC: `${t}-gcc`, CXX: `${t}-g++`, LINK: `${t}-g++`, AR: `${t}-ar`, STRIP: `${t}-strip` };
}

/** node-gyp configure + build in `dir` against `line`'s headers; returns the built .node file. */
function gyp(dir, line, target) {
  // Not `node-gyp rebuild`: its clean step deletes the whole build/ folder,
  // where the Node lines are cached. Removing build/Release drops every
  // object file, so nothing built against other headers survives.
  rmSync(join(dir, 'build', 'Release'), { recursive: true, force: true });
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
  const args = [`--nodedir=${line.nodedir}`, `--arch=${line.arch}`, `--target=${line.version}`, '--loglevel=warn'];
  const env = cleanEnv(toolchainEnv(line.arch));
  for (const step of ['configure', 'build']) {
    execFileSync(process.execPath, [nodeGyp, step, ...args], { cwd: dir, stdio: 'inherit', env });
  }
  return join(dir, 'build', 'Release', `${target}.node`);
}

function strip(file, arch) {
  const bin = arch === process.arch ? 'strip' : `${CROSS[arch]}-strip`;
  execFileSync(bin, ['--strip-all', file]);
}

function place(from, to, stripIt, arch) {
  mkdirSync(join(to, '..'), { recursive: true });
  copyFileSync(from, to);
  if (stripIt) strip(to, arch);
  console.error(`pipefork: built ${to.slice(root.length + 1)}`);
}

export function buildNapi(line, { prebuild = false } = {}) {
  const out = gyp(root, line, 'pipefork');
  if (prebuild) place(out, join(root, 'prebuilds', `linux-${line.arch}`, 'node.napi.node'), true, line.arch);
  // node-gyp-build loads build/Release before prebuilds/: never leave another arch's binary there.
  if (line.arch !== process.arch) rmSync(join(root, 'build', 'Release'), { recursive: true, force: true });
}

export function buildFork(line, { prebuild = false } = {}) {
  const out = gyp(forkDir, line, 'pipefork_fork');
  place(out, join(forkDir, 'prebuilds', `linux-${line.arch}`, `node.abi${line.abi}.node`), prebuild, line.arch);
  rmSync(join(forkDir, 'build', 'Release'), { recursive: true, force: true });
}

function option(name) {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

function main() {
  if (process.platform !== 'linux') {
    // macOS: the Node-API addon only (os.fork() is Linux-only).
    execFileSync('npx', ['node-gyp', 'rebuild', '--loglevel=warn'], { cwd: root, stdio: 'inherit' });
    return;
  }
  const current = process.versions.node.split('.')[0];
  if (process.argv.includes('--prebuilds')) {
    const archs =
      (option('--arch') ?? process.env.PIPEFORK_PREBUILD_ARCHS)?.split(',') ??
      ['x64', 'arm64'].filter((a) => a === process.arch || canBuild(a));
    const majors = (option('--node') ?? process.env.PIPEFORK_PREBUILD_NODES)?.split(',').map(Number) ?? nodeMajors;
    for (const arch of archs) {
      rmSync(join(root, 'prebuilds', `linux-${arch}`), { recursive: true, force: true });
      rmSync(join(forkDir, 'prebuilds', `linux-${arch}`), { recursive: true, force: true });
      const lines = majors.map((m) => nodeLine(m, arch));
      // Node-API is ABI-stable: one binary for every line, built against the oldest.
      buildNapi(lines[0], { prebuild: true });
      for (const line of lines) buildFork(line, { prebuild: true });
    }
    if (!archs.includes('arm64') && !canBuild('arm64'))
      console.warn('pipefork: no linux-arm64 prebuilds (no aarch64 cross compiler)');
    return;
  }
  const line = nodeLine(option('--node') ?? current, option('--arch') ?? process.arch);
  const napi = process.argv.includes('--napi');
  const fork = process.argv.includes('--fork');
  if (napi || !fork) buildNapi(line);
  if (fork || !napi) buildFork(line);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
