// Python's io module: file objects on fds (docs/io.md). The classes
// live in lib/io/, one file per layer of CPython's stack; here each is
// exported as its pyclass twin (lib/pyclass.ts), callable without `new`.
import { BufferedIOBase, IOBase, RawIOBase, TextIOBase } from './io/bases.js';
import { BufferedRandom, BufferedReader, BufferedRWPair, BufferedWriter } from './io/buffered.js';
import { BytesIO } from './io/bytesio.js';
import { FileIO } from './io/fileio.js';
import { StringIO } from './io/stringio.js';
import { TextIOWrapper } from './io/text.js';
import { pyclass } from './pyclass.js';

export { LookupError, UnicodeEncodeError, UnsupportedOperation } from './errors.js';
export type { RawIO } from './io/buffered.js';
export type { BytesIOBuffer } from './io/bytesio.js';
export { DEFAULT_BUFFER_SIZE, SEEK_CUR, SEEK_END, SEEK_SET } from './io/common.js';
export { type FileObject, fdopen, type OpenOptions, open } from './io/open.js';
export type { BufferedIO } from './io/text.js';

const IOBase_ = pyclass(IOBase);
type IOBase_ = IOBase;
const RawIOBase_ = pyclass(RawIOBase);
type RawIOBase_ = RawIOBase;
const BufferedIOBase_ = pyclass(BufferedIOBase);
type BufferedIOBase_ = BufferedIOBase;
const TextIOBase_ = pyclass(TextIOBase);
type TextIOBase_ = TextIOBase;
const FileIO_ = pyclass(FileIO);
type FileIO_ = FileIO;
const BufferedReader_ = pyclass(BufferedReader);
type BufferedReader_ = BufferedReader;
const BufferedWriter_ = pyclass(BufferedWriter);
type BufferedWriter_ = BufferedWriter;
const BufferedRandom_ = pyclass(BufferedRandom);
type BufferedRandom_ = BufferedRandom;
const BufferedRWPair_ = pyclass(BufferedRWPair);
type BufferedRWPair_ = BufferedRWPair;
const TextIOWrapper_ = pyclass(TextIOWrapper);
type TextIOWrapper_ = TextIOWrapper;
const BytesIO_ = pyclass(BytesIO);
type BytesIO_ = BytesIO;
const StringIO_ = pyclass(StringIO);
type StringIO_ = StringIO;

export {
  BufferedIOBase_ as BufferedIOBase,
  BufferedRandom_ as BufferedRandom,
  BufferedReader_ as BufferedReader,
  BufferedRWPair_ as BufferedRWPair,
  BufferedWriter_ as BufferedWriter,
  BytesIO_ as BytesIO,
  FileIO_ as FileIO,
  IOBase_ as IOBase,
  RawIOBase_ as RawIOBase,
  StringIO_ as StringIO,
  TextIOBase_ as TextIOBase,
  TextIOWrapper_ as TextIOWrapper,
};
