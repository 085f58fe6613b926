"""Rules of origin as reference data: the schemes (agreements) and their product-specific rule sets.

Loaded by `ivcs import-origin` from data/rules_of_origin/ (UK schemes, EU agreements) through the framework-free
engine (ivcs.engines.origin). Shared by every tenant. A rule set keeps the engine's parsed form
(`parsed`, from `as_dict()`) and, optionally, an operator's structured form (`hand_written`), which wins
over the parsed one and survives re-imports (matched by `key`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.Model):
    """One agreement's rules of origin (e.g. "andean": UK-Andean countries)."""

    id = models.SlugField(_("id"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=300)
    parties = models.JSONField(_("parties"), default=list, help_text=_("ISO 3166-1 alpha-2 codes, GB included"))
    provisions = models.JSONField(_("provisions"), default=dict, help_text=_("cumulation, tolerances, notes"))
    source = models.CharField(_("source"), max_length=300)
    vintage = models.CharField(_("vintage"), max_length=200, blank=True, default="")
    hs_version = models.CharField(_("HS version"), max_length=20)
    rule_sets = models.PositiveIntegerField(_("rule sets"), default=0)
    rules = models.PositiveIntegerField(_("rules"), default=0)
    structured_rule_sets = models.PositiveIntegerField(_("structured rule sets"), default=0)
    imported_at = models.DateTimeField(_("imported at"))
    by_operator = models.BooleanField(
        _("entered by an operator"),
        default=False,
        help_text=_(
            "Loaded from an operator's scheme file (ivcs import-origin --scheme-file), not from the shipped data"
        ),
    )

    class Meta:
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def structured_share(self) -> float:
        return round(self.structured_rule_sets / self.rule_sets, 4) if self.rule_sets else 0.0


class RuleSet(models.Model):
    """The rules of one heading (or part of it: `ex`) over a range of codes, in one scheme."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=80, help_text=_("stable within a scheme"))
    position = models.PositiveIntegerField(_("position"), default=0)
    heading = models.CharField(_("heading"), max_length=60)
    min_code = models.CharField(_("first HS subheading"), max_length=6, db_index=True)
    max_code = models.CharField(_("last HS subheading"), max_length=6, db_index=True)
    low = models.CharField(_("first commodity code"), max_length=12)
    high = models.CharField(_("last commodity code"), max_length=12)
    ex = models.BooleanField(_("ex heading"), default=False, help_text=_("covers only part of the heading"))
    subdivision = models.TextField(_("subdivision"), blank=True, default="")
    texts = models.JSONField(_("texts"), default=list)
    parsed = models.JSONField(_("parsed form"), default=dict)
    structured = models.BooleanField(_("structured"), default=False, db_index=True)
    hand_written = models.JSONField(
        _("hand-written form"),
        null=True,
        blank=True,
        help_text=_("A structured rule written by an operator; it is used instead of the parsed form."),
    )
    hand_written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hand-written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hand_written_at = models.DateTimeField(_("hand-written at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["scheme", "position"]
        constraints = [models.UniqueConstraint(fields=["scheme", "key"], name="one_rule_set_per_key")]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.heading}"
