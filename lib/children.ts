// The pids of the children pipefork started (os.fork or subprocess.Popen).
// os.wait() and os.waitpid(-1 | 0 | -pgid) wait only among these, so they
// never reap a child of Node's own child_process (docs/fork.md, hazard 11).
//
// Only pids are kept, no pidfds: a blocking wait opens pidfds for the time
// it polls (native waitAny), so an unwaited child costs no fd here.
export const children = new Set<number>();

/** Records a child that pipefork started, so wait()/waitpid(-1) may reap it. */
export function trackChild(pid: number): void {
  children.add(pid);
}

/** Forgets a child once it has been reaped. */
export function untrackChild(pid: number): void {
  children.delete(pid);
}

/** Is this one of pipefork's children that has not been reaped yet? */
export function isTracked(pid: number): boolean {
  return children.has(pid);
}
