// Python's io module: see lib/io.ts history; filled in by the io work.
export {};
