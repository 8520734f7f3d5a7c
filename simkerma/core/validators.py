import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()./-]{5,24}$")


def validate_phone(value: str) -> None:
    if value and not PHONE_PATTERN.match(value.strip()):
        raise ValidationError(
            _("Enter a phone or WhatsApp number with digits only, e.g. +62 812-3456-7890."),
            code="phone",
        )
