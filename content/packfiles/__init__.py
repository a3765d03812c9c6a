"""Packs and the database as one source of truth: provenance, drift, and export.

`records` turns a pack's items into plain values twice over, from the files and from the
database, in one shape; the loader stores a hash of those values (`fingerprint`) on every item
it writes, so it can tell later whether an item was changed in the admin. `drift` compares
the two sides per pack (the loader's plan and the admin's drift report); `export` writes the
database's side back to the pack's files with one canonical writer (`yamlwriter`).
"""
