// multiprocessing: CPython 3.11's Connection/Pipe/Listener/Client on the
// wire Python's multiprocessing speaks, and Process on os.fork() (the fork
// start method). docs/multiprocessing.md.
export * as connection from './multiprocessing/connection.js';
export { Pipe } from './multiprocessing/connection.js';
export { AuthenticationError, BufferTooShort, ProcessError, TimeoutError } from './multiprocessing/context.js';
export {
  active_children,
  BaseProcess,
  cpu_count,
  current_process,
  get_all_start_methods,
  get_start_method,
  Process,
  type ProcessOptions,
  parent_process,
  set_start_method,
} from './multiprocessing/process.js';
