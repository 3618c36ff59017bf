"""`make bench`: run every benchmark in bench/, one process each, and report which failed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHES = ("reading", "extraction", "intake", "api", "review")


def main(names: list[str]) -> int:
    failed = []
    for name in names or BENCHES:
        if not (Path(__file__).parent / f"{name}.py").exists():
            print(f"bench {name}: there is no bench/{name}.py", file=sys.stderr)
            failed.append(name)
            continue
        print(f"== bench {name}", flush=True)
        if subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"benches that failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
