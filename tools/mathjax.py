"""Put a copy of MathJax 3 where the book build publishes it, so the site needs no CDN.

Sphinx's default ``mathjax_path`` is a CDN address, so offline (a lab behind a firewall, a reader on
a train, CI) every formula shows as raw TeX. ``make book`` and ``make test`` run this first: it
fetches the npm registry's ``mathjax`` package at the exact version below, checks the tarball
against the registry's sha512 integrity string, and unpacks the parts a page uses into
``_vendor/mathjax/``. ``_config.yml`` lists ``_vendor`` in ``html_static_path`` and points
``mathjax_path`` at ``mathjax/tex-mml-chtml.js``, so the built site serves it from
``_static/mathjax/``. Nothing is fetched when the copy on disk already has this version.

Why fetched and not committed: the parts the site needs are about 8 MB of minified third-party
code (the TeX input and its extensions, the CommonHTML fonts, the menu and the accessibility
components it loads on demand); pinned by version and checksum, a fetch at install time is as
reproducible as a vendored copy and keeps the repository small. MathJax 3.2.2 is the last 3.x
release; 4.x configures differently from what Sphinx 7 writes into the pages.

    python -m tools.mathjax [--dest _vendor/mathjax] [--tarball mathjax-3.2.2.tgz]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import shutil
import subprocess
import tarfile
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = "3.2.2"
#: The npm registry's ``dist.integrity`` for mathjax@3.2.2.
INTEGRITY = "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw=="
TARBALL_URL = f"https://registry.npmjs.org/mathjax/-/mathjax-{VERSION}.tgz"
DEST = ROOT / "_vendor" / "mathjax"
#: What the pages load: the combined TeX+MathML/CommonHTML component, and what it loads on demand
#: (TeX extensions, fonts, the context menu, accessibility and speech).
KEEP = ("es5/tex-mml-chtml.js", "es5/input/", "es5/output/chtml", "es5/ui/", "es5/a11y/",
        "es5/adaptors/", "es5/sre/", "LICENSE")
ENTRY = "tex-mml-chtml.js"
STAMP = ".version"


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch_tarball() -> bytes:
    """The package tarball, by ``npm pack`` when npm is installed, else straight from the registry."""
    npm = shutil.which("npm")
    if npm:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([npm, "pack", "--silent", f"mathjax@{VERSION}"], cwd=tmp, check=True,
                           stdout=subprocess.DEVNULL)
            return (Path(tmp) / f"mathjax-{VERSION}.tgz").read_bytes()
    with urllib.request.urlopen(TARBALL_URL, timeout=120) as response:
        return response.read()


def unpack(data: bytes, dest: Path) -> int:
    """Unpack the kept parts of the tarball into ``dest`` (flattening ``package/es5/``)."""
    if integrity_of(data) != INTEGRITY:
        raise SystemExit(f"mathjax-{VERSION}.tgz does not match the registry's integrity "
                         f"{INTEGRITY}; refusing to use it")
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    count = 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/")
            if not member.isfile() or not name.startswith(KEEP):
                continue
            target = tmp / name.removeprefix("es5/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(member).read())
            count += 1
    (tmp / STAMP).write_text(INTEGRITY + "\n")
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    return count


def is_current(dest: Path = DEST) -> bool:
    stamp = dest / STAMP
    return (dest / ENTRY).is_file() and stamp.is_file() and stamp.read_text().strip() == INTEGRITY


def ensure(dest: Path = DEST, tarball: Path | None = None) -> bool:
    """Make ``dest`` hold MathJax ``VERSION``; True if it had to be (re)made."""
    if is_current(dest):
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    data = tarball.read_bytes() if tarball else fetch_tarball()
    count = unpack(data, dest)
    print(f"MathJax {VERSION}: {count} files in {dest}")
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=DEST)
    parser.add_argument("--tarball", type=Path, help="use this mathjax tarball instead of fetching")
    args = parser.parse_args(argv)
    ensure(args.dest, args.tarball)


if __name__ == "__main__":
    main()
