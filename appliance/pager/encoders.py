"""``make_encoder(settings.pager)``: the protocol named in the config, its options validated."""
from __future__ import annotations

from collections.abc import Callable

from appliance.config import ConfigError, Pager

from .bridge import make_bridge
from .encoder import Encoder
from .jtech import JtechEncoder
from .lrs import LrsEncoder
from .options import Options, service_options
from .retekess import T119Encoder, Td157Encoder, Td158Encoder
from .waveware import WaveWareEncoder

RADIOS: dict[str, Callable[[int, Options], Encoder]] = {
    "retekess-td157": Td157Encoder, "retekess-td158": Td158Encoder, "retekess-t119": T119Encoder}
PULSE_PROTOCOLS = tuple(RADIOS)
#: pyserial settings each serial transmitter expects (the URL's ?baudrate=…&rtscts=… override them).
SERIAL_DEFAULTS = {
    "jtech-8214": {"baudrate": 1200, "rtscts": True},
    "jtech-j1901": {"baudrate": 19200, "rtscts": False},
    "waveware": {"baudrate": 9600, "rtscts": False},
    "lrs-t74": {"baudrate": 9600, "rtscts": False},
    "bridge": {"baudrate": 115200, "rtscts": False},
}


def make_encoder(settings: Pager) -> Encoder:
    protocol = settings.protocol
    opts = Options(settings.options, protocol)
    common = service_options(settings.options, protocol)
    sid = settings.system_id
    if protocol in ("jtech-8214", "jtech-j1901"):
        encoder: Encoder = JtechEncoder(protocol, sid, opts)
    elif protocol == "waveware":
        encoder = WaveWareEncoder(sid, opts, common.reply_timeout_s)
    elif protocol == "lrs-t74":
        encoder = LrsEncoder(sid, opts)
    elif protocol == "bridge":
        encoder = make_bridge(sid, opts, common.reply_timeout_s, RADIOS)
    elif protocol in RADIOS:
        encoder = RADIOS[protocol](sid, opts)
    else:
        raise ConfigError(f"Cấu hình sai [pager].protocol = {protocol!r}: phải là một trong "
                          + ", ".join(list(SERIAL_DEFAULTS) + list(RADIOS)))
    opts.finish()
    return encoder
