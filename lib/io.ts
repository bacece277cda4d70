// Python's io module: file objects on fds (docs/io.md). The classes
// live in lib/io/, one file per layer of CPython's stack.

export { LookupError, UnicodeEncodeError, UnsupportedOperation } from './errors.js';
export { BufferedRandom, BufferedReader, BufferedRWPair, BufferedWriter, type RawIO } from './io/buffered.js';
export { DEFAULT_BUFFER_SIZE, SEEK_CUR, SEEK_END, SEEK_SET } from './io/common.js';
export { FileIO } from './io/fileio.js';
export { IOBase } from './io/iobase.js';
export { type FileObject, fdopen, type OpenOptions, open } from './io/open.js';
export { type BufferedIO, TextIOWrapper } from './io/text.js';
