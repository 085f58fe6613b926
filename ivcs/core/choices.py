"""Choices more than one domain uses, so that a profile and an opportunity speak of units and
languages in the same words (and the matching engine compares them without a mapping)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ES = "es", _("Spanish")
    PT = "pt", _("Portuguese")
    EN = "en", _("English")


class Unit(models.TextChoices):
    """Units of a quantity or a yearly capacity (ivcs.engines.matching.data.UNITS)."""

    KG = "kg", _("kilograms")
    T = "t", _("tonnes")
    L = "l", _("litres")
    M3 = "m3", _("cubic metres")
    UNITS = "units", _("units")
    M2 = "m2", _("square metres")
    M = "m", _("metres")
    HOURS = "hours", _("hours")
    SERVICES = "services", _("services")
