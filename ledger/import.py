"""beangulp import script for leak sheets (CSV or JSON, one figure per row).

    python ledger/import.py identify ledger/imports
    python ledger/import.py extract SHEET.csv -e ledger/main.beancount

With `-e`, rows already recorded in the books are printed commented out, as
duplicates. Fava's import page runs this same file (ledger/import.beancount
names it as `import-config`). To write a sheet into the books with the checks
of `leakledger add`, use `leakledger import SHEET`.
"""

import os

# Beancount's pickle cache ignores plugin changes; `-e` must see the books as they are.
os.environ.setdefault("BEANCOUNT_DISABLE_LOAD_CACHE", "1")

import beangulp  # noqa: E402
from leakledger.importers.leaksheet import LeakSheetImporter  # noqa: E402

# Fava runs this file with runpy (not as __main__): there a refused sheet is one
# Note on the import page, not an HTTP 500; beangulp's CLI prints the one-line error.
CONFIG = [LeakSheetImporter(refusal_as_note=__name__ != "__main__")]

if __name__ == "__main__":
    beangulp.Ingest(CONFIG)()
