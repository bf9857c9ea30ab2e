"""Guest pagers (thẻ rung): pure encoders, transports (serial, GPIO wave, sim) and the pager service.

``make_encoder(settings.pager)`` and ``make_transport(settings.pager)`` build what the config names;
``PagerService`` pages on bus events with repeats, de-duplication and health; ``page_once`` serves
``motcua page N``.
"""
from .command import page_once
from .encoder import Encoder, PulseEncoder
from .encoders import PULSE_PROTOCOLS, SERIAL_DEFAULTS, make_encoder
from .frames import PagerError, Pulse, Reply, Transmission
from .service import PagerService
from .transport import Transport
from .transports import make_transport

__all__ = [
    "Encoder", "PulseEncoder", "PagerError", "PagerService", "Pulse", "PULSE_PROTOCOLS", "Reply",
    "SERIAL_DEFAULTS", "Transmission", "Transport", "make_encoder", "make_transport", "page_once",
]
