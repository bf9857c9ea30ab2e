"""motcua: the commune one-stop office appliance."""
__version__ = "0.1.0"
