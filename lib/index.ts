// pipefork: POSIX pipes and processes with CPython's semantics.
export * from './errors.js';
export * as os from './os.js';
export * as stat from './stat.js';
export * as sys from './sys.js';
