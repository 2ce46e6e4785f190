"""Writing the site: into a temporary folder beside OUT, then one rename.

A reader never sees half a site: the pages are written into a fresh folder
next to OUT, and only a complete one is renamed into place. An earlier site
at OUT is swapped out by rename and then removed (if the second rename
fails, it is put back). OUT is replaced only when it is empty or is exactly
a site this command wrote: its manifest (`leakledger-site.json`) lists every
file with its hash, so a folder holding anything else (a file someone added
or edited, or no manifest at all) is refused in one line and left alone.

A run killed half way leaves its temporary folder (`.OUT.PID.XXXX.tmp`) or
the earlier site it swapped out (`.OUT.PID.XXXX.old`) beside OUT; the next
run removes those whose process is gone (the PID in the name says whose),
never another live run's.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from leakledger.errors import Refused

__all__ = ["MANIFEST", "GENERATOR", "manifest_of", "write_site", "check_replaceable", "remove_leftovers"]

MANIFEST = "leakledger-site.json"
GENERATOR = "leakledger publish"


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def manifest_of(files: dict[str, bytes], books: dict) -> bytes:
    """The manifest: who wrote the site, from which books, and every file's hash."""
    body = {"generator": GENERATOR, "books": books, "files": {p: _sha(c) for p, c in sorted(files.items())}}
    return (json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _walk(folder: Path):
    """Every file and symlink under `folder`, as posix paths relative to it (links not followed)."""
    for root, dirs, names in os.walk(folder):
        here = Path(root)
        for name in sorted(names) + sorted(d for d in dirs if (here / d).is_symlink()):
            yield (here / name).relative_to(folder).as_posix()


def check_replaceable(out: Path) -> None:
    """Refused unless OUT is missing, an empty folder, or an untouched earlier site."""
    if out.is_symlink():
        raise Refused(f"{out} is a symbolic link: refusing to replace it")
    if not out.exists():
        return
    if not out.is_dir():
        raise Refused(f"{out} exists and is not a folder: refusing to replace it")
    present = list(_walk(out))
    if not present:
        return
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        listed = manifest["files"] if manifest.get("generator") == GENERATOR else None
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        listed = None
    if not isinstance(listed, dict):
        raise Refused(f"{out} exists and is not a site leakledger published: refusing to replace it")
    for path in present:
        if path == MANIFEST:
            continue
        if path not in listed:
            raise Refused(f"{out} holds {path}, which leakledger publish did not write: refusing to replace it")
        full = out / path
        if full.is_symlink() or not full.is_file() or _sha(full.read_bytes()) != listed[path]:
            raise Refused(f"{out / path} changed since it was published: refusing to replace it")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_leftovers(out: Path) -> list[Path]:
    """Remove the temporary and swapped-out folders that killed runs left beside OUT; return them.

    Names with a PID are removed once that process is gone; names without one
    (`.OUT.XXXXXXXX.old` from before runs named their PID) are always left overs.
    """
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(?:(\d+)\.)?[A-Za-z0-9_]{{8}}\.(?:tmp|old)$")
    removed = []
    try:
        beside = list(out.parent.iterdir())
    except OSError:
        return removed
    for path in beside:
        match = pattern.match(path.name)
        if not match or path.is_symlink() or not path.is_dir():
            continue
        if match[1] is not None and (int(match[1]) == os.getpid() or _alive(int(match[1]))):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def write_site(out: Path, files: dict[str, bytes]) -> None:
    """Write `files` (site path -> bytes) as the folder OUT, atomically; see the module doc."""
    out = Path(os.path.abspath(out))
    check_replaceable(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out)
        temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp", dir=out.parent))
    except OSError as exc:
        raise Refused(f"cannot write {out}: {exc.strerror or exc}") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        temp.chmod(0o777 & ~umask)
        for path, content in files.items():
            target = temp / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".old", dir=out.parent))
            os.rename(out, old / "site")
            try:
                os.rename(temp, out)
            except OSError:
                os.rename(old / "site", out)  # the earlier site back in place
                old.rmdir()
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(temp, out)
    except OSError as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise Refused(f"cannot write {out}: {exc.strerror or exc}") from None
