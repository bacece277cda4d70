// Proof that a test leaked nothing: the fds of this process, and zombie
// children, before and after.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readinessState } from '../../lib/posix/ready.js';

/** Open fds of this process, with what each points at. */
export function openFds(): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of readdirSync('/proc/self/fd')) {
    const fd = Number(name);
    try {
      out.set(fd, readlinkSync(`/proc/self/fd/${name}`));
    } catch {
      // the fd readdir itself used, already closed
    }
  }
  return out;
}

/**
 * Fds open now that were not open in `before`, ignoring the test runner's
 * own module files and the one epoll instance the awaitable twins keep for
 * the life of the process (lib/posix/ready.ts), opened by the first await.
 */
export function leakedSince(before: Map<number, string>): string[] {
  const leaked: string[] = [];
  const readiness = readinessState().epollFd;
  for (const [fd, target] of openFds()) {
    if (before.get(fd) === target || fd === readiness) continue;
    if (/node_modules|\.(ts|js|mjs|json|node)$/.test(target)) continue;
    leaked.push(`${fd} -> ${target}`);
  }
  return leaked;
}

/** This process's children, with their state letter from /proc (Z: exited, not reaped). */
export function children(): { pid: number; state: string }[] {
  const out: { pid: number; state: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid) out.push({ pid: Number(name), state: fields[0] as string });
    } catch {
      // the process went away while we looked
    }
  }
  return out;
}

/** Children of this process that exited but were never reaped. */
export function zombieChildren(): number[] {
  return children()
    .filter((c) => c.state === 'Z')
    .map((c) => c.pid);
}
