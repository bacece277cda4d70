// The syscall layer: every syscall lib/ makes, checked once, raising the
// CPython-shaped error in one place, with one retry point for the calls that
// block (blocking.ts). os, io, subprocess and children call this, never the
// addon. See docs/architecture.md.
export * from './blocking.js';
export * from './claims.js';
export * from './constants.js';
export * from './fd.js';
export * from './fs.js';
export * from './nowait.js';
export * from './process.js';
export * from './ready.js';
export * from './signals.js';
export * from './socket.js';
export * from './wait.js';
