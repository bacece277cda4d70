// pipefork: POSIX pipes and processes with CPython's semantics.
// The exception classes; errors.ts's helpers (oserror, pyRepr, ...) stay internal.

export * as builtins from './builtins.js';
export {
  ArithmeticError,
  AssertionError,
  BaseException,
  BlockingIOError,
  BrokenPipeError,
  BufferError,
  ChildProcessError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  EOFError,
  Exception,
  FileExistsError,
  FileNotFoundError,
  IndexError,
  InterruptedError,
  IsADirectoryError,
  KeyboardInterrupt,
  KeyError,
  LookupError,
  MemoryError,
  NotADirectoryError,
  NotImplementedError,
  OSError,
  OverflowError,
  PermissionError,
  ProcessLookupError,
  RecursionError,
  RuntimeError,
  SubprocessError,
  SystemError,
  SystemExit,
  TimeoutError,
  UnicodeDecodeError,
  UnicodeEncodeError,
  UnicodeError,
  UnsupportedOperation,
  ValueError,
} from './errors.js';
export * as io from './io.js';
export * as multiprocessing from './multiprocessing.js';
export * as os from './os.js';
export * as pickle from './pickle.js';
export * as signal from './signal.js';
export * as stat from './stat.js';
export * as streams from './streams.js';
export * as struct from './struct.js';
export * as subprocess from './subprocess.js';
export { default as sys } from './sys.js';
