// The package as users get it: `npm pack` carries prebuilt binaries, the
// addon loads from prebuilds/ with build/ gone, and a fresh project that
// installs the tarball with default npm settings (which, on these machines,
// do not run a dependency's install scripts) imports it and works.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'pipefork-pack-'));
const pkg = join(tmp, 'pkg');
let tarball = '';

const smoke = `
import { os } from 'pipefork';
const [r, w] = os.pipe();
os.write(w, Buffer.from('hello world!'));
console.log(os.read(r, 12).toString());
os.close(r); os.close(w);
`;

beforeAll(() => {
  // A clean copy of the working tree (what git would commit), sharing node_modules.
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && existsSync(join(root, f)));
  for (const f of files) {
    mkdirSync(dirname(join(pkg, f)), { recursive: true });
    copyFileSync(join(root, f), join(pkg, f));
  }
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
  const out = execFileSync('npm', ['pack', '--pack-destination', tmp, '--silent'], {
    cwd: pkg,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  tarball = join(tmp, out.trim().split('\n').pop() as string);
}, 300_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the published package', () => {
  it('npm pack builds prebuilds/<platform>-<arch> and puts them in the tarball', () => {
    expect(readdirSync(join(pkg, 'prebuilds'))).toContain(`${process.platform}-${process.arch}`);
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    expect(listing).toMatch(new RegExp(`package/prebuilds/${process.platform}-${process.arch}/.+\\.node`));
    expect(listing).toContain('package/dist/lib/index.js');
    expect(listing).not.toMatch(/package\/(build|node_modules|test)\//);
  });

  it('loads the addon from prebuilds/ when build/ is removed', () => {
    rmSync(join(pkg, 'build'), { recursive: true, force: true });
    const where = execFileSync(process.execPath, ['-p', `require('node-gyp-build').path(${JSON.stringify(pkg)})`], {
      cwd: pkg,
      encoding: 'utf8',
    });
    expect(where).toContain(join(pkg, 'prebuilds'));
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', smoke], { cwd: pkg, encoding: 'utf8' });
    expect(out).toBe('hello world!\n');
  });

  it('installs into a fresh project with default npm settings and works', () => {
    const app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    execFileSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--silent'], {
      cwd: app,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // No build happened there: the prebuilt binary is what loads.
    expect(existsSync(join(app, 'node_modules', 'pipefork', 'build'))).toBe(false);
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', smoke], { cwd: app, encoding: 'utf8' });
    expect(out).toBe('hello world!\n');
  });
});
