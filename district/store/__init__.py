"""Everything that reads or writes the hub database. Functions take a SQLAlchemy connection."""
