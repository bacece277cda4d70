// Python's selectors module (CPython's Lib/selectors.py), line by line where it can
// be: high-level waiting on many files, over select.epoll (the default on
// Linux), select.poll or select.select. Registering an fd or any object
// with a fileno() method; each select() returns [key, events] pairs.
import { type AsyncOptions, takeSignal, throwIfAborted } from './abort.js';
import { pyTruth, pyTypeName } from './convert.js';
import { InterruptedError, KeyError, OverflowError, RuntimeError, ValueError } from './errors.js';
import { IntEnumMember } from './intenum.js';
import { READABLE, untilReady, type Watch, WRITABLE } from './posix/ready.js';
import { pyclass } from './pyclass.js';
import { pyValueRepr } from './repr.js';
import * as select from './select.js';
import { tuple } from './tuple.js';

/** Generic events, mapped to each implementation's own. */
export const EVENT_READ = 1 << 0;
export const EVENT_WRITE = 1 << 1;

/** What a selector registers: an fd, or an object with a fileno() method. */
export type FileObj = number | { fileno(): number };

/** Python's int(v) as _fileobj_to_fd applies it to what fileno() returned. */
function pyIntOf(v: unknown): number {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) throw new ValueError('cannot convert float NaN to integer');
    if (!Number.isFinite(v)) throw new OverflowError('cannot convert float infinity to integer');
    return Math.trunc(v);
  }
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return Number(v);
  if (v instanceof IntEnumMember) return v.value;
  if (typeof v === 'string' || v instanceof Uint8Array) {
    const text = typeof v === 'string' ? v : Buffer.from(v).toString('latin1');
    const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
    if (m === null) throw new ValueError(`invalid literal for int() with base 10: ${pyValueRepr(v)}`);
    return Number(`${m[1]}${(m[2] as string).replaceAll('_', '')}`);
  }
  throw new TypeError(`int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`);
}

function isPyInt(v: unknown): v is number | bigint | IntEnumMember {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint' || v instanceof IntEnumMember;
}

/**
 * _fileobj_to_fd: an int is the fd; anything else gives int(fileobj.fileno()),
 * and an object without a usable one is ValueError('Invalid file object: ...').
 */
function fileobjToFd(fileobj: unknown): number {
  let fd: number;
  if (isPyInt(fileobj)) {
    fd = Number(fileobj instanceof IntEnumMember ? fileobj.value : fileobj);
  } else {
    try {
      fd = pyIntOf((fileobj as { fileno(): unknown }).fileno());
    } catch (e) {
      // AttributeError, TypeError, ValueError (a closed file): JS's TypeError stands for the first two.
      if (e instanceof TypeError || e instanceof ValueError) {
        throw new ValueError(`Invalid file object: ${pyValueRepr(fileobj)}`);
      }
      throw e;
    }
  }
  if (fd < 0) throw new ValueError(`Invalid file descriptor: ${fd}`);
  return fd;
}

/**
 * register()'s `if (not events) or (events & ~(EVENT_READ | EVENT_WRITE))`:
 * ValueError for an empty or unknown mask, Python's TypeError for `&` on a
 * non-int; a bool is an int, and the mask is checked on all its bits.
 */
function checkEvents(events: unknown): void {
  if (!pyTruth(events)) throw new ValueError(`Invalid events: ${pyValueRepr(events)}`);
  const n = typeof events === 'boolean' ? Number(events) : events instanceof IntEnumMember ? events.value : events;
  if (!isPyInt(n)) throw new TypeError(`unsupported operand type(s) for &: '${pyTypeName(events)}' and 'int'`);
  if ((BigInt(n as number | bigint) & ~BigInt(EVENT_READ | EVENT_WRITE)) !== 0n)
    throw new ValueError(`Invalid events: ${pyValueRepr(events)}`);
}

/** SelectorKey(fileobj, fd, events, data): the named tuple a registration makes. */
class Key<T = unknown> implements Iterable<unknown> {
  constructor(
    /** File object registered. */
    readonly fileobj: FileObj,
    /** Underlying file descriptor. */
    readonly fd: number,
    /** Events that must be waited for on this file object. */
    readonly events: number,
    /** Optional opaque data associated to this file object. */
    readonly data: T | null = null,
  ) {}

  /** A copy with some fields changed (namedtuple._replace). */
  _replace(changes: { fileobj?: FileObj; fd?: number; events?: number; data?: T | null }): Key<T> {
    return new Key(
      changes.fileobj ?? this.fileobj,
      changes.fd ?? this.fd,
      changes.events ?? this.events,
      'data' in changes ? (changes.data as T | null) : this.data,
    );
  }

  /** `const [fileobj, fd, events, data] = key`, as a tuple unpacks. */
  *[Symbol.iterator](): Iterator<unknown> {
    yield this.fileobj;
    yield this.fd;
    yield this.events;
    yield this.data;
  }

  repr(): string {
    const f = pyValueRepr;
    return `SelectorKey(fileobj=${f(this.fileobj)}, fd=${this.fd}, events=${this.events}, data=${f(this.data)})`;
  }

  toString(): string {
    return this.repr();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.repr();
  }
}

export const SelectorKey = pyclass(Key);
export type SelectorKey<T = unknown> = Key<T>;

/**
 * What get_map() returns: a read-only Map from fd to key, which also looks
 * a key up by the file object registered (CPython's _SelectorMapping):
 * get(fileobj) is the key or undefined; __getitem__(fileobj) raises
 * KeyError('... is not registered') as `mapping[fileobj]` does.
 */
export class SelectorMapping<T = unknown> implements ReadonlyMap<number, SelectorKey<T>> {
  readonly #selector: BaseSelectorImpl<T>;

  constructor(selector: BaseSelectorImpl<T>) {
    this.#selector = selector;
  }

  get size(): number {
    return this.#selector._fd_to_key.size;
  }

  __getitem__(fileobj: FileObj): SelectorKey<T> {
    const key = this.#find(fileobj);
    if (key === undefined) throw new KeyError(`${pyValueRepr(fileobj)} is not registered`);
    return key;
  }

  get(fileobj: FileObj): SelectorKey<T> | undefined {
    return this.#find(fileobj);
  }

  has(fileobj: FileObj): boolean {
    return this.#find(fileobj) !== undefined;
  }

  #find(fileobj: FileObj): SelectorKey<T> | undefined {
    return this.#selector._fd_to_key.get(this.#selector._fileobj_lookup(fileobj));
  }

  keys(): MapIterator<number> {
    return this.#selector._fd_to_key.keys();
  }

  values(): MapIterator<SelectorKey<T>> {
    return this.#selector._fd_to_key.values();
  }

  entries(): MapIterator<[number, SelectorKey<T>]> {
    return this.#selector._fd_to_key.entries();
  }

  forEach(
    fn: (key: SelectorKey<T>, fd: number, map: ReadonlyMap<number, SelectorKey<T>>) => void,
    thisArg?: unknown,
  ): void {
    if (typeof fn !== 'function') throw new TypeError(`'${pyTypeName(fn)}' object is not callable`);
    for (const [fd, key] of this.#selector._fd_to_key) fn.call(thisArg, key, fd, this);
  }

  [Symbol.iterator](): MapIterator<[number, SelectorKey<T>]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'SelectorMapping';
  }
}

/**
 * A timeout as a number (a BigInt too), else the TypeError of the
 * comparison CPython's Lib/selectors.py makes: `timeout <= 0` in the poll-like
 * selectors, `max(timeout, 0)` (that is `0 > timeout`) in SelectSelector.
 */
function checkTimeout(timeout: unknown, viaMax = false): number | null {
  if (timeout === null || timeout === undefined) return null;
  if (typeof timeout === 'number') return timeout;
  if (typeof timeout === 'bigint' || timeout instanceof IntEnumMember) return Number(timeout);
  const t = pyTypeName(timeout);
  throw new TypeError(
    viaMax
      ? `'>' not supported between instances of 'int' and '${t}'`
      : `'<=' not supported between instances of '${t}' and 'int'`,
  );
}

/** The [key, events] pair select() returns for each ready file (a tuple). */
export type Ready<T = unknown> = [SelectorKey<T>, number];

/** BaseSelector and _BaseSelectorImpl in one: the registrations, kept by fd. */
abstract class BaseSelectorImpl<T = unknown> implements Disposable {
  /** fd -> key (CPython's _fd_to_key). */
  readonly _fd_to_key = new Map<number, SelectorKey<T>>();
  #map: SelectorMapping<T> | null = new SelectorMapping(this);

  /** _fileobj_lookup: the fd, or that of a registered object whose fileno() no longer works (a closed file). */
  _fileobj_lookup(fileobj: unknown): number {
    try {
      return fileobjToFd(fileobj);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      for (const key of this._fd_to_key.values()) if (key.fileobj === fileobj) return key.fd;
      throw e;
    }
  }

  /** register(fileobj, events, data = null) -> the key. KeyError if already registered, ValueError for bad events. */
  register(fileobj: FileObj, events: number, data: T | null = null): SelectorKey<T> {
    checkEvents(events);
    const key = new Key(fileobj, this._fileobj_lookup(fileobj), events, data);
    if (this._fd_to_key.has(key.fd)) {
      throw new KeyError(`${pyValueRepr(fileobj)} (FD ${key.fd}) is already registered`);
    }
    this._fd_to_key.set(key.fd, key);
    return key;
  }

  /** unregister(fileobj) -> the key it had. KeyError if not registered. */
  unregister(fileobj: FileObj): SelectorKey<T> {
    const fd = this._fileobj_lookup(fileobj);
    const key = this._fd_to_key.get(fd);
    if (key === undefined) throw new KeyError(`${pyValueRepr(fileobj)} is not registered`);
    this._fd_to_key.delete(fd);
    return key;
  }

  /** modify(fileobj, events, data = null) -> the new key. */
  modify(fileobj: FileObj, events: number, data: T | null = null): SelectorKey<T> {
    let key = this._fd_to_key.get(this._fileobj_lookup(fileobj));
    if (key === undefined) throw new KeyError(`${pyValueRepr(fileobj)} is not registered`);
    if (events !== key.events) {
      this.unregister(fileobj);
      key = this.register(fileobj, events, data);
    } else if (data !== key.data) {
      key = key._replace({ data });
      this._fd_to_key.set(key.fd, key);
    }
    return key;
  }

  /**
   * select(timeout = null) -> [key, events][]: waits until a registered file
   * is ready or the timeout (seconds) passes; <= 0 does not wait.
   */
  abstract select(timeout?: number | null): Ready<T>[];

  /**
   * select()'s awaitable twin (docs/async.md): `await sel.selectAsync(timeout?, { signal })`
   * resolves with what select(timeout) returns, waiting in the event loop.
   * The check is this selector's own select(0), its syscall without a wait,
   * so the ready list, its order and its errors are select()'s; between
   * checks each registered fd waits in lib/posix/ready.ts (untilReady).
   */
  selectAsync(timeout?: number | null, options?: AsyncOptions): Promise<Ready<T>[]>;
  async selectAsync(...a: unknown[]): Promise<Ready<T>[]> {
    const [args, signal] = takeSignal(a);
    const timeout = this._timeout(args[0]);
    throwIfAborted(signal);
    const watch: Watch[] = [];
    for (const key of this._fd_to_key.values()) {
      watch.push([key.fd, (key.events & EVENT_READ ? READABLE : 0) | (key.events & EVENT_WRITE ? WRITABLE : 0)]);
    }
    return untilReady(watch, () => this.select(0), timeout, signal);
  }

  /** select()'s timeout, checked as this implementation's select() checks it (seconds, or null). */
  protected _timeout(timeout: unknown): number | null {
    return checkTimeout(timeout);
  }

  /** close(): forgets every registration (and frees what the implementation holds). */
  close(): void {
    this._fd_to_key.clear();
    this.#map = null;
  }

  /** get_key(fileobj): its key; KeyError if not registered, RuntimeError once closed. */
  get_key(fileobj: FileObj): SelectorKey<T> {
    const mapping = this.get_map();
    if (mapping === null) throw new RuntimeError('Selector is closed');
    const key = mapping.get(fileobj);
    if (key === undefined) throw new KeyError(`${pyValueRepr(fileobj)} is not registered`);
    return key;
  }

  /** get_map(): the registrations as a read-only Map from fd to key (null once closed). */
  get_map(): SelectorMapping<T> | null {
    return this.#map;
  }

  _key_from_fd(fd: number): SelectorKey<T> | undefined {
    return this._fd_to_key.get(fd);
  }

  __enter__(): this {
    return this;
  }

  __exit__(..._args: unknown[]): void {
    this.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

export type { BaseSelectorImpl as BaseSelector };

/** A selector over select.select(). */
class SelectSelectorImpl<T = unknown> extends BaseSelectorImpl<T> {
  readonly #readers = new Set<number>();
  readonly #writers = new Set<number>();

  override register(fileobj: FileObj, events: number, data: T | null = null): SelectorKey<T> {
    const key = super.register(fileobj, events, data);
    if (events & EVENT_READ) this.#readers.add(key.fd);
    if (events & EVENT_WRITE) this.#writers.add(key.fd);
    return key;
  }

  override unregister(fileobj: FileObj): SelectorKey<T> {
    const key = super.unregister(fileobj);
    this.#readers.delete(key.fd);
    this.#writers.delete(key.fd);
    return key;
  }

  protected override _timeout(timeout: unknown): number | null {
    return checkTimeout(timeout, true);
  }

  select(timeout: number | null = null): Ready<T>[] {
    const t = this._timeout(timeout);
    let r: number[];
    let w: number[];
    try {
      [r, w] = select.select([...this.#readers], [...this.#writers], [], t === null ? null : Math.max(t, 0));
    } catch (e) {
      if (e instanceof InterruptedError) return [];
      throw e;
    }
    return this._readyFromSelect(r, w);
  }

  /** The ready keys for select()'s readable and writable fds, as SelectSelector.select maps them. */
  protected _readyFromSelect(r: readonly number[], w: readonly number[]): Ready<T>[] {
    const rs = new Set(r);
    const ws = new Set(w);
    const ready: Ready<T>[] = [];
    for (const fd of new Set([...rs, ...ws])) {
      let events = 0;
      if (rs.has(fd)) events |= EVENT_READ;
      if (ws.has(fd)) events |= EVENT_WRITE;
      const key = this._key_from_fd(fd);
      if (key) ready.push(tuple([key, events & key.events]));
    }
    return ready;
  }
}

/** How a poll-like object reports readiness: [fd, events] pairs. */
interface Poller {
  register(fd: number, events: number): void;
  modify(fd: number, events: number): void;
  unregister(fd: number): void;
}

/** _PollLikeSelector: shared by PollSelector and EpollSelector. */
abstract class PollLikeSelector<T, P extends Poller> extends BaseSelectorImpl<T> {
  protected readonly _selector: P;

  constructor(
    selector: P,
    protected readonly _EVENT_READ: number,
    protected readonly _EVENT_WRITE: number,
  ) {
    super();
    this._selector = selector;
  }

  #pollerEvents(events: number): number {
    let e = 0;
    if (events & EVENT_READ) e |= this._EVENT_READ;
    if (events & EVENT_WRITE) e |= this._EVENT_WRITE;
    return e;
  }

  override register(fileobj: FileObj, events: number, data: T | null = null): SelectorKey<T> {
    const key = super.register(fileobj, events, data);
    try {
      this._selector.register(key.fd, this.#pollerEvents(events));
    } catch (e) {
      super.unregister(fileobj);
      throw e;
    }
    return key;
  }

  override unregister(fileobj: FileObj): SelectorKey<T> {
    const key = super.unregister(fileobj);
    try {
      this._selector.unregister(key.fd);
    } catch (e) {
      // The fd was closed since it was registered.
      if (!(e instanceof select.error)) throw e;
    }
    return key;
  }

  override modify(fileobj: FileObj, events: number, data: T | null = null): SelectorKey<T> {
    let key = this._fd_to_key.get(this._fileobj_lookup(fileobj));
    if (key === undefined) throw new KeyError(`${pyValueRepr(fileobj)} is not registered`);
    let changed = false;
    if (events !== key.events) {
      try {
        this._selector.modify(key.fd, this.#pollerEvents(events));
      } catch (e) {
        super.unregister(fileobj);
        throw e;
      }
      changed = true;
    }
    if (data !== key.data) changed = true;
    if (changed) {
      key = key._replace({ events, data });
      this._fd_to_key.set(key.fd, key);
    }
    return key;
  }

  /** The ready keys for poll-style [fd, event] pairs, as _PollLikeSelector.select maps them. */
  protected _ready(list: [number, number][], eventRead: number, eventWrite: number): Ready<T>[] {
    const ready: Ready<T>[] = [];
    for (const [fd, event] of list) {
      let events = 0;
      if (event & ~eventRead) events |= EVENT_WRITE;
      if (event & ~eventWrite) events |= EVENT_READ;
      const key = this._fd_to_key.get(fd);
      if (key) ready.push(tuple([key, events & key.events]));
    }
    return ready;
  }
}

/** A selector over select.poll(). */
class PollSelectorImpl<T = unknown> extends PollLikeSelector<T, select.PollObject> {
  constructor() {
    super(select.poll(), select.POLLIN, select.POLLOUT);
  }

  select(timeout: number | null = null): Ready<T>[] {
    const t = checkTimeout(timeout);
    // poll() has a resolution of 1 millisecond: round away from zero to wait *at least* timeout seconds.
    const ms = t === null ? null : t <= 0 ? 0 : Math.ceil(t * 1e3);
    let list: [number, number][];
    try {
      list = this._selector.poll(ms);
    } catch (e) {
      if (e instanceof InterruptedError) return [];
      throw e;
    }
    return this._ready(list, this._EVENT_READ, this._EVENT_WRITE);
  }
}

/** A selector over select.epoll(): the default on Linux. */
class EpollSelectorImpl<T = unknown> extends PollLikeSelector<T, select.epoll> {
  constructor() {
    super(select.epoll(), select.EPOLLIN, select.EPOLLOUT);
  }

  /** The epoll object's fd. */
  fileno(): number {
    return this._selector.fileno();
  }

  select(timeout: number | null = null): Ready<T>[] {
    const t = checkTimeout(timeout);
    // epoll_wait() has a resolution of 1 millisecond: round away from zero.
    const s = t === null ? -1 : t <= 0 ? 0 : Math.ceil(t * 1e3) * 1e-3;
    // epoll_wait() wants maxevents > 0, and select() must work with nothing registered.
    const maxEv = Math.max(this._fd_to_key.size, 1);
    let list: [number, number][];
    try {
      list = this._selector.poll(s, maxEv);
    } catch (e) {
      if (e instanceof InterruptedError) return [];
      throw e;
    }
    return this._ready(list, select.EPOLLIN, select.EPOLLOUT);
  }

  override close(): void {
    this._selector.close();
    super.close();
  }
}

/** Each selector class's instances, by kind, for SelectorClass. */
interface Selectors<T> {
  select: SelectSelectorImpl<T>;
  poll: PollSelectorImpl<T>;
  epoll: EpollSelectorImpl<T>;
}

/**
 * A selector class, constructed or called as Python calls it; either way
 * keeps the type argument (`selectors.DefaultSelector<string>()`), which
 * pyclass's inferred call signatures would drop.
 */
interface SelectorClass<K extends keyof Selectors<unknown>> {
  new <T = unknown>(): Selectors<T>[K];
  <T = unknown>(): Selectors<T>[K];
  readonly prototype: Selectors<unknown>[K];
}

export const SelectSelector = pyclass(SelectSelectorImpl) as SelectorClass<'select'>;
export type SelectSelector<T = unknown> = SelectSelectorImpl<T>;
export const PollSelector = pyclass(PollSelectorImpl) as SelectorClass<'poll'>;
export type PollSelector<T = unknown> = PollSelectorImpl<T>;
export const EpollSelector = pyclass(EpollSelectorImpl) as SelectorClass<'epoll'>;
export type EpollSelector<T = unknown> = EpollSelectorImpl<T>;
/** The best selector on this platform: epoll on Linux. */
export const DefaultSelector = EpollSelector;
export type DefaultSelector<T = unknown> = EpollSelectorImpl<T>;
