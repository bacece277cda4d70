// multiprocessing: CPython 3.11's Connection/Pipe/Listener/Client on the
// wire Python's multiprocessing speaks, and Process on os.fork() (the fork
// start method). docs/multiprocessing.md.
export * as connection from './multiprocessing/connection.js';
export { Pipe } from './multiprocessing/connection.js';
export {
  active_children,
  cpu_count,
  current_process,
  get_all_start_methods,
  get_start_method,
  type ProcessOptions,
  parent_process,
  set_start_method,
} from './multiprocessing/process.js';

import { AuthenticationError, BufferTooShort, ProcessError, TimeoutError } from './multiprocessing/context.js';
import { BaseProcess, Process } from './multiprocessing/process.js';
import { pyclass } from './pyclass.js';

// The classes as pyclass twins (lib/pyclass.ts): Process(target=f) and the
// errors without new, as Python calls them; `class Worker extends Process` works.
const Process_ = pyclass(Process);
type Process_ = Process;
const BaseProcess_ = pyclass(BaseProcess);
type BaseProcess_ = BaseProcess;
const ProcessError_ = pyclass(ProcessError);
type ProcessError_ = ProcessError;
const BufferTooShort_ = pyclass(BufferTooShort);
type BufferTooShort_ = BufferTooShort;
const TimeoutError_ = pyclass(TimeoutError);
type TimeoutError_ = TimeoutError;
const AuthenticationError_ = pyclass(AuthenticationError);
type AuthenticationError_ = AuthenticationError;

export {
  AuthenticationError_ as AuthenticationError,
  BaseProcess_ as BaseProcess,
  BufferTooShort_ as BufferTooShort,
  Process_ as Process,
  ProcessError_ as ProcessError,
  TimeoutError_ as TimeoutError,
};
