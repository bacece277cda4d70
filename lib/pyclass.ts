// Python makes an object by calling its class: `p = subprocess.Popen(args)`,
// `e = OSError(2, 'x')`. A JS class throws when called without `new`, so
// every class a port calls is exported as pyclass(C): a function that
// constructs a C however it is called, and that is C to everything else.
//
// - `X(...)` and `new X(...)` both run C's constructor with new.target C
//   itself (so OSError's constructor still picks FileNotFoundError), and
//   build objects of C's own shape: V8 gives them C's initial map, so code
//   that handles them stays monomorphic.
// - `X.prototype` is C.prototype and C.prototype.constructor is X: instanceof
//   holds either way, and `x.constructor === X` as `type(x) is X` does.
// - X's prototype is C: static members and methods are reached through it
//   (`X.from(...)`), and `class Y extends X` inherits them; `super(...)` in
//   Y calls X with new.target Y, which constructs C's part of a Y.
//
// A function rather than a Proxy: V8 inlines it, so `new X()` costs what
// `new C()` costs (bench/pyclass.ts); a Proxy's construct trap cost
// 25-40 ns a call on Node 20-24.
//
// Inside lib/, modules keep using C itself (no wrapper on internal paths).

// biome-ignore lint/suspicious/noExplicitAny: the constructor's own parameter types are kept by ConstructorParameters
type AnyClass = abstract new (...args: any[]) => any;

/**
 * A class's constructor overloads as call signatures (up to four: TypeScript
 * matches a type's overloads against as many as the pattern names, repeating
 * one when it has fewer).
 */
type Calls<C extends AnyClass> = C extends {
  new (...a: infer A1): infer R1;
  new (...a: infer A2): infer R2;
  new (...a: infer A3): infer R3;
  new (...a: infer A4): infer R4;
}
  ? ((...a: A1) => R1) & ((...a: A2) => R2) & ((...a: A3) => R3) & ((...a: A4) => R4)
  : (...a: ConstructorParameters<C>) => InstanceType<C>;

/** A class that may also be called without `new`, as Python calls its classes. */
export type PyClass<C extends AnyClass> = C & Calls<C>;

const classes = new WeakMap<object, AnyClass>();

/** The callable twin of cls (see the top of this file). */
export function pyclass<C extends AnyClass>(cls: C): PyClass<C> {
  const target = cls as unknown as new (...args: unknown[]) => object;
  // A plain function: both [[Call]] and [[Construct]] land here.
  const callable = function (this: unknown, a?: unknown, b?: unknown, c?: unknown): object {
    // biome-ignore lint/complexity/noArguments: the count as given, with no rest array to build (see below)
    const args = arguments;
    if (new.target === undefined || new.target === callable) {
      // `new target(...)` with the arguments as they came, for the common
      // counts: TurboFan then inlines it as it would the class's own `new`
      // (a rest parameter spread again into a rest parameter cost ~7 ns).
      switch (args.length) {
        case 0:
          return new target();
        case 1:
          return new target(a);
        case 2:
          return new target(a, b);
        case 3:
          return new target(a, b, c);
        default:
          return Reflect.construct(target, args, target);
      }
    }
    return Reflect.construct(target, args, new.target);
  };
  Object.setPrototypeOf(callable, cls);
  Object.defineProperties(callable, {
    name: { value: cls.name, configurable: true },
    length: { value: cls.length, configurable: true },
    prototype: { value: cls.prototype, writable: false },
  });
  Object.defineProperty(cls.prototype, 'constructor', {
    value: callable,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  classes.set(callable, cls);
  return callable as unknown as PyClass<C>;
}

/** The class behind a pyclass twin (v itself for anything else): for static checks such as `this === OSError`. */
export function classOf<T>(v: T): T {
  return (classes.get(v as object) as T | undefined) ?? v;
}
