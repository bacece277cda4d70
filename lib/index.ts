// pipefork: POSIX pipes and processes with CPython's semantics.
// The exception classes; errors.ts's helpers (oserror, pyRepr, ...) stay internal.
export {
  BlockingIOError,
  BrokenPipeError,
  ChildProcessError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  EOFError,
  FileExistsError,
  FileNotFoundError,
  IndexError,
  InterruptedError,
  IsADirectoryError,
  KeyError,
  LookupError,
  MemoryError,
  NotADirectoryError,
  OSError,
  OverflowError,
  PermissionError,
  ProcessLookupError,
  SubprocessError,
  SystemError,
  TimeoutError,
  UnicodeDecodeError,
  UnicodeEncodeError,
  UnicodeError,
  UnsupportedOperation,
  ValueError,
} from './errors.js';
export * as io from './io.js';
export * as os from './os.js';
export * as pickle from './pickle.js';
export * as signal from './signal.js';
export * as stat from './stat.js';
export * as struct from './struct.js';
export * as subprocess from './subprocess.js';
export * as sys from './sys.js';
