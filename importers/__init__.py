"""beangulp importers for leak sheets."""
