"""Catalog data files (TOML): procedures, field blocks, holidays, reference lists.

Read by :mod:`appliance.catalog.loader`, checked by :mod:`appliance.domain.catalog`; the format is
described in docs/catalog.md.
"""
