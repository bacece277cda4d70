// Formats (or with --check, verifies) the C++ in native/ with the
// clang-format binary that the clang-format npm package ships.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('clang-format/package.json'));
const platformDir = { linux: 'linux_x64', darwin: 'darwin_x64' }[process.platform];
const bin = join(pkgDir, 'bin', platformDir ?? '', 'clang-format');
const files = readdirSync('native', { recursive: true })
  .map(String)
  .filter((f) => /\.(cc|h)$/.test(f) && !f.includes('build/'))
  .map((f) => join('native', f));
const check = process.argv.includes('--check');
const args = check ? ['--dry-run', '--Werror', ...files] : ['-i', ...files];
try {
  execFileSync(bin, args, { stdio: 'inherit' });
} catch {
  console.error(check ? 'C++ is not clang-formatted: run `npm run format`' : 'clang-format failed');
  process.exit(1);
}
