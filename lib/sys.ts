// The pieces of Python's `sys` that IPC code reaches for.
/** The interpreter running this program: `[sys.executable, script]` starts another like it. */
export const executable: string = process.execPath;
/** The script and its arguments, without the interpreter (Python's sys.argv). */
export const argv: string[] = process.argv.slice(1);
export const platform: string = process.platform;
export const byteorder: 'little' | 'big' = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little' : 'big';
