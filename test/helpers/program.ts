// Whole programs, run the same way in CPython and in Node: for what only a
// process shows (its exit status, what reaches fds 1 and 2 and in what
// order, what a terminal gets). The Node side imports the compiled
// library, as a user's program does.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The compiled library's entry point, for `import { sys } from PIPEFORK`. */
export const PIPEFORK = pathToFileURL(join(root, 'dist', 'lib', 'index.js')).href;

export interface Ran {
  stdout: string;
  stderr: string;
  status: number | null;
  /**
   * The signal that ended the program ('SIGINT'); absent when it exited,
   * so tests comparing a whole Ran with { stdout, stderr, status } hold.
   */
  signal?: NodeJS.Signals;
}

export interface RunOptions {
  input?: string | Buffer;
  /** More arguments for the program (python3 -c code ARGS: its sys.argv[1:]). */
  args?: string[];
  /** Added to the environment; a key set to undefined is removed. */
  env?: Record<string, string | undefined>;
}

/**
 * The environment both interpreters get: this machine's, without
 * PYTHONUNBUFFERED (which CPython obeys and pipefork's sys does too), so
 * buffering is the default one unless a test asks.
 */
function environment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: undefined, ...extra };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env;
}

function result(r: SpawnSyncReturns<string>): Ran {
  if (r.error) throw r.error;
  const ran: Ran = { stdout: r.stdout, stderr: r.stderr, status: r.status };
  if (r.signal !== null) ran.signal = r.signal;
  return ran;
}

/** Runs file with args, the input on fd 0, fds 1 and 2 collected. */
function run(file: string, args: string[], opts: RunOptions): Ran {
  return result(
    spawnSync(file, [...args, ...(opts.args ?? [])], {
      input: opts.input,
      env: environment(opts.env),
      encoding: 'utf8',
      timeout: 15_000,
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
}

/** Runs an ES module in Node; `PIPEFORK` in the code is replaced by the library's URL. */
export function runNode(code: string, opts: RunOptions = {}): Ran {
  return run(process.execPath, ['--input-type=module', '-e', code.replaceAll('PIPEFORK', PIPEFORK)], opts);
}

/** Runs a Python program. */
export function runPython(code: string, opts: RunOptions = {}): Ran {
  return run('python3', ['-c', code], opts);
}

/** Runs a shell command line (for redirections: a file as fd 1, 2>&1). */
export function runShell(command: string, opts: RunOptions = {}): Ran {
  return run('/bin/sh', ['-c', command], opts);
}
