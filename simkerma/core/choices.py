from django.db import models
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    """The tridharma fields a cooperation serves."""

    PENDIDIKAN = "pendidikan", _("Education")
    PENELITIAN = "penelitian", _("Research")
    PKM = "pkm", _("Community service")


class Level(models.TextChoices):
    INTERNASIONAL = "internasional", _("International")
    NASIONAL = "nasional", _("National")
    WILAYAH = "wilayah", _("Regional/local")
