"""The families of ``motcua doctor`` checks, one module each, run in the order an officer fixes them.

A family is a module with ``run(ctx) -> list[Check]`` (``ctx``: :class:`.context.Context`, the
settings and the machine's parts a test replaces). To add checks, write a module here and put it
in :data:`FAMILIES`; a family never raises for a broken part, it reports it."""
from __future__ import annotations

from . import (
               audio,
               catalog,
               clock,
               config_file,
               database,
               devices,
               disk,
               fonts,
               gpio,
               office,
               screens,
               sms,
               sync,
               units,
               usb,
)

FAMILIES = (config_file, database, office, screens, fonts, devices, sms, usb, gpio, audio, clock, disk, sync,
            catalog, units)
