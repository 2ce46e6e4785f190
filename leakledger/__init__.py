"""leakledger: double-entry books of the money between OpenAI and Microsoft.

Shared logic lives in this package (periods, amounts, the model and its
arithmetic, figures, report frames); `leakledger.plugins`, `.importers`,
`.cli` and `.fava_ext` build on it.
"""

__version__ = "0.1.0"
