"""The HS nomenclature in the database: reference data shared by every tenant and module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HsCode(models.Model):
    """A chapter (2 digits), heading (4) or subheading (6) of the Harmonized System."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=[(2, _("chapter")), (4, _("heading")), (6, _("subheading"))]
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    section = models.CharField(_("section"), max_length=5)
    vintage = models.CharField(_("vintage"), max_length=20, default="HS 2022")
    description_en = models.TextField(_("description (English)"))
    description_es = models.TextField(_("description (Spanish)"), blank=True, default="")
    description_pt = models.TextField(_("description (Portuguese)"), blank=True, default="")
    source_en = models.CharField(_("source (English)"), max_length=20, blank=True, default="")
    source_es = models.CharField(_("source (Spanish)"), max_length=20, blank=True, default="")
    source_pt = models.CharField(_("source (Portuguese)"), max_length=20, blank=True, default="")
    search_text = models.JSONField(_("extra search words"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="hs_level_code_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.description_en[:60]}"

    def description(self, language: str) -> tuple[str, str]:
        """(text, language used): the language asked for, else English."""
        code = "pt" if language.startswith("pt") else language
        text = getattr(self, f"description_{code}", "") if code in {"es", "pt", "en"} else ""
        return (text, code) if text else (self.description_en, "en")
