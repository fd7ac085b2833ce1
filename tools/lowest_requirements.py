"""The lowest releases requirements.txt allows, as pins: what `make test-oldest` installs.

Each ``name>=X[,<Y]`` becomes ``name==X`` when X names a full release (three parts or more, e.g.
``1.0.4.post1``) and ``name==X.*`` otherwise (``tensorflow>=2.16`` -> ``tensorflow==2.16.*``, the
newest patch of the lowest allowed minor release: a ``2.16.0`` need not exist). One-part bounds
are padded (``jupyterlab>=4`` -> ``jupyterlab==4.0.*``). Dependencies of these packages are left
to pip (the newest that fit), so this tests the lower bounds of what we state, not every
combination.

    python -m tools.lowest_requirements [requirements.txt] > lowest.txt
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*>=\s*([0-9][A-Za-z0-9.]*)")


def lowest(text: str) -> list[str]:
    pins = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = LINE.match(line)
        if not match:
            raise ValueError(f"no lower bound (>=) in requirement {line!r}")
        name, version = match.groups()
        parts = version.split(".")
        if len(parts) >= 3:
            pins.append(f"{name}=={version}")
        else:
            pins.append(f"{name}=={'.'.join(parts + ['0'] * (2 - len(parts)))}.*")
    return pins


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else ROOT / "requirements.txt"
    print("\n".join(lowest(path.read_text())))


if __name__ == "__main__":
    main()
