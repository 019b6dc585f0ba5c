#!/usr/bin/env python3
"""What a WASM file is made of: the biggest functions by code size, and
the totals per crate, from the module's `name` section (so run it on the
module before wasm-opt strips names, e.g. cargo's own output under
target/front/wasm32-unknown-unknown/wasm-release/frontend.wasm).

    python3 bench/wasm-sizes.py FILE.wasm [TOP]
"""
import re
import sys
from collections import Counter


def leb(data, i):
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def sections(data):
    i = 8
    while i < len(data):
        kind = data[i]
        size, i = leb(data, i + 1)
        yield kind, data[i:i + size]
        i += size


def crate_of(name):
    """The first path segment of a (possibly legacy-mangled) Rust name."""
    legacy = re.match(r"^_ZN(\d+)", name)
    if legacy:
        n = int(legacy.group(1))
        start = legacy.end()
        return name[start:start + n]
    match = re.match(r"^<?([a-zA-Z_][a-zA-Z0-9_]*)", name)
    return match.group(1) if match else "?"


def main():
    data = open(sys.argv[1], "rb").read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    imported = 0
    bodies, names, totals = [], {}, Counter()
    for kind, body in sections(data):
        totals[kind] += len(body)
        if kind == 2:  # imports: count imported functions (they come first)
            count, j = leb(body, 0)
            for _ in range(count):
                for _ in range(2):
                    n, j = leb(body, j)
                    j += n
                desc = body[j]
                j += 1
                if desc == 0:
                    _, j = leb(body, j)
                    imported += 1
                elif desc == 1:
                    j += 1
                    flags, j = leb(body, j)
                    _, j = leb(body, j)
                    if flags & 1:
                        _, j = leb(body, j)
                elif desc == 2:
                    flags, j = leb(body, j)
                    _, j = leb(body, j)
                    if flags & 1:
                        _, j = leb(body, j)
                elif desc == 3:
                    j += 2
        elif kind == 10:
            count, j = leb(body, 0)
            for _ in range(count):
                size, j = leb(body, j)
                bodies.append(size)
                j += size
        elif kind == 0:
            n, j = leb(body, 0)
            if body[j:j + n] != b"name":
                continue
            j += n
            while j < len(body):
                sub = body[j]
                size, j = leb(body, j + 1)
                if sub == 1:
                    count, k = leb(body, j)
                    for _ in range(count):
                        index, k = leb(body, k)
                        n, k = leb(body, k)
                        names[index] = body[k:k + n].decode("utf-8", "replace")
                        k += n
                j += size
    print(f"file {len(data)} bytes; code {totals[10]}, data {totals[11]}, custom {totals[0]}")
    funcs = [(size, names.get(imported + i, f"func{imported + i}")) for i, size in enumerate(bodies)]
    per_crate = Counter()
    for size, name in funcs:
        per_crate[crate_of(name)] += size
    print("\nby crate (first path segment):")
    for crate, size in per_crate.most_common(25):
        print(f"{size:>9}  {crate}")
    print(f"\nbiggest {top} functions:")
    for size, name in sorted(funcs, reverse=True)[:top]:
        print(f"{size:>9}  {name[:150]}")


if __name__ == "__main__":
    main()
