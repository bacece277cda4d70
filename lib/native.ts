// The one typed description of the addon's surface, and its loader.
// Every function returns a negative errno on failure instead of throwing
// (-EINTR included, from the calls that wait); lib/posix/ is the only
// caller besides lib/fork.ts, and turns that into the CPython-shaped error
// (lib/errors.ts). See docs/architecture.md for the layers.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NativeConstants {
  readonly [name: `O_${string}` | `SEEK_${string}`]: number;
}

export interface Native {
  pipe2(flags: number): [number, number] | number;
  read(fd: number, buf: Uint8Array): number;
  /** read/write on bytes [off, off + len) of an ArrayBuffer; -EFAULT if the range is not inside it. */
  readAt(fd: number, ab: ArrayBuffer, off: number, len: number): number;
  writeAt(fd: number, ab: ArrayBuffer, off: number, len: number): number;
  /** One readv(2)/writev(2) over the arrays; -EFAULT if an item is not a Uint8Array. */
  readv(fd: number, bufs: Uint8Array[]): number;
  writev(fd: number, bufs: Uint8Array[]): number;
  readHint(fd: number): number;
  write(fd: number, buf: Uint8Array): number;
  close(fd: number): number;
  closerange(lo: number, hi: number): void;
  dup(fd: number): number;
  dup2(fd: number, fd2: number, inheritable: boolean): number;
  getInheritable(fd: number): number;
  setInheritable(fd: number, inheritable: boolean): number;
  getBlocking(fd: number): number;
  setBlocking(fd: number, blocking: boolean): number;
  open(path: string | Uint8Array, flags: number, mode: number): number;
  mkfifo(path: string | Uint8Array, mode: number): number;
  isatty(fd: number): number;
  lseek(fd: number, pos: number, whence: number): number;
  /** Fills 16 numbers: see native/binding.cc Fstat. */
  fstat(fd: number, out: Float64Array): number;
  ftruncate(fd: number, length: number): number;
  strerror(errno: number): string;
  constants: NativeConstants;

  // Processes (native/binding_process.cc).
  _exit(code: number): never;
  getpid(): number;
  getppid(): number;
  /** Status goes to out[0]. Returns the pid, 0 (WNOHANG, nothing yet) or -errno. */
  waitpid(pid: number, options: number, out: Int32Array): number;
  /** Index of a pid that has exited (not reaped), pids.length on timeout, or -errno. timeoutMs -1 = forever. */
  waitAny(pids: Int32Array, timeoutMs: number): number;
  kill(pid: number, sig: number): number;
  killpg(pgid: number, sig: number): number;
  setsid(): number;
  getpgid(pid: number): number;
  getpgrp(): number;
  setpgid(pid: number, pgid: number): number;
  pidfdOpen(pid: number, flags: number): number;
  /** fcntl(F_SETPIPE_SZ): 0 or -errno (-ENOSYS without it). */
  setPipeSize(fd: number, size: number): number;
  /** poll(2): fills revents; returns the ready count, 0 on timeout, or -errno. */
  pollFds(fds: Int32Array, events: Int16Array, revents: Int16Array, timeoutMs: number): number;
  /** Returns only on failure: the error, and the index of the candidate it belongs to; -EINVAL for bad arrays. */
  exec(
    candidates: (string | Uint8Array)[],
    argv: (string | Uint8Array)[],
    envp: (string | Uint8Array)[] | null,
  ): { errno: number; index: number } | number;
  /** Starts a child (native/spawn.cc); throws TypeError naming a malformed field. */
  spawn(options: NativeSpawnOptions): { pid: number } | SpawnFailure;
  /** How many spawn child stacks are mapped in this process (one per environment that spawned). */
  childStacksLive(): number;
  // The working directory, umask, unlink, getsid (native/binding_env.cc).
  /** The working directory's bytes, or -errno. */
  getcwd(): Buffer | number;
  /** path: UTF-8 text, or the exact bytes of a bytes path. */
  chdir(path: string | Uint8Array): number;
  fchdir(fd: number): number;
  /** Sets the mask; the previous one (umask never fails). */
  umask(mask: number): number;
  /** unlinkat(dirFd, path, 0); dirFd -1 is the working directory. */
  unlinkat(dirFd: number, path: string | Uint8Array): number;
  getsid(pid: number): number;

  processConstants: { WNOHANG: number; WUNTRACED: number; WCONTINUED: number; NSIG: number };

  // Readiness for the awaitable twins, and the calls that never wait
  // (native/ready.cc, native/nowait.cc; lib/posix/ready.ts, lib/posix/nowait.ts).
  /** Opens this environment's epoll instance and poll handle (once): its fd, or -errno. */
  readyOpen(callback: (count: number) => void, reports: Int32Array): number;
  /** Arms fd for one report of events (EPOLLONESHOT), as [fd, generation, events] in the reports array. */
  readyArm(fd: number, generation: number, events: number): number;
  readyRemove(fd: number): number;
  /** Whether the poll handle keeps the event loop alive. */
  readyRef(referenced: boolean): void;
  /** [epoll fd or -1, 1 if referenced, live epoll instances in the process]. */
  readyState(): [number, number, number];
  /** preadv2/pwritev2 with RWF_NOWAIT: the count, -EAGAIN, -EOPNOTSUPP, or -errno. */
  readNowait(fd: number, buf: Uint8Array): number;
  writeNowait(fd: number, buf: Uint8Array): number;
  /** recv/send with MSG_DONTWAIT (sockets). */
  recvDontwait(fd: number, buf: Uint8Array): number;
  sendDontwait(fd: number, buf: Uint8Array): number;
  /** open("/proc/self/fd/N", access | O_NONBLOCK | O_CLOEXEC): a private description, or -errno. */
  reopenNonblock(fd: number, access: number): number;
  /** ioctl(FIONREAD): the bytes waiting, or -errno. */
  fionread(fd: number): number;
  // Unix-domain sockets (native/binding_socket.cc). Paths are sun_path's
  // bytes (an abstract name starts with a NUL); every new fd is close-on-exec.
  socketpair(domain: number, type: number): [number, number] | number;
  socket(domain: number, type: number): number;
  bindUnix(fd: number, path: Uint8Array): number;
  /** May return -EINTR: the connection goes on; wait for POLLOUT and read SO_ERROR. */
  connectUnix(fd: number, path: Uint8Array): number;
  listen(fd: number, backlog: number): number;
  /** [new fd, the peer's sun_path bytes] or -errno (-EINTR included). */
  accept(fd: number): [number, Buffer] | number;
  getsockname(fd: number): Buffer | number;
  setsockopt(fd: number, level: number, name: number, value: number): number;
  /** The option's value goes to out[0]. */
  getsockopt(fd: number, level: number, name: number, out: Int32Array): number;
  socketConstants: {
    AF_UNIX: number;
    SOCK_STREAM: number;
    SOCK_DGRAM: number;
    SOCK_SEQPACKET: number;
    SOL_SOCKET: number;
    SO_REUSEADDR: number;
    SO_ERROR: number;
    SO_SNDBUF: number;
    SO_RCVBUF: number;
    SO_TYPE: number;
    SOMAXCONN: number;
    /** sizeof(sockaddr_un.sun_path): 108 on Linux, 104 on macOS. */
    SUN_PATH_SIZE: number;
  };
}

/** spawn()'s options: each field is checked by the binding (native/binding_process.cc). */
export interface NativeSpawnOptions {
  /** Paths to execve in turn (the PATH search already made): never empty. */
  executables: (string | Uint8Array)[];
  argv: (string | Uint8Array)[];
  /** null: this process's environ. */
  envp: (string | Uint8Array)[] | null;
  cwd: string | Uint8Array | null;
  /** The stdio plan of subprocess.py's _get_handles; -1 = none. */
  p2cread: number;
  p2cwrite: number;
  c2pread: number;
  c2pwrite: number;
  errread: number;
  errwrite: number;
  /** Sorted ascending, all >= 3. */
  passFds: Int32Array;
  closeFds: boolean;
  restoreSignals: boolean;
  startNewSession: boolean;
  /** -1: leave alone. */
  processGroup: number;
  umask: number;
  uid: number;
  gid: number;
  /** null: leave the supplementary groups alone. */
  extraGroups: Uint32Array | null;
}

/**
 * A spawn that failed: 'parent' (our own pipe or clone failed), or the step
 * the child reported on the error pipe ('child' before chdir, 'chdir',
 * 'exec'); a child that reported has been reaped. filename is the cwd
 * (chdir) or the executable tried (exec), as given; null otherwise.
 */
export interface SpawnFailure {
  errno: number;
  stage: 'parent' | 'child' | 'chdir' | 'exec';
  filename: string | Uint8Array | null;
}

if (process.platform === 'win32') {
  throw new Error('pipefork supports POSIX systems only (Linux and macOS): Windows has no fork(2) or POSIX pipes');
}

/** The package root: the folder holding package.json, build/ and prebuilds/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('pipefork: cannot find its package.json');
    dir = up;
  }
  return dir;
}

const require = createRequire(import.meta.url);
const load = require('node-gyp-build') as (dir: string) => unknown;

export const root = packageRoot();
// The addon's exports object is in V8's dictionary mode (it is built by
// ~40 property sets), so every `native.read` would be a hash lookup that
// optimized code cannot inline; a spread copy is a fast-mode object.
export const native: Native = { ...(loadAddon() as Native) };

/**
 * node-gyp-build finds build/Release (a source build) or the prebuilt binary
 * for this platform and arch. Neither exists where the package has no
 * prebuild and npm did not run its install script (npm 11 runs a
 * dependency's install script only once the user approves it): say so, and
 * what to run.
 */
function loadAddon(): unknown {
  try {
    return load(root);
  } catch (e) {
    throw new Error(
      `pipefork: no native addon for ${process.platform}-${process.arch} (Node ${process.version}): the package has ` +
        'no prebuilt binary for this platform and none was built. Build it from source with ' +
        '`npm install-scripts approve pipefork` (npm 11 and later: lets its install script run) and then ' +
        '`npm rebuild pipefork`; that needs python3, make and a C++ compiler (docs/install.md). ' +
        `(${(e as Error).message.trim()})`,
      { cause: e },
    );
  }
}
