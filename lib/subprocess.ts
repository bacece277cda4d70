// Python's subprocess module.
export {};
