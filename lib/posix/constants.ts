// The C library's constants and error texts, as the addon reports them for
// this system: the one place lib/ reads them from.
import { native } from '../native.js';

const C = native.constants;
export const O_RDONLY = C.O_RDONLY as number;
export const O_WRONLY = C.O_WRONLY as number;
export const O_RDWR = C.O_RDWR as number;
export const O_ACCMODE = C.O_ACCMODE as number;
export const O_CREAT = C.O_CREAT as number;
export const O_EXCL = C.O_EXCL as number;
export const O_TRUNC = C.O_TRUNC as number;
export const O_APPEND = C.O_APPEND as number;
export const O_NONBLOCK = C.O_NONBLOCK as number;
export const O_NDELAY = C.O_NDELAY as number;
export const O_CLOEXEC = C.O_CLOEXEC as number;
export const O_NOCTTY = C.O_NOCTTY as number;
export const O_SYNC = C.O_SYNC as number;
export const O_DSYNC = C.O_DSYNC as number;
export const O_DIRECTORY = C.O_DIRECTORY as number;
export const O_NOFOLLOW = C.O_NOFOLLOW as number;
export const O_ASYNC = C.O_ASYNC as number;
/** Present on some systems only: undefined elsewhere, as the attribute is missing in Python. */
export const O_RSYNC = C.O_RSYNC;
export const O_NOATIME = C.O_NOATIME;
export const O_PATH = C.O_PATH;
export const O_TMPFILE = C.O_TMPFILE;
export const O_DIRECT = C.O_DIRECT;
export const O_LARGEFILE = C.O_LARGEFILE;

export const SEEK_SET = C.SEEK_SET as number;
export const SEEK_CUR = C.SEEK_CUR as number;
export const SEEK_END = C.SEEK_END as number;

const PC = native.processConstants;
export const WNOHANG: number = PC.WNOHANG;
export const WUNTRACED: number = PC.WUNTRACED;
export const WCONTINUED: number = PC.WCONTINUED;
export const NSIG: number = PC.NSIG;

/** The C library's text for errno (strerror(3)). */
export function strerror(errno: number): string {
  return native.strerror(errno);
}

// poll(2)'s event bits: the same numbers on Linux and macOS.
export const POLLIN = 0x001;
export const POLLPRI = 0x002;
export const POLLOUT = 0x004;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLNVAL = 0x020;

const SC = native.socketConstants;
export const AF_UNIX: number = SC.AF_UNIX;
export const SOCK_STREAM: number = SC.SOCK_STREAM;
export const SOCK_DGRAM: number = SC.SOCK_DGRAM;
export const SOCK_SEQPACKET: number = SC.SOCK_SEQPACKET;
export const SOL_SOCKET: number = SC.SOL_SOCKET;
export const SO_REUSEADDR: number = SC.SO_REUSEADDR;
export const SO_ERROR: number = SC.SO_ERROR;
export const SO_SNDBUF: number = SC.SO_SNDBUF;
export const SO_RCVBUF: number = SC.SO_RCVBUF;
export const SO_TYPE: number = SC.SO_TYPE;
export const SOMAXCONN: number = SC.SOMAXCONN;
/** sizeof(sockaddr_un.sun_path): how long an AF_UNIX address may be. */
export const SUN_PATH_SIZE: number = SC.SUN_PATH_SIZE;
