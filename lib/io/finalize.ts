// What CPython's finalizer does for a file object nobody closed: when it is
// garbage-collected it is closed, its pending bytes flushed first, and with
// warnings on a ResourceWarning names it; at exit, every live writer is
// flushed. One FinalizationRegistry for FileIO, the buffered classes and
// TextIOWrapper, and one set of the live writers for the exit flush.
//
// A FinalizationRegistry must not hold the object it watches (it would
// never be collected), so each object keeps what a close needs in a record
// of its own (the fd's claim, the pending bytes, the layer below) and the
// registry holds that record. A record may hold the layer below (a
// TextIOWrapper's buffer, a buffered object's raw stream), as the object
// does: that keeps the layer below alive until the record has closed it,
// so the layers close top down, as CPython's do.
//
// The fd itself is only touched when its claim still holds
// (lib/posix/claims.ts): a file whose fd was closed behind its back, and
// whose number now belongs to another file, is never written to or closed.
import { writeSync } from 'node:fs';

/** What a file object leaves to be done when it is collected, or flushed at exit. */
export interface Finalizer {
  /** The object's repr, for the warning ('<_io.FileIO name=5 mode='rb' closefd=True>'). */
  repr: string;
  /** Flush and close, as CPython's IOBase finalizer does; `source` is the collected object's repr. */
  finish(source: string): void;
  /** Write out pending bytes at exit (writers only); never closes. */
  flushAtExit?(): void;
}

const registry = new FinalizationRegistry<Finalizer>((f) => {
  live.delete(f);
  finishQuietly(f, f.repr);
});
/** Records of live writers, in creation order: flushed at exit, later ones (text layers) first. */
const live = new Set<Finalizer>();
let exitHooked = false;

/** Watches obj: when it is collected, f.finish() runs; writers are flushed at exit until then. */
export function watch(obj: object, f: Finalizer, writer: boolean): void {
  registry.register(obj, f, f);
  if (!writer) return;
  live.add(f);
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', flushAllAtExit);
  }
}

/** The object was closed or detached by its owner: nothing is left to do for it. */
export function unwatch(f: Finalizer): void {
  registry.unregister(f);
  live.delete(f);
}

function flushAllAtExit(): void {
  for (const f of [...live].reverse()) {
    try {
      f.flushAtExit?.();
    } catch {
      // CPython also only reports (never raises) errors from flushing at exit.
    }
  }
}

/**
 * finish() from the registry: an error is not raised (there is nobody to
 * raise it to) but dropped, as CPython's IOBase finalizer drops it; in
 * CPython's development mode (PYTHONDEVMODE) it is reported as CPython
 * reports it there.
 */
export function finishQuietly(f: Finalizer, source: string): void {
  try {
    f.finish(source);
  } catch (e) {
    if (!devMode()) return;
    const err = e as Error;
    try {
      writeSync(2, `Exception ignored in: ${source}\n${err?.name ?? 'Error'}: ${err?.message ?? String(e)}\n`);
    } catch {
      // stderr is gone too
    }
  }
}

let enabled: boolean | undefined;

/** PYTHONDEVMODE set and not empty, as CPython reads it. */
function devMode(): boolean {
  return (process.env.PYTHONDEVMODE ?? '') !== '';
}

/** The action a -W / PYTHONWARNINGS filter names, as warnings._getaction reads it (a prefix is enough). */
function warningAction(action: string): string | undefined {
  if (action === '') return 'default';
  if (action === 'all') return 'always';
  return ['default', 'always', 'ignore', 'module', 'once', 'error'].find((a) => a.startsWith(action));
}

/**
 * Whether ResourceWarnings are shown: as CPython decides from its
 * environment, PYTHONDEVMODE turns them on and PYTHONWARNINGS's last filter
 * that applies to ResourceWarning decides (any action but 'ignore' shows
 * it), so `PYTHONWARNINGS=default node app.js` shows what
 * `PYTHONWARNINGS=default python3 app.py` would. Read once, at the first
 * file collected unclosed.
 */
export function resourceWarnings(): boolean {
  if (enabled !== undefined) return enabled;
  enabled = devMode();
  for (const entry of (process.env.PYTHONWARNINGS ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const [action = '', , category = ''] = entry.split(':').map((s) => s.trim());
    if (!['', 'ResourceWarning', 'Warning'].includes(category)) continue;
    const a = warningAction(action);
    if (a !== undefined) enabled = a !== 'ignore';
  }
  return enabled;
}

/** CPython's "ResourceWarning: unclosed file <...>", through process.emitWarning when warnings are on. */
export function warnUnclosed(source: string): void {
  if (resourceWarnings()) process.emitWarning(`unclosed file ${source}`, { type: 'ResourceWarning' });
}
