"""The books a site is published from: their files, a content hash, an archive.

The files are the ones Beancount read (the top-level file and everything it
includes, for the base books and each scenario), kept at their paths
relative to the books folder, so the copy in the site loads as it is. A
file from outside that folder is refused before anything is loaded
(`refuse_outside`): it may be anyone's, and its path in the archive would
name folders of the machine. The hash covers those paths and bytes and
nothing else (no mtime, no absolute path), so the same books give the same
hash on any machine.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from leakledger.errors import UsageError

__all__ = ["BookFiles", "books_of", "refuse_outside"]

#: Zip entries carry this date (the earliest a zip can hold), so the archive is byte-stable.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class BookFiles:
    """The files of the books: relative path -> bytes, in path order."""

    files: dict[str, bytes]
    top: str  # the relative path of the top-level file

    @cached_property  # every page's footer names it
    def sha256(self) -> str:
        digest = hashlib.sha256()
        for path, content in self.files.items():
            digest.update(path.encode("utf-8") + b"\0" + str(len(content)).encode() + b"\0" + content)
        return digest.hexdigest()

    def archive(self, folder: str = "books") -> bytes:
        """A zip of the files under `folder/`, with fixed dates and modes: the same books, the same bytes."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path, content in self.files.items():
                info = zipfile.ZipInfo(f"{folder}/{path}", date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3
                archive.writestr(info, content)
        return buffer.getvalue()


def refuse_outside(tops: list[Path], root: Path) -> None:
    """UsageError for a top-level file or an include that lies outside the books folder `root`.

    The line names the include by its line in the books and as written there,
    nothing else of the machine.
    """
    from leakledger.books import outside_includes

    for top in tops:
        if not top.is_relative_to(root):
            raise UsageError(
                f"scenario book {top.name} lies outside the books folder: publish would ship it with its "
                "folder names; copy it into the books' scenarios/ folder; nothing was published"
            )
        if outside := outside_includes(top, root):
            found = outside[0]
            raise UsageError(
                f"{os.path.relpath(found.file, root)}:{found.line}: include {found.written!r} lies outside the "
                "books folder: publish would ship it in books.zip with its folder names; move it into the "
                "books folder or drop the include; nothing was published"
            )


def books_of(top_files: list[Path], option_maps: list[dict], root: Path) -> BookFiles:
    """The files Beancount loaded for each top-level file (its options' `include` list), relative to `root`."""
    paths = []
    for top, options in zip(top_files, option_maps):
        for name in [str(top), *options.get("include", ())]:
            path = Path(name).resolve()
            if path.is_file() and path not in paths:
                paths.append(path)
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in paths}
    return BookFiles(dict(sorted(files.items())), Path(top_files[0]).resolve().relative_to(root).as_posix())
