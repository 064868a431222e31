"""``python -m kitlib.tables [--check] [TABLE ...]``: rebuild the shipped table files.

Computes every registered table at its shipped parameter sets (see ``kitlib.tables._cache``),
writes ``kitlib/tables/data/<name>-<key>.npz`` and deletes files no table names any more.
``--check`` writes nothing and exits 1 if a shipped file is missing or stale.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from kitlib.tables import DATA_DIR, load_all
from kitlib.tables._cache import write_fingerprint_memo


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only report missing or stale files")
    ap.add_argument("names", nargs="*", help="table names (default: all)")
    args = ap.parse_args(argv)
    os.environ["KITLIB_TABLES"] = "compute"
    specs = load_all()
    if not args.check:
        write_fingerprint_memo()
    unknown = sorted(set(args.names) - set(specs))
    if unknown:
        ap.error(f"unknown tables {unknown}; known: {sorted(specs)}")
    wanted = {spec.path(p).name for spec in specs.values() for p in spec.shipped()}
    missing = []
    for name, spec in sorted(specs.items()):
        if args.names and name not in args.names:
            continue
        for params in spec.shipped():
            path = spec.path(params)
            if args.check:
                if not path.is_file():
                    missing.append(path.name)
                continue
            t0 = time.perf_counter()
            spec.save(params, spec.compute(params))
            print(f"{name:40s} {str(params)[:40]:40s} {time.perf_counter() - t0:7.1f} s "
                  f"{path.stat().st_size / 1024:8.0f} KiB", flush=True)
    stale = sorted(p.name for p in DATA_DIR.glob("*.npz") if p.name not in wanted)
    if args.check:
        for n in missing:
            print(f"missing: {n}")
        for n in stale:
            print(f"stale:   {n}")
        return 1 if missing else 0
    if not args.names:
        for n in stale:
            (DATA_DIR / n).unlink()
            print(f"removed stale {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
