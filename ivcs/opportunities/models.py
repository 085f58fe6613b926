# mypy: disable-error-code="django-manager-missing"
# (django-scopes builds its managers at run time, so the plugin cannot name their related managers.)
"""Buyers' purchasing opportunities and what SMEs do with them.

An `Opportunity` belongs to a buyer organisation (and so to its tenant): what it wants to buy
(`OpportunityProduct`: an HS code and/or words), the certifications it asks for
(`OpportunityRequirement`: any of some schemes, or any scheme a body such as GFSI recognises), how
much, where, by when. Edits after publication are kept as `OpportunityRevision`s so that SMEs can
see what changed. An `Engagement` is one SME organisation's relation to one opportunity: saved,
dismissed or interested (with a message), and the buyer's answer to an interested SME.

Rows are written only by ivcs.opportunities.services; the denormalised `search_text` and
`eligible_index` are maintained there so that filters run in SQL on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from ivcs.accounts.models import Organisation, User
from ivcs.core.choices import Language, Unit
from ivcs.products.models import HsCode
from ivcs.standards.models import Scheme

# The eleven Incoterms 2020 rules.
INCOTERMS = ("EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF")

TITLE_MAX = 200
DESCRIPTION_MAX = 8000
TEXT_MAX = 8000
SHORT_TEXT_MAX = 500
MESSAGE_MAX = 2000


class Frequency(models.TextChoices):
    ONCE = "once", _("once")
    WEEKLY = "weekly", _("every week")
    MONTHLY = "monthly", _("every month")
    QUARTERLY = "quarterly", _("every quarter")
    YEARLY = "yearly", _("every year")


INCOTERM_CHOICES = [(code, code) for code in INCOTERMS]


class Opportunity(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")
        AWARDED = "awarded", _("awarded")

    buyer = models.ForeignKey(
        Organisation,
        verbose_name=_("buyer"),
        on_delete=models.CASCADE,
        related_name="opportunities",
        limit_choices_to={"kind": Organisation.Kind.BUYER},
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX, blank=True, default="")
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True, default="")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ES)
    services_allowed = models.BooleanField(
        _("services allowed"), default=False, help_text=_("Offers of services (without an HS code) are welcome.")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, blank=True, default="")
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.ONCE)
    delivery_country = models.CharField(
        _("delivery country"), max_length=2, blank=True, default="", help_text=_("ISO 3166-1 alpha-2 code")
    )
    delivery_place = models.CharField(_("delivery place"), max_length=SHORT_TEXT_MAX, blank=True, default="")
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=INCOTERM_CHOICES, blank=True, default="")
    eligible_countries = models.JSONField(
        _("eligible supplier countries"), default=list, blank=True, help_text=_("ISO codes; empty means any country")
    )
    other_requirements = models.TextField(_("other requirements"), max_length=TEXT_MAX, blank=True, default="")
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    contact_method = models.CharField(_("how to get in touch"), max_length=SHORT_TEXT_MAX, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    # Maintained by the services: folded words of the texts, and "|CL|PE|" for eligible countries.
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    eligible_index = models.CharField(
        _("eligible countries index"), max_length=800, blank=True, default="", editable=False
    )

    objects: ClassVar[models.Manager[Opportunity]] = ScopedManager(tenant="buyer__tenant")

    class Meta:
        verbose_name = _("purchasing opportunity")
        verbose_name_plural = _("purchasing opportunities")
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="opp_status_deadline_idx"),
            models.Index(fields=["buyer", "status"], name="opp_buyer_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | models.Q(quantity__gt=0), name="opp_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"


class OpportunityProduct(models.Model):
    """One thing the buyer wants: an HS code (chapter, heading or subheading) and/or words."""

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="products"
    )
    hs_code = models.ForeignKey(
        HsCode, verbose_name=_("HS code"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(_("description"), max_length=SHORT_TEXT_MAX, blank=True, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects: ClassVar[models.Manager[OpportunityProduct]] = ScopedManager(tenant="opportunity__buyer__tenant")

    class Meta:
        verbose_name = _("product wanted")
        verbose_name_plural = _("products wanted")
        ordering = ["opportunity", "position", "id"]

    def __str__(self) -> str:
        return " ".join(part for part in (self.hs_code_id or "", self.text) if part)


class OpportunityRequirement(models.Model):
    """A certification asked for: any of `schemes`, or any scheme recognised by `recognised_by`."""

    class Level(models.TextChoices):
        MANDATORY = "mandatory", _("mandatory")
        PREFERRED = "preferred", _("preferred")

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="requirements"
    )
    schemes = models.ManyToManyField(Scheme, verbose_name=_("any of these schemes"), related_name="+", blank=True)
    recognised_by = models.CharField(
        _("or any scheme recognised by"), max_length=40, blank=True, default="", help_text=_("e.g. gfsi")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.MANDATORY)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects: ClassVar[models.Manager[OpportunityRequirement]] = ScopedManager(tenant="opportunity__buyer__tenant")

    class Meta:
        verbose_name = _("certification required")
        verbose_name_plural = _("certifications required")
        ordering = ["opportunity", "position", "id"]

    def __str__(self) -> str:
        return f"{self.opportunity_id} #{self.position + 1} ({self.level})"


class OpportunityRevision(models.Model):
    """One edit of a published opportunity: {field: [old, new]}."""

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="revisions"
    )
    changed_by = models.ForeignKey(
        User, verbose_name=_("changed by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by_label = models.CharField(_("changed by (label)"), max_length=200, blank=True, default="")
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changes = models.JSONField(_("changes"), default=dict)

    objects: ClassVar[models.Manager[OpportunityRevision]] = ScopedManager(tenant="opportunity__buyer__tenant")

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["opportunity", "-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.changed_at:%Y-%m-%d %H:%M} {', '.join(sorted(self.changes))}"


class Engagement(models.Model):
    """An SME organisation's relation to one opportunity, and the buyer's answer to it."""

    class State(models.TextChoices):
        SAVED = "saved", _("saved")
        DISMISSED = "dismissed", _("dismissed")
        INTERESTED = "interested", _("interested")

    class BuyerStatus(models.TextChoices):
        NONE = "none", _("no answer yet")
        SHORTLISTED = "shortlisted", _("shortlisted")
        AWARDED = "awarded", _("awarded")
        DECLINED = "declined", _("declined")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("SME"),
        on_delete=models.CASCADE,
        related_name="engagements",
        limit_choices_to={"kind": Organisation.Kind.SME},
    )
    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="engagements"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    message = models.TextField(_("message to the buyer"), max_length=MESSAGE_MAX, blank=True, default="")
    buyer_status = models.CharField(
        _("buyer's answer"), max_length=12, choices=BuyerStatus.choices, default=BuyerStatus.NONE
    )
    interested_at = models.DateTimeField(_("interest expressed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects: ClassVar[models.Manager[Engagement]] = ScopedManager(tenant="organisation__tenant")

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "opportunity"], name="one_engagement_per_sme"),
        ]
        indexes = [models.Index(fields=["opportunity", "state"], name="engagement_opp_state_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.opportunity_id} ({self.state})"
