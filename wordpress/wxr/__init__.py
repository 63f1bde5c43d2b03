"""Reading WordPress WXR export files (no models: the importer builds on this)."""
