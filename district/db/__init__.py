"""Database access: engine construction and the portable column types."""
from district.db.engine import make_engine
from district.db.schema import metadata

__all__ = ["make_engine", "metadata"]
