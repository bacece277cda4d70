// Python's signal module: signal numbers.
export {};
