# CPython's side of the pickle tests: reads a JSON command from stdin,
# prints a JSON answer. Commands:
#   dumps   [[expr, proto], ...]   -> hex of pickle.dumps(eval(expr), proto) ("fork": ForkingPickler.dumps)
#   redump  [[hex, proto], ...]    -> hex of pickle.dumps(pickle.loads(bytes), proto), or an outcome
#   loads   [hex, ...]             -> outcome of a loads restricted as pipefork's is, with canon(value)
#   plain   [hex, ...]             -> outcome of plain pickle.loads (for data without globals)
#   oob     [expr, ...]            -> protocol 5 pickle with out-of-band buffers: [hex, [buffer hex...]]
#   canon   [expr, ...]            -> canon(eval(expr))
import io
import json
import pickle
import resource
import sys
from multiprocessing.reduction import ForkingPickler

sys.setrecursionlimit(20000)
# CPython allocates before it reads: a damaged pickle's LONG_BINPUT of 2**31
# makes it allocate and zero a memo of 2**32 pointers. A 4 GiB address-space
# cap turns that into a quick MemoryError instead of minutes of paging.
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


class Allowed:
    """A global pipefork resolves; calling it checks the arguments as pipefork's applyGlobal does."""

    def __init__(self, kind):
        self.kind = kind

    def __call__(self, *args):
        k, n = self.kind, len(args)
        a = args[0] if n else None
        b = args[1] if n > 1 else None
        if k == "bytes" and n == 0:
            return b""
        if k == "bytearray":
            if n == 0:
                return bytearray()
            if n == 1 and isinstance(a, (bytes, bytearray, memoryview)):
                return bytearray(a)
            if n == 2 and isinstance(a, str) and b in ("latin-1", "latin1"):
                return bytearray(a, "latin-1")
        if k in ("set", "frozenset") and (n == 0 or (n == 1 and type(a) in (list, tuple))):
            return (set if k == "set" else frozenset)(a or ())
        if k == "encode" and n == 2 and isinstance(a, str) and b == "latin1":
            return a.encode("latin1")
        raise pickle.UnpicklingError("forbidden arguments")


ALLOWED = {
    ("builtins", "bytes"): Allowed("bytes"),
    ("builtins", "bytearray"): Allowed("bytearray"),
    ("builtins", "set"): Allowed("set"),
    ("builtins", "frozenset"): Allowed("frozenset"),
    ("_codecs", "encode"): Allowed("encode"),
}


class Restricted(pickle.Unpickler):
    def find_class(self, module, name):
        # The C Unpickler does not expose its protocol: map Python 2's name
        # whatever it is (pipefork maps it below protocol 3 only).
        if module == "__builtin__":
            module = "builtins"
        try:
            return ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"global '{module}.{name}' is forbidden") from None


def restricted_loads(data):
    # From a plain BytesIO the C Unpickler drops what it had buffered when an
    # opcode's bytes cross a FRAME's end (pickle.loads of bytes does not):
    # a reader with peek() over all the data makes it read as loads() does.
    f = io.BufferedReader(io.BytesIO(data), buffer_size=max(len(data), 1) + 8)
    return Restricted(f).load()


SAFE = 2**53 - 1


def ascii_json(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=True)


def canon(v, ids):
    """The shape both sides compare: see canon() in test/pickle/helpers.ts."""
    if v is None or isinstance(v, bool) or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v if -SAFE <= v <= SAFE else {"i": hex(v)}
    if isinstance(v, float):
        if v == v and v.is_integer() and abs(v) <= SAFE and not (v == 0 and str(v).startswith("-")):
            return int(v)
        return {"f": repr(v)}
    if isinstance(v, (bytes, bytearray, memoryview)):
        return {"y": bytes(v).hex()}
    if isinstance(v, Allowed):
        raise pickle.UnpicklingError("bare global")
    if isinstance(v, tuple):
        return {"t": [canon(x, ids) for x in v]}
    if isinstance(v, frozenset):
        return {"fs": sorted((canon(x, ids) for x in v), key=ascii_json)}
    if id(v) in ids:
        return {"ref": ids[id(v)]}
    ids[id(v)] = len(ids)
    if isinstance(v, list):
        return {"l": [canon(x, ids) for x in v]}
    if isinstance(v, set):
        return {"set": sorted((canon(x, ids) for x in v), key=ascii_json)}
    if isinstance(v, dict):
        keys = sorted(((canon(k, ids), k) for k in v), key=lambda p: ascii_json(p[0]))
        return {"d": [[ck, canon(v[k], ids)] for ck, k in keys]}
    raise TypeError(f"no canon for {type(v).__name__}")


def outcome(f):
    try:
        return ["ok", f()]
    except RecursionError:
        return ["deep"]
    except BaseException as e:
        return ["raise", type(e).__name__, str(e)]


def main():
    cmd = sys.argv[1]
    args = json.load(sys.stdin)
    if cmd == "dumps":
        out = []
        for expr, proto in args:
            v = eval(expr)
            out.append(bytes(ForkingPickler.dumps(v)).hex() if proto == "fork" else pickle.dumps(v, proto).hex())
    elif cmd == "redump":
        out = [outcome(lambda: pickle.dumps(pickle.loads(bytes.fromhex(h)), p).hex()) for h, p in args]
    elif cmd == "loads":
        out = [outcome(lambda: canon(restricted_loads(bytes.fromhex(h)), {})) for h in args]
    elif cmd == "plain":
        out = [outcome(lambda: canon(pickle.loads(bytes.fromhex(h)), {})) for h in args]
    elif cmd == "oob":
        out = []
        for expr in args:
            bufs = []
            data = pickle.dumps(eval(expr), 5, buffer_callback=bufs.append)
            out.append([data.hex(), [bytes(b.raw()).hex() for b in bufs]])
    elif cmd == "canon":
        out = [canon(eval(expr), {}) for expr in args]
    else:
        raise SystemExit(f"unknown command {cmd}")
    json.dump(out, sys.stdout)


main()
