// The "1 GiB of live, touched heap" condition shared by the process and fork
// benchmarks.

/** Live, touched JS heap: arrays of doubles (8 bytes each, all written). */
export function growHeap(mib: number): number[][] {
  const arrays: number[][] = [];
  const perArray = (8 << 20) / 8; // 8 MiB of doubles each
  for (let i = 0; i < mib / 8; i++) {
    const a = new Array<number>(perArray);
    for (let j = 0; j < perArray; j++) a[j] = j + 0.5;
    arrays.push(a);
  }
  return arrays;
}
