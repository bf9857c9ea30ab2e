"""Catalog data files (TOML): procedures, field blocks, holidays, reference lists.

Loaded and checked by :mod:`appliance.domain.catalog`; the format is described in docs/catalog.md.
"""
