// A detached ArrayBuffer (transferred with structuredClone or postMessage,
// or taken by a Worker) and every view of it have no bytes left: V8 reports
// length 0 and refuses most operations with its own wording. To a Python
// program it is a released memoryview (convert.ts raises CPython's error for
// one; repr.ts prints it as CPython prints one).

/** Whether v is a detached ArrayBuffer or a view of one (Node 20 has no ArrayBuffer.prototype.detached). */
export function isDetached(v: unknown): boolean {
  let ab: unknown = v;
  if (ArrayBuffer.isView(v)) {
    if (v.byteLength !== 0) return false;
    ab = v.buffer;
  }
  if (!(ab instanceof ArrayBuffer) || ab.byteLength !== 0) return false;
  const detached = (ab as { detached?: boolean }).detached;
  if (detached !== undefined) return detached;
  try {
    new Uint8Array(ab);
    return false;
  } catch {
    return true;
  }
}
