"""The office's screens and the first setup: the screens lane's checks
(:mod:`appliance.ops.screen_checks`: paired screens, codes waiting, no administrator yet)."""
from __future__ import annotations

from ..check import Check
from ..screen_checks import check_screens
from .context import Context


def run(ctx: Context) -> list[Check]:
    return check_screens(ctx.settings.storage.path, ctx.now)
