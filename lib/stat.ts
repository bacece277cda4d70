// Python's `stat` module: file-type tests on st_mode.
import { bindList, isKwargs, signature } from './convert.js';
import { OverflowError } from './errors.js';
import { Signal } from './signal.js';

const FMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
/** Solaris doors, event ports and BSD whiteouts: 0 where the system has none, as in CPython. */
export const S_IFDOOR = 0;
export const S_IFPORT = 0;
export const S_IFWHT = 0;

// Permission bits, chflags() flags and stat-tuple indices: the values of
// CPython's stat module (the same on every POSIX system it supports).
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ENFMT = 0o2000;
export const S_ISVTX = 0o1000;
export const S_IREAD = 0o400;
export const S_IWRITE = 0o200;
export const S_IEXEC = 0o100;
export const S_IRWXU = 0o700;
export const S_IRUSR = 0o400;
export const S_IWUSR = 0o200;
export const S_IXUSR = 0o100;
export const S_IRWXG = 0o70;
export const S_IRGRP = 0o40;
export const S_IWGRP = 0o20;
export const S_IXGRP = 0o10;
export const S_IRWXO = 0o7;
export const S_IROTH = 0o4;
export const S_IWOTH = 0o2;
export const S_IXOTH = 0o1;
export const UF_NODUMP = 0x1;
export const UF_IMMUTABLE = 0x2;
export const UF_APPEND = 0x4;
export const UF_OPAQUE = 0x8;
export const UF_NOUNLINK = 0x10;
export const UF_COMPRESSED = 0x20;
export const UF_HIDDEN = 0x8000;
export const SF_ARCHIVED = 0x10000;
export const SF_IMMUTABLE = 0x20000;
export const SF_APPEND = 0x40000;
export const SF_NOUNLINK = 0x100000;
export const SF_SNAPSHOT = 0x200000;
export const ST_MODE = 0;
export const ST_INO = 1;
export const ST_DEV = 2;
export const ST_NLINK = 3;
export const ST_UID = 4;
export const ST_GID = 5;
export const ST_SIZE = 6;
export const ST_ATIME = 7;
export const ST_MTIME = 8;
export const ST_CTIME = 9;

/**
 * The mode argument of _stat's functions (CPython's _PyLong_AsMode_t): one
 * positional int (a BigInt too) that fits a C unsigned int. Ordinary modes
 * (non-negative int32) take the first test and nothing else.
 */
function modeArg(func: string, args: readonly unknown[]): number {
  let v = args[0];
  if (args.length === 1 && typeof v === 'number' && (v | 0) === v && v >= 0) return v;
  if (args.length !== 1 || isKwargs(v)) v = bindList(signature('positional', `_stat.${func}`, ['mode']), args)[0];
  if (typeof v === 'boolean') return Number(v);
  if (v instanceof Signal) v = v.value;
  let n: bigint;
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === 'bigint') n = v;
  else throw new TypeError('an integer is required');
  if (n < 0n) throw new OverflowError("can't convert negative value to unsigned int");
  if (n >= 2n ** 64n) throw new OverflowError('Python int too large to convert to C unsigned long');
  if (n >= 2n ** 32n) throw new OverflowError('mode out of range');
  return Number(n);
}

/** The file-type bits of st_mode (a function in Python too). */
export function S_IFMT(mode: number): number;
export function S_IFMT(...a: unknown[]): number {
  return modeArg('S_IFMT', a) & FMT;
}
/** An S_IS* function: whether mode's file-type bits are `bits`, with _stat's argument checks. */
function isType(name: string, bits: number): (mode: number) => boolean {
  return ((...a: unknown[]) => (modeArg(name, a) & FMT) === bits) as (mode: number) => boolean;
}
export const S_ISDIR = isType('S_ISDIR', S_IFDIR);
export const S_ISCHR = isType('S_ISCHR', S_IFCHR);
export const S_ISBLK = isType('S_ISBLK', S_IFBLK);
export const S_ISREG = isType('S_ISREG', S_IFREG);
export const S_ISFIFO = isType('S_ISFIFO', S_IFIFO);
export const S_ISLNK = isType('S_ISLNK', S_IFLNK);
export const S_ISSOCK = isType('S_ISSOCK', S_IFSOCK);
/** The permission bits of st_mode, as stat.S_IMODE. */
export function S_IMODE(mode: number): number;
export function S_IMODE(...a: unknown[]): number {
  return modeArg('S_IMODE', a) & 0o7777;
}

// Solaris doors, event ports and BSD whiteouts do not exist here: always
// false, as in CPython on Linux (their S_IF* are 0, so they match no mode's -1).
export const S_ISDOOR = isType('S_ISDOOR', -1);
export const S_ISPORT = isType('S_ISPORT', -1);
export const S_ISWHT = isType('S_ISWHT', -1);

// filemode (CPython's _stat.filemode, which replaces Lib/stat.py's): the
// type from S_IFMT ('?' if none matches), then per permission position the
// first (bits, char) whose bits are all set in the mode, else '-'.
const FILETYPE: Record<number, string> = {
  [S_IFREG]: '-',
  [S_IFDIR]: 'd',
  [S_IFCHR]: 'c',
  [S_IFBLK]: 'b',
  [S_IFIFO]: 'p',
  [S_IFLNK]: 'l',
  [S_IFSOCK]: 's',
};
const PERMS: [number, string][][] = [
  [[S_IRUSR, 'r']],
  [[S_IWUSR, 'w']],
  [
    [S_IXUSR | S_ISUID, 's'],
    [S_ISUID, 'S'],
    [S_IXUSR, 'x'],
  ],
  [[S_IRGRP, 'r']],
  [[S_IWGRP, 'w']],
  [
    [S_IXGRP | S_ISGID, 's'],
    [S_ISGID, 'S'],
    [S_IXGRP, 'x'],
  ],
  [[S_IROTH, 'r']],
  [[S_IWOTH, 'w']],
  [
    [S_IXOTH | S_ISVTX, 't'],
    [S_ISVTX, 'T'],
    [S_IXOTH, 'x'],
  ],
];

/** stat.filemode(mode): '-rwxr-xr-x' for 0o100755. */
export function filemode(mode: number): string;
export function filemode(...a: unknown[]): string {
  const mode = modeArg('filemode', a);
  let out = FILETYPE[mode & FMT] ?? '?';
  for (const choices of PERMS) {
    const hit = choices.find(([bits]) => (mode & bits) === bits);
    out += hit ? hit[1] : '-';
  }
  return out;
}
