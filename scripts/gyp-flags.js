// Compiler and linker flags that depend on how pipefork is being built, for
// both binding.gyp files (`<!@(node scripts/gyp-flags.js cflags|ldflags)`):
//  - PIPEFORK_WERROR=1 (.ci/run): -Werror. Never for users, not even in
//    their CI (where CI=true is common): a newer compiler's new warning must
//    not break their source build.
//  - PIPEFORK_SANITIZE=1 (npm run test:sanitize): ASan + UBSan, no recovery,
//    so that any report ends the process and fails the test that caused it.
const what = process.argv[2];
const flags = [];
if (process.env.PIPEFORK_SANITIZE === '1') {
  const san = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all'];
  if (what === 'cflags') flags.push(...san, '-fno-omit-frame-pointer', '-g', '-DPIPEFORK_SANITIZE=1');
  if (what === 'ldflags') flags.push(...san);
}
if (what === 'cflags' && process.env.PIPEFORK_WERROR === '1') flags.push('-Werror');
console.log(flags.join(' '));
