"""The root of every error motcua raises, and the families that have no other home.

Every exception class defined in ``appliance/`` and ``district/`` derives from :class:`MotcuaError`
(``tests/test_error_tree.py`` walks the modules and checks it), so a caller can catch "anything
motcua refused" in one clause, as gpiozero's ``GPIOZeroError`` lets one catch any of its errors.
A class that callers or libraries must still be able to catch as a builtin (``ValueError``,
``KeyError``) inherits from both and says why in a comment.

This module imports nothing: the hub (``district/``) takes its root from here too
(``district.domain.errors.HubError``), which is safe because one wheel ships both packages and
this file pulls no other appliance code. The tree (docs/errors.md has the whole of it)::

    MotcuaError
    ├── ConfigError              appliance.config
    ├── StoreError               appliance.store.db
    ├── DomainError              appliance.domain.errors: a stable code, a field, a message
    │   ├── NotFound · Conflict · Unprocessable · Unavailable
    │   └── DossierError         appliance.domain.dossiers (+ DossierNotFound, …, FormInvalid)
    ├── FieldError               appliance.domain.fields (also ValueError)
    ├── CalendarError            appliance.domain.calendar
    ├── CatalogError             appliance.domain.catalog.problems
    ├── DeviceError
    │   ├── PrinterError         PrinterUnavailable, FontMissingError, JobNotFound
    │   ├── PagerError           appliance.pager.frames
    │   ├── SmsError             appliance.sms.transport (SmsLinkError, SmsRejected)
    │   └── AudioError           SpeechError, BadWav, UnknownClip
    ├── SyncError · EnrolmentError   appliance.sync
    ├── HolidayInputError · NotPrintable · PdfError   appliance.web
    └── HubError                 district.domain.errors (the hub's root)

The HTTP status of a refusal is not part of the error: the web layers map error kinds to statuses
(``appliance.web.errors.STATUS``, ``district.api.errors.STATUS``).
"""
from __future__ import annotations


class MotcuaError(Exception):
    """Base of every motcua error; ``str()`` is a sentence (Vietnamese) an officer can act on."""


class DeviceError(MotcuaError):
    """A peripheral (printer, pager transmitter, speaker) could not do what was asked."""


class PrinterError(DeviceError):
    """The ticket printer: unreachable, no usable font, or a job no longer kept."""


class AudioError(DeviceError):
    """Announcements: speech synthesis, WAV files, clip names."""
