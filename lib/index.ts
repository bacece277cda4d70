// pipefork: POSIX pipes and processes with CPython's semantics.
export * from './errors.js';
export * as io from './io.js';
export * as os from './os.js';
export * as signal from './signal.js';
export * as stat from './stat.js';
export * as struct from './struct.js';
export * as subprocess from './subprocess.js';
export * as sys from './sys.js';
