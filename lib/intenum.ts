// Python's IntEnum members as the signal module has them (Signals,
// Handlers, Sigmasks): an int wherever pipefork takes one, `String()` the
// number (3.11's str() of an IntEnum member), `repr()` `<Signals.SIGKILL: 9>`.
import { pyValueRepr, ValueError } from './errors.js';

export class IntEnumMember {
  constructor(
    /** The enum's name: 'Signals', 'Handlers', 'Sigmasks'. */
    readonly enumName: string,
    readonly name: string,
    readonly value: number,
  ) {}
  /** Python 3.11's str() of an IntEnum member is the number's: `9`, so `${sig}` ports f'{sig}'. */
  toString(): string {
    return String(this.value);
  }
  /** Python's repr(): `<Signals.SIGKILL: 9>`. */
  repr(): string {
    return `<${this.enumName}.${this.name}: ${this.value}>`;
  }
  valueOf(): number {
    return this.value;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.repr();
  }
}

/** The member of `members` for a value, as EnumType.__call__ looks it up (9, 9.0, 9n, True, a member). */
export function lookupMember<M extends IntEnumMember>(byValue: ReadonlyMap<number, M>, v: unknown): M | undefined {
  if (v instanceof IntEnumMember) return byValue.get(v.value);
  if (typeof v === 'number') return byValue.get(v);
  if (typeof v === 'boolean') return byValue.get(Number(v));
  if (typeof v === 'bigint') return v >= -(2n ** 31n) && v < 2n ** 31n ? byValue.get(Number(v)) : undefined;
  return undefined;
}

/**
 * An IntEnum class as a callable: `E(9)` is the member (Python's
 * ValueError for an unknown value), and `E.NAME` each member by name.
 */
export function intEnum<M extends IntEnumMember, N extends Record<string, M | undefined>>(
  enumName: string,
  byValue: ReadonlyMap<number, M>,
  byName: N,
): ((value: unknown) => M) & N {
  const call = {
    [enumName](...args: unknown[]): M {
      if (args.length === 0) throw new TypeError("EnumType.__call__() missing 1 required positional argument: 'value'");
      const value = args[0];
      if (args.length > 1) throw new TypeError(`<enum ${pyValueRepr(value)}> cannot extend <enum '${enumName}'>`);
      const m = lookupMember(byValue, value);
      if (m === undefined) throw new ValueError(`${pyValueRepr(value)} is not a valid ${enumName}`);
      return m;
    },
  }[enumName] as (value: unknown) => M;
  return Object.assign(call, byName);
}
