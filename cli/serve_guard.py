"""What `leakledger serve` adds around Fava: the books' lock on its writes, a safe-page policy.

Fava writes the books on its own (the editor's `PUT api/source`, an entry's
slice saved or deleted, add-entries, an import upload, a document attached)
under an in-process lock only, and `set_source` truncates a file before it
writes it. So every request that can write (any method but GET, HEAD and
OPTIONS) holds the books folder's lock (leakledger.writer.BooksLock, the one
`add` and `import` take) from Flask's `before_request` to its
`teardown_request`: `leakledger add` never reads a half-written file, and
never writes between Fava's read of a file and its save. Fava is not patched.

Every response carries a Content-Security-Policy that allows scripts from
the server itself only: no inline script, no inline event handler (`onerror=`),
no `eval`. Fava 1.30 renders journal narrations unescaped; with the policy,
markup typed into the books can still show but can never run. Fava's own
bundle and the Leak model page's script are files, so they run.
"""

from __future__ import annotations

from pathlib import Path

from leakledger.writer import BooksLock, WriteError, books_file_of

__all__ = ["CONTENT_SECURITY_POLICY", "guard"]

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


def guard(fava_app, files) -> None:
    """Hold the books folders' lock around each of Fava's writing requests; send the policy."""
    from flask import g, jsonify, request

    folders = sorted({books_file_of(Path(f)).parent for f in files})  # one order, so no deadlock

    @fava_app.before_request
    def _lock_books():
        if request.method in _READS:
            return None
        held = []
        try:
            for folder in folders:
                held.append(BooksLock(folder).acquire())
        except WriteError as exc:
            for lock in reversed(held):
                lock.release()
            response = jsonify({"error": str(exc)})
            response.status_code = 503
            return response
        g.leakledger_locks = held
        return None

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
