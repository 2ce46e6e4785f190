"""What `leakledger serve` adds around Fava: the books' lock on every request, fresh views for writes,
stable addresses, a safe-page policy.

Fava writes the books on its own (the editor's `PUT api/source`, an entry's
slice saved or deleted, add-entries, an import upload, a document attached)
under an in-process lock only, and `set_source` truncates a file before it
writes it. So every request holds the books folder's lock
(leakledger.books_lock, the one `add`, `import` and the readers take) from
before Fava's own request hooks (which reload changed books) to
`teardown_request`: exclusive for a request that can write (any method but
GET, HEAD and OPTIONS), shared for the others. A reload or a page then sees
each file as it was before a save or after it, `leakledger add` never reads
a half-written file, and never writes between Fava's read of a file and its
save.

Fava notices changes through a file watcher that lags other processes by
tens of milliseconds, and `api/attach_document` (and an upload with an
entry's hash) inserts metadata at the line number its view remembers. So a
writing request first reloads its book if any file it includes hashes other
than at its last load: no write works from a stale view (an entry whose
lines moved is then not found by its old hash, and nothing is written).
`PUT api/source` is the exception: it carries the whole file and the
sha256 it was read with, and Fava refuses it if the file changed.

An include of a device or a FIFO (`include "/dev/zero"`) typed into the
books while `serve` runs would hang Fava's next reload for good, holding
the books' lock. So every reload first walks the includes
(leakledger.books.walk_includes); a book that has one is not reloaded, and
every request for it answers the one `error:` line (JSON `{"error": ...}`
for Fava's API) until the include is gone, when the next request reloads it.

Fava names a book's address after its title, read again at every reload;
`serve` prints the address once, so the slugs are fixed at start
(`StableSlugs`) and the printed address answers whatever a reload finds.

Text from the books is never markup: Fava 1.30 renders journal rows with
autoescaping off, and `escape_everything` (leakledger.fava_ext.escaping)
turns it back on in every template, whether or not the books load the Leak
model extension. Every response also carries a Content-Security-Policy that
allows scripts from the server itself only: no inline script, no inline
event handler (`onerror=`), no `eval`. Fava's own bundle and the Leak model
page's script are files, so they run.

Fava's add form and import page save (`api/add_entries`) only what leaves
the books with no error they did not have, as `leakledger add` writes
(leakledger.fava_ext.added_figures.guard_add_entries, whether or not the
books load the Leak model extension): a save that adds one is undone, every
file put back byte-for-byte, and answered with `add`'s one line.

Fava's add form takes any `url:` as typed; `add_entries` (the form's save,
and the import page's) is refused with one line, nothing written, when a
`url:` or `reported-url:` is no web address (leakledger.urls, the check
`leakledger add` and leak sheets use).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from leakledger.books import NotARegularFile, walk_includes
from leakledger.books_lock import BooksBusy, BooksLock, books_folder_of
from leakledger.urls import URL_KEYS, url_error

__all__ = ["CONTENT_SECURITY_POLICY", "StableSlugs", "added_url_error", "guard"]

#: Scripts only from this server (Fava's bundle, the extension's module); inline styles are
#: Fava's own (its charts and editor set them), images may be data: URIs (Fava's icons).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # 'wasm-unsafe-eval' lets Fava's editor and query page compile their bundled
        # tree-sitter WebAssembly (syntax highlighting); it allows no JavaScript eval.
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


#: Writing requests that do not read the book's entries: they need no reload first.
_NO_VIEW = frozenset({"json_api.put_source", "json_api.put_format_source", "json_api.put_upload_import_file"})


class StableSlugs:
    """Fava's books by the slugs they had at start, whatever a reload later finds in their titles.

    Stands in for Fava's `_LedgerSlugLoader` in `app.config["LEDGERS"]`, with
    the same reading interface; the books are the same objects, reloaded in place.
    """

    def __init__(self, loader) -> None:
        self._loader = loader
        self._by_slug = dict(loader.ledgers_by_slug)

    @property
    def ledgers(self) -> list:
        return self._loader.ledgers

    @property
    def ledgers_by_slug(self) -> dict:
        return self._by_slug

    def first_slug(self) -> str:
        return next(iter(self._by_slug))

    def items(self):
        return self._by_slug.items()

    def __getitem__(self, slug: str):
        return self._by_slug[slug]


def _digests(paths) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for path in paths:
        try:
            found[path] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            found[path] = None
    return found


class _LoadedFiles:
    """The sha256 of each file a Fava book included, as of its last load (taken under the books' lock),
    and the books whose last reload was refused (an include that is no regular file)."""

    def __init__(self) -> None:
        self._seen: dict[int, dict[str, str | None]] = {}
        self.refused: set[int] = set()

    def record(self, ledger) -> None:
        self._seen[id(ledger)] = _digests(ledger.options["include"])

    def watch(self, ledger) -> None:
        """Record the book's files now and after each of its loads.

        FavaLedger has __slots__, so its `load_file` cannot be wrapped on the
        instance: the instance gets a subclass that records after each load
        (Fava's class itself is left as it is).
        """
        files = self
        base = type(ledger)

        def load_file(self) -> None:
            try:
                walk_includes(self.beancount_file_path)  # before Beancount opens /dev/zero
            except NotARegularFile:
                files.refused.add(id(self))
                raise
            files.refused.discard(id(self))
            base.load_file(self)
            files.record(self)

        # Built with type(): its base is the instance's class, known only at run time.
        ledger.__class__ = type("RecordingLedger", (base,), {"__slots__": (), "load_file": load_file})
        self.record(ledger)

    def refresh(self, ledger) -> bool:
        """Reload the book if a file it includes changed since its last load; whether it did."""
        seen = self._seen.get(id(ledger))
        if seen is not None and _digests(seen) == seen:
            return False
        ledger.load_file()
        ledger.watcher.check()  # the watcher's later notice of the same change is no reason to load again
        return True


def added_url_error(entries) -> str | None:
    """The first `url:` (or `reported-url:`) in Fava's JSON of entries to add that is no web address, in one line."""
    for entry in entries if isinstance(entries, list) else []:
        meta = entry.get("meta") if isinstance(entry, dict) else None
        for key in URL_KEYS:
            if isinstance(meta, dict) and key in meta and (problem := url_error(key, meta[key])):
                return problem
    return None


def guard(fava_app, files) -> None:
    """Lock the books around each of Fava's requests, reload before a write, fix the slugs, escape, send the policy.

    Call it after `create_app(..., load=True)`, with the books' shared lock
    held (so the digests recorded are those of the books Fava loaded).
    """
    from flask import g, jsonify, request
    from leakledger.fava_ext.added_figures import guard_add_entries
    from leakledger.fava_ext.escaping import escape_everything

    escape_everything(fava_app)
    guard_add_entries(fava_app)
    folders = sorted({books_folder_of(Path(f)) for f in files})  # one order, so no deadlock
    fava_app.config["LEDGERS"] = ledgers = StableSlugs(fava_app.config["LEDGERS"])
    loaded = _LoadedFiles()
    for ledger in ledgers.ledgers:
        loaded.watch(ledger)

    def _lock_books():
        writes = request.method not in _READS
        held = []
        try:
            for folder in folders:
                held.append(BooksLock(folder, shared=not writes).acquire())
        except BooksBusy as exc:
            for lock in reversed(held):
                lock.release()
            response = jsonify({"error": str(exc)})
            response.status_code = 503
            return response
        g.leakledger_locks = held
        ledger = getattr(g, "ledger", None)
        if ledger is not None and id(ledger) in loaded.refused:
            ledger.load_file()  # the bad include is still there (NotARegularFile), or the book loads again
            ledger.watcher.check()
        elif writes and ledger is not None and request.endpoint not in _NO_VIEW:
            loaded.refresh(ledger)
        return None

    @fava_app.errorhandler(NotARegularFile)
    def _not_a_regular_file(error):
        line = f"error: {error}"
        if request.blueprint == "json_api":
            response = jsonify({"error": line})
        else:
            response = fava_app.response_class(line + "\n", mimetype="text/plain")
        response.status_code = 500
        return response

    # First of all before-request hooks: Fava's own one reloads changed books, under the lock.
    fava_app.before_request_funcs.setdefault(None, []).insert(0, _lock_books)

    @fava_app.before_request
    def _refuse_bad_urls():
        """Fava's add form (and its import page's "save") writes `url:` as typed: refuse what is no web address."""
        if request.endpoint != "json_api.put_add_entries":
            return None
        problem = added_url_error((request.get_json(silent=True) or {}).get("entries"))
        if problem is None:
            return None
        response = jsonify({"error": f"error: {problem}; nothing was written"})
        response.status_code = 400
        return response

    @fava_app.teardown_request
    def _unlock_books(_exc=None):
        held = getattr(g, "leakledger_locks", [])  # Fava's `g` has no .pop()
        g.leakledger_locks = []
        for lock in reversed(held):
            lock.release()

    @fava_app.after_request
    def _policy(response):
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
