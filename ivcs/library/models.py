"""The library of trade-intelligence studies: documents published by trade promotion organisations
and the passages they are split into for search.

A document belongs to its publisher (an organisation, usually a TPO); only the publisher's owners and
editors change it. Published documents are shared with every site of the installation (the studies
are the community's, as the seed says) unless the publisher keeps them to its own site. The file is
stored outside the static and media roots (IVCS_LIBRARY_DIR) and only ever served as an attachment.

Passages carry the text with its page number and a unit vector of the multilingual encoder (float16
bytes); the lexical index lives beside them in the database (SQLite FTS5 table or a PostgreSQL
tsvector column, see ivcs.library.fulltext), kept in step by ivcs.library.indexing.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ivcs.accounts.models import Organisation
from ivcs.tenants.models import Tenant


class DocType(models.TextChoices):
    MARKET_STUDY = "market_study", _("Market study")
    SECTOR_STUDY = "sector_study", _("Sector study")
    PRODUCT_PROFILE = "product_profile", _("Product profile")
    GUIDE = "guide", _("Guide")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    FOOD_BEVERAGE = "food_beverage", _("Food and beverage")
    ICT = "ict", _("ICT")
    TEXTILES = "textiles", _("Textiles")
    CLOTHING_FASHION = "clothing_fashion", _("Clothing and fashion")
    OTHER = "other", _("Other sectors")


class DocLanguage(models.TextChoices):
    ES = "es", _("Spanish")
    PT = "pt", _("Portuguese")
    EN = "en", _("English")
    OTHER = "other", _("Other language")


class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Extraction(models.TextChoices):
        NONE = "none", _("No file (link only)")
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Reading the file")
        DONE = "done", _("Text extracted")
        TRUNCATED = "truncated", _("Text extracted in part")
        NO_TEXT = "no_text", _("No text layer (scanned?)")
        ENCRYPTED = "encrypted", _("Encrypted")
        CORRUPT = "corrupt", _("Damaged or unreadable")
        FAILED = "failed", _("Failed")

    class Visibility(models.TextChoices):
        ALL_SITES = "all", _("Every site of the network")
        OWN_SITE = "site", _("Only the publisher's site")

    tenant = models.ForeignKey(Tenant, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+")
    publisher = models.ForeignKey(
        Organisation, verbose_name=_("publisher"), on_delete=models.PROTECT, related_name="library_documents"
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True, default="", max_length=4000)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=DocLanguage.choices, default=DocLanguage.ES)
    doc_type = models.CharField(_("type"), max_length=20, choices=DocType.choices, default=DocType.MARKET_STUDY)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    hs_codes = models.JSONField(_("products (HS codes)"), default=list, blank=True)
    markets = models.JSONField(_("markets"), default=list, blank=True, help_text=_("ISO 3166-1 alpha-2 codes or EU"))
    origin_country = models.CharField(_("origin country"), max_length=2, blank=True, default="")
    licence = models.CharField(_("licence"), max_length=200, blank=True, default="")
    source_url = models.URLField(_("link"), max_length=500, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        _("visibility"), max_length=5, choices=Visibility.choices, default=Visibility.ALL_SITES
    )
    is_demo = models.BooleanField(_("demo"), default=False)

    # The file: a path relative to IVCS_LIBRARY_DIR, never under the static or media roots.
    file_path = models.CharField(_("stored file"), max_length=300, blank=True, default="")
    file_name = models.CharField(_("file name"), max_length=200, blank=True, default="")
    file_kind = models.CharField(_("file type"), max_length=10, blank=True, default="")
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, default="", db_index=True)

    extraction = models.CharField(_("extraction"), max_length=10, choices=Extraction.choices, default=Extraction.NONE)
    extraction_progress = models.PositiveSmallIntegerField(_("extraction progress (%)"), default=0)
    extraction_code = models.CharField(_("extraction code"), max_length=40, blank=True, default="")
    extraction_detail = models.CharField(_("extraction detail"), max_length=500, blank=True, default="")
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    char_count = models.PositiveIntegerField(_("characters"), default=0)
    publish_on_read = models.BooleanField(
        _("publish once read"), default=False, help_text=_("Publish automatically when the text has been extracted")
    )
    suggestions = models.JSONField(
        _("suggestions"), default=dict, blank=True, help_text=_("language, HS codes and countries found in the text")
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    # Not scoped to the current site: published studies are shared across sites (see the module
    # docstring); ivcs.library.selectors.visible() applies the visibility rule everywhere.
    objects: ClassVar[models.Manager[Document]] = models.Manager()

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        ordering = ["-year", "title"]
        indexes = [
            models.Index(fields=["status", "visibility"], name="library_doc_status_idx"),
            models.Index(fields=["publisher", "status"], name="library_doc_publisher_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_file(self) -> bool:
        return bool(self.file_path)


class Passage(models.Model):
    """A piece of a document's text (about a paragraph or two) with its page number and vector."""

    document = models.ForeignKey(Document, verbose_name=_("study"), on_delete=models.CASCADE, related_name="passages")
    ordinal = models.PositiveIntegerField(_("position"))
    page = models.PositiveIntegerField(_("page"))
    language = models.CharField(_("language"), max_length=5)
    text = models.TextField(_("text"))
    vector = models.BinaryField(_("vector"), null=True, blank=True)

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ["document", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["document", "ordinal"], name="library_passage_position")]

    def __str__(self) -> str:
        return f"{self.document_id} p.{self.page} #{self.ordinal}"
