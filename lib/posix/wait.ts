// The <sys/wait.h> status macros, once: os's W* functions,
// waitstatus_to_exitcode, Popen's returncode and the children's books are
// all built on these.
export const exited = (s: number): boolean => (s & 0x7f) === 0; // WIFEXITED
export const highByte = (s: number): number => (s >> 8) & 0xff; // WEXITSTATUS and WSTOPSIG
// glibc: ((signed char) ((status & 0x7f) + 1) >> 1) > 0
export const signaled = (s: number): boolean => (((s & 0x7f) + 1) << 24) >> 25 > 0; // WIFSIGNALED
export const termSig = (s: number): number => s & 0x7f; // WTERMSIG
export const stopped = (s: number): boolean => (s & 0xff) === 0x7f; // WIFSTOPPED
export const continued = (s: number): boolean => s === 0xffff; // WIFCONTINUED
export const coreDumped = (s: number): boolean => (s & 0x80) !== 0; // WCOREDUMP

/** The status says the child has ended (exited or killed), so its pid is free again. */
export const isTerminal = (s: number): boolean => exited(s) || signaled(s);
