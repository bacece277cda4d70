// The package as users get it. A copy of the working tree (what git would
// commit) is packed with `npm pack` under a clean npm config: no nodedir, no
// npm settings inherited from the run that started the test, so the
// prepack step must find every Node line's headers itself
// (scripts/nodes.js). The tarball is installed into a fresh project with
// npm's defaults, which do not run a dependency's install scripts (npm 11
// asks for `npm install-scripts approve`), and a pipe, a Popen and an
// os.fork() must work there on each Node line, from the prebuilt binaries
// alone.
//
// `npm test` packs and checks the running Node's line only (a pack for every
// line takes minutes); `npm run test:package` (PIPEFORK_PACKAGE_LINES=all,
// run by .ci/run) packs for every supported line, and linux-arm64 when the
// aarch64 cross compiler is installed, and runs the smoke program on each,
// arm64 under qemu-user.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS build script, no types
import { canBuild } from '../../scripts/build.js';
// @ts-expect-error: a plain JS build script, no types
import { cleanEnv, nodeLine, nodeMajors } from '../../scripts/nodes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'pipefork-pack-'));
const pkg = join(tmp, 'pkg');
const app = join(tmp, 'app');
const npmrc = join(tmp, 'empty-npmrc');
const ALL = process.env.PIPEFORK_PACKAGE_LINES === 'all';
const current = Number(process.versions.node.split('.')[0]);
const majors: number[] = ALL ? nodeMajors : [current];
const QEMU = '/usr/bin/qemu-aarch64';
const arm64 = ALL && process.arch === 'x64' && canBuild('arm64') && existsSync(QEMU);
let tarball = '';

/** Only what a user's machine would have: no npm_* variables, an empty user npmrc. */
const env = (): NodeJS.ProcessEnv => cleanEnv({ npm_config_userconfig: npmrc }) as NodeJS.ProcessEnv;

const smoke = `
import { os, subprocess } from 'pipefork';
const [r, w] = os.pipe();
os.write(w, Buffer.from('pipe ok'));
const pipe = os.read(r, 7).toString();
os.close(r);
os.close(w);
const p = new subprocess.Popen(['echo', 'popen ok'], { stdout: subprocess.PIPE });
const popen = String(p.communicate()[0]).trim();
const [fr, fw] = os.pipe();
const pid = os.fork();
if (pid === 0) {
  os.write(fw, Buffer.from('fork ok ' + (process.pid === os.getpid())));
  os._exit(7);
}
os.close(fw);
const fork = os.read(fr, 100).toString();
os.close(fr);
const status = os.waitpid(pid, 0)[1];
console.log(JSON.stringify({ arch: process.arch, version: process.version, pipe, popen, fork, exit: os.WEXITSTATUS(status) }));
`;

function runSmoke(cmd: string, args: string[]): Record<string, unknown> {
  const out = execFileSync(cmd, [...args, join(app, 'smoke.mjs')], {
    cwd: app,
    encoding: 'utf8',
    env: env(),
    timeout: 120_000,
  });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

beforeAll(() => {
  writeFileSync(npmrc, '');
  // A clean copy of the working tree (what git would commit), sharing node_modules
  // (the devDependencies prepack needs) and the Node lines cached in build/nodes.
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && existsSync(join(root, f)));
  for (const f of files) {
    mkdirSync(dirname(join(pkg, f)), { recursive: true });
    copyFileSync(join(root, f), join(pkg, f));
  }
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
  if (existsSync(join(root, 'build', 'nodes'))) {
    mkdirSync(join(pkg, 'build'));
    symlinkSync(join(root, 'build', 'nodes'), join(pkg, 'build', 'nodes'));
  }
  expect(execFileSync('npm', ['config', 'get', 'nodedir'], { cwd: pkg, env: env(), encoding: 'utf8' }).trim()).toMatch(
    /^(undefined|null|)$/,
  );
  const packEnv = {
    ...env(),
    PIPEFORK_PREBUILD_NODES: majors.join(','),
    ...(ALL ? {} : { PIPEFORK_PREBUILD_ARCHS: process.arch }),
  };
  const out = execFileSync('npm', ['pack', '--pack-destination', tmp, '--silent'], {
    cwd: pkg,
    encoding: 'utf8',
    env: packEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  tarball = join(tmp, out.trim().split('\n').pop() as string);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(join(app, 'smoke.mjs'), smoke);
  execFileSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: app,
    env: env(),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}, 900_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the published package', () => {
  it('carries the Node-API addon once per platform and the fork addon once per Node line, tagged', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    const archs = [process.arch, ...(arm64 ? ['arm64'] : [])];
    for (const arch of archs) {
      expect(listing).toContain(`package/prebuilds/linux-${arch}/node.napi.node`);
      for (const m of majors) {
        const { abi } = nodeLine(m, arch);
        expect(listing).toContain(`package/native/fork/prebuilds/linux-${arch}/node.abi${abi}.node`);
      }
    }
    // Nothing untagged that any Node would pick up, no build output, no source maps.
    expect(listing.filter((f) => /\.node$/.test(f) && !/node\.(napi|abi\d+)\.node$/.test(f))).toEqual([]);
    expect(listing.filter((f) => /package\/(build|node_modules|test)\/|\.map$/.test(f))).toEqual([]);
    expect(listing).toContain('package/dist/lib/index.js');
    expect(listing).toContain('package/LICENSE');
  });

  it('installs with npm defaults without running its install scripts (nothing was built)', () => {
    const installed = join(app, 'node_modules', 'pipefork');
    expect(existsSync(join(installed, 'build'))).toBe(false);
    expect(existsSync(join(installed, 'native', 'fork', 'build'))).toBe(false);
    expect(readdirSync(join(installed, 'prebuilds'))).toContain(`linux-${process.arch}`);
    expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).license).toBe('MIT');
  });

  for (const m of majors) {
    it(`a pipe, a Popen and an os.fork() work from the prebuilt binaries on Node ${m} (linux-${process.arch})`, () => {
      const line = nodeLine(m);
      expect(runSmoke(line.bin, [])).toEqual({
        arch: process.arch,
        version: `v${line.version}`,
        pipe: 'pipe ok',
        popen: 'popen ok',
        fork: 'fork ok true',
        exit: 7,
      });
    }, 120_000);
  }

  if (arm64) {
    for (const m of majors) {
      it(`a pipe, a Popen and an os.fork() work from the prebuilt binaries on Node ${m} (linux-arm64 under qemu-user)`, () => {
        const line = nodeLine(m, 'arm64');
        expect(runSmoke(QEMU, ['-L', '/usr/aarch64-linux-gnu', line.bin])).toEqual({
          arch: 'arm64',
          version: `v${line.version}`,
          pipe: 'pipe ok',
          popen: 'popen ok',
          fork: 'fork ok true',
          exit: 7,
        });
      }, 300_000);
    }
  }
});
