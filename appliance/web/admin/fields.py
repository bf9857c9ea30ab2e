"""Form pieces the admin pages share: whole numbers with Vietnamese messages, check-box lists.

WTForms' own number fields answer in English ("Not a valid integer value."), and it ships no
Vietnamese catalogue, so numbers are typed into text fields and checked here.
"""
from __future__ import annotations

from flask_babel import gettext as _
from wtforms import SelectMultipleField, StringField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class WholeNumber:
    """A whole number between ``lo`` and ``hi`` (both included); the field keeps what was typed."""

    def __init__(self, lo: int, hi: int, required: bool = True):
        self.lo, self.hi, self.required = lo, hi, required

    def __call__(self, form, field) -> None:
        text = (field.data or "").strip()
        if not text:
            if self.required:
                raise StopValidation(_("Hãy nhập một số từ %(lo)s đến %(hi)s.", lo=self.lo, hi=self.hi))
            return
        try:
            value = int(text)
        except ValueError:
            raise ValidationError(_("“%(text)s” không phải số nguyên; hãy nhập số từ %(lo)s đến %(hi)s.",
                                    text=text, lo=self.lo, hi=self.hi)) from None
        if not self.lo <= value <= self.hi:
            raise ValidationError(_("Số phải từ %(lo)s đến %(hi)s.", lo=self.lo, hi=self.hi))


def whole(field: StringField, default: int = 0) -> int:
    """The value of a field checked by :class:`WholeNumber`."""
    text = (field.data or "").strip()
    return int(text) if text else default


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of check boxes (weekdays, a counter's services)."""
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
