// Python's `stat` module: file-type tests on st_mode.
const FMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

/** The file-type bits of st_mode (a function in Python too). */
export const S_IFMT = (mode: number): number => mode & FMT;
export const S_ISDIR = (mode: number): boolean => (mode & FMT) === S_IFDIR;
export const S_ISCHR = (mode: number): boolean => (mode & FMT) === S_IFCHR;
export const S_ISBLK = (mode: number): boolean => (mode & FMT) === S_IFBLK;
export const S_ISREG = (mode: number): boolean => (mode & FMT) === S_IFREG;
export const S_ISFIFO = (mode: number): boolean => (mode & FMT) === S_IFIFO;
export const S_ISLNK = (mode: number): boolean => (mode & FMT) === S_IFLNK;
export const S_ISSOCK = (mode: number): boolean => (mode & FMT) === S_IFSOCK;
/** The permission bits of st_mode, as stat.S_IMODE. */
export const S_IMODE = (mode: number): number => mode & 0o7777;
