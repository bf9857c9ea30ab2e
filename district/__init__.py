"""motcua-hub: the upstream hub (district or, since the 2025 reform, province) of the commune appliances."""
from district.app import create_app

__all__ = ["create_app"]
