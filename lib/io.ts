// Python's io module: file objects on fds (docs/io.md). The classes
// live in lib/io/, one file per layer of CPython's stack.

export { LookupError, UnicodeEncodeError, UnsupportedOperation } from './errors.js';
export { BufferedIOBase, IOBase, RawIOBase, TextIOBase } from './io/bases.js';
export { BufferedRandom, BufferedReader, BufferedRWPair, BufferedWriter, type RawIO } from './io/buffered.js';
export { BytesIO, type BytesIOBuffer } from './io/bytesio.js';
export { DEFAULT_BUFFER_SIZE, SEEK_CUR, SEEK_END, SEEK_SET } from './io/common.js';
export { FileIO } from './io/fileio.js';
export { type FileObject, fdopen, type OpenOptions, open } from './io/open.js';
export { StringIO } from './io/stringio.js';
export { type BufferedIO, TextIOWrapper } from './io/text.js';
