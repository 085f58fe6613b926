"""Forms of the library's editor pages: the study's metadata, with a file or a link. Validation is the
service's (`services.clean_metadata`, the same as the API's); the form only shapes the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ivcs.core.i18n import country_choices
from ivcs.library.models import DocLanguage, DocType, Document, Sector


class MetadataForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1950, max_value=2100)
    language = forms.ChoiceField(label=_("Language of the study"), choices=DocLanguage.choices)
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocType.choices)
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"), choices=Sector.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    hs_codes = forms.CharField(
        label=_("Products (HS codes)"),
        required=False,
        max_length=400,
        help_text=_("Chapters, headings or subheadings separated by commas, e.g. 0901, 180631"),
    )
    markets = forms.CharField(
        label=_("Markets"),
        required=False,
        max_length=400,
        help_text=_("Country codes separated by commas, e.g. US, DE, JP, or EU for the European Union"),
    )
    origin_country = forms.ChoiceField(label=_("Country of the exporters it addresses"), required=False)
    licence = forms.CharField(
        label=_("Licence"), required=False, max_length=200, help_text=_("e.g. CC BY 4.0, or All rights reserved")
    )
    source_url = forms.URLField(label=_("Link to the study"), required=False, max_length=500, assume_scheme="https")
    visibility = forms.ChoiceField(label=_("Who can find it"), choices=Document.Visibility.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["origin_country"].choices = [("", "—"), *country_choices()]  # type: ignore[attr-defined]

    def metadata(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["hs_codes"] = data.get("hs_codes") or ""
        data["markets"] = data.get("markets") or ""
        skip = ("file", "publisher", "publish")
        return {name: data.get(name) for name in self.fields if name in data and name not in skip}

    @classmethod
    def initial_for(cls, document: Document) -> dict[str, Any]:
        return {
            "title": document.title,
            "summary": document.summary,
            "year": document.year,
            "language": document.language,
            "doc_type": document.doc_type,
            "sectors": document.sectors,
            "hs_codes": ", ".join(document.hs_codes),
            "markets": ", ".join(document.markets),
            "origin_country": document.origin_country,
            "licence": document.licence,
            "source_url": document.source_url,
            "visibility": document.visibility,
        }


class UploadForm(MetadataForm):
    publisher = forms.ChoiceField(label=_("Publisher"))
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word (DOCX), HTML or plain text, at most 50 MB. Without a file, give the link."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.html,.htm,.txt"}),
    )
    publish = forms.BooleanField(label=_("Publish as soon as the text has been read"), required=False)
    field_order = ["publisher", "file", "source_url", "title", "language", "year", "doc_type", "summary"]

    def __init__(self, *args: Any, publishers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["publisher"].choices = [(p.slug, p.name) for p in publishers]  # type: ignore[attr-defined]
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Left empty, the file's own title is used.")
