// Node release lines for building and testing: the running Node when it is
// the one asked for and has its headers beside it, else the `node-linux-<arch>`
// package of that line from the npm registry (binary and headers), installed
// once into build/nodes/. CI has no other Node installed and cannot reach
// nodejs.org's header downloads, so this is where every line's headers and
// binary come from.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Node majors pipefork supports and os.fork() is validated on (package.json "pipefork.nodeMajors"). */
export const nodeMajors = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).pipefork.nodeMajors;

/** process.env without npm's per-run settings (a script run by npm inherits npm_config_nodedir and the like). */
export function cleanEnv(extra = {}) {
  const keep = new Set(['npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_cache', 'npm_config_registry']);
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !keep.has(k.toLowerCase())) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function moduleVersion(nodedir) {
  const h = readFileSync(join(nodedir, 'include', 'node', 'node_version.h'), 'utf8');
  const m = /#define NODE_MODULE_VERSION (\d+)/.exec(h);
  if (!m) throw new Error(`no NODE_MODULE_VERSION in ${nodedir}/include/node/node_version.h`);
  return Number(m[1]);
}

/**
 * { major, arch, version, abi, nodedir, bin } for a Node line. `nodedir` is
 * what node-gyp's --nodedir takes (it holds include/node); `bin` is the
 * node binary (for another arch it runs only under emulation).
 */
export function nodeLine(major, arch = process.arch) {
  major = Number(major);
  if (!nodeMajors.includes(major))
    console.warn(`pipefork: Node ${major} is not among the supported lines ${nodeMajors}`);
  const current = Number(process.versions.node.split('.')[0]);
  const prefix = dirname(dirname(realpathSync(process.execPath)));
  if (major === current && arch === process.arch && existsSync(join(prefix, 'include', 'node', 'node.h'))) {
    return {
      major,
      arch,
      version: process.versions.node,
      abi: Number(process.versions.modules),
      nodedir: prefix,
      bin: process.execPath,
    };
  }
  const name = `node-linux-${arch}`;
  const cache = join(root, 'build', 'nodes', `linux-${arch}-${major}`);
  const dir = join(cache, 'node_modules', name);
  if (!existsSync(join(dir, 'include', 'node', 'node_version.h'))) {
    console.error(`pipefork: installing ${name}@${major} from the npm registry into ${cache}`);
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        cache,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        // --force: npm refuses a package whose "cpu" is not the host's, even with --cpu.
        ...(arch === process.arch ? [] : ['--force']),
        '--loglevel=error',
        `${name}@${major}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], env: cleanEnv() },
    );
  }
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  return { major, arch, version, abi: moduleVersion(dir), nodedir: dir, bin: join(dir, 'bin', 'node') };
}

// `node scripts/nodes.js 22 [arch]` prints the line as JSON (installing it if needed).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(nodeLine(process.argv[2] ?? process.versions.node.split('.')[0], process.argv[3])));
}
