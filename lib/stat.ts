// Python's `stat` module: file-type tests on st_mode.
import { OverflowError } from './errors.js';

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

/**
 * The mode argument of _stat's functions (CPython's _PyLong_AsMode_t): one
 * positional int (a BigInt too) that fits a C unsigned int. Ordinary modes
 * (non-negative int32) take the first test and nothing else.
 */
function modeArg(func: string, args: readonly unknown[]): number {
  const v = args[0];
  if (args.length === 1 && typeof v === 'number' && (v | 0) === v && v >= 0) return v;
  if (args.length !== 1) throw new TypeError(`_stat.${func}() takes exactly one argument (${args.length} given)`);
  if (typeof v === 'boolean') return Number(v);
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
export function S_ISDIR(mode: number): boolean;
export function S_ISDIR(...a: unknown[]): boolean {
  return (modeArg('S_ISDIR', a) & FMT) === S_IFDIR;
}
export function S_ISCHR(mode: number): boolean;
export function S_ISCHR(...a: unknown[]): boolean {
  return (modeArg('S_ISCHR', a) & FMT) === S_IFCHR;
}
export function S_ISBLK(mode: number): boolean;
export function S_ISBLK(...a: unknown[]): boolean {
  return (modeArg('S_ISBLK', a) & FMT) === S_IFBLK;
}
export function S_ISREG(mode: number): boolean;
export function S_ISREG(...a: unknown[]): boolean {
  return (modeArg('S_ISREG', a) & FMT) === S_IFREG;
}
export function S_ISFIFO(mode: number): boolean;
export function S_ISFIFO(...a: unknown[]): boolean {
  return (modeArg('S_ISFIFO', a) & FMT) === S_IFIFO;
}
export function S_ISLNK(mode: number): boolean;
export function S_ISLNK(...a: unknown[]): boolean {
  return (modeArg('S_ISLNK', a) & FMT) === S_IFLNK;
}
export function S_ISSOCK(mode: number): boolean;
export function S_ISSOCK(...a: unknown[]): boolean {
  return (modeArg('S_ISSOCK', a) & FMT) === S_IFSOCK;
}
/** The permission bits of st_mode, as stat.S_IMODE. */
export function S_IMODE(mode: number): number;
export function S_IMODE(...a: unknown[]): number {
  return modeArg('S_IMODE', a) & 0o7777;
}
