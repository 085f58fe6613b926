"""The standards pages as a user meets them: explorer, sector, scheme, comparison, certifier, buyer
(with its requirement sets' editor), gap analysis, certificates held and financing; in es/pt/en,
with bad input answered 400/404 and permissions enforced."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from ivcs.accounts.models import Membership, Organisation
from ivcs.core.i18n import country_name
from ivcs.standards.models import Buyer, Certifier, CertifierUpdate, HeldCertification, RequirementSet

pytestmark = pytest.mark.django_db

LANGS = ["es", "pt", "en"]
SECTOR_NAMES = {"es": "Alimentos y bebidas", "pt": "Alimentos e bebidas", "en": "Food and beverage"}


def money(language: str, low: int, high: int, currency: str = "USD") -> str:
    """A cost range as the page writes it in `language` (grouped digits, en dash)."""
    sep = {"es": "\xa0", "pt": ".", "en": ","}[language]
    return f"{low:,}".replace(",", sep) + "\u2013" + f"{high:,}".replace(",", sep) + f" {currency}"


def tr(language: str, msgid: str) -> str:
    with translation.override("pt-br" if language == "pt" else language):
        return translation.gettext(msgid)


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def scheme_links(html: str) -> set[str]:
    """The schemes listed as cards on the explorer."""
    cards = html.split('class="cards std-schemes"', 1)[-1].split("</ul>", 1)[0] if "std-schemes" in html else ""
    return set(re.findall(r'href="/standards/([a-z0-9_]+)/"', cards))


@pytest.fixture
def buyer_editor(catalogue: Any, make_user: Any, make_org: Any) -> Any:
    """A user who edits the buyer organisation linked to burger_co."""
    user = make_user()
    organisation = make_org(owner=user, kind=Organisation.Kind.BUYER, slug="burger-org", country="CO")
    Buyer.objects.filter(id="burger_co").update(organisation=organisation)
    return user


@pytest.fixture
def certifier_editor(catalogue: Any, make_user: Any, make_org: Any) -> Any:
    user = make_user()
    organisation = make_org(owner=user, kind=Organisation.Kind.CERTIFIER, slug="uno-org", country="CO")
    Certifier.objects.filter(id="certi_uno").update(organisation=organisation)
    return user


# --- 1. Explorer ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_explorer_shows_sectors_and_schemes_in_each_language(client: Client, catalogue: Any, lang: str) -> None:
    html = page(client, f"/standards/?lang={lang}")
    assert f'lang="{"pt-br" if lang == "pt" else lang}"' in html
    assert tr(lang, "Standards and certifications") in html
    assert tr(lang, "Which schemes apply to my product?") in html
    assert SECTOR_NAMES[lang] in html and 'href="/standards/sector/food_beverage/"' in html
    assert scheme_links(html) == {"iso_22000", "fssc_22000", "brcgs_food", "organic_eu", "gots"}
    assert 'action="/standards/compare/"' in html and 'name="s" value="gots"' in html
    assert tr(lang, "unverified") in html, "GOTS is verified: no"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=textiles", {"gots"}),
        ("sector=food_beverage.coffee_cocoa", {"iso_22000", "fssc_22000", "brcgs_food", "organic_eu"}),
        ("kind=organic", {"organic_eu"}),
        ("recognised_by=gfsi", {"fssc_22000", "brcgs_food"}),
        ("country=CO", {"iso_22000", "fssc_22000", "brcgs_food"}),
        ("country=PE&kind=textile_chain", {"gots"}),
        ("words=organic", {"organic_eu", "gots"}),
        ("hs=0901", {"iso_22000", "fssc_22000", "brcgs_food", "organic_eu"}),
        ("hs=0901.11", {"iso_22000", "fssc_22000", "brcgs_food", "organic_eu"}),
        ("hs=5208", {"gots"}),
        ("country=MX", set()),
    ],
)
def test_explorer_filters(client: Client, catalogue: Any, query: str, expected: set[str]) -> None:
    html = page(client, f"/standards/?{query}&lang=en")
    assert scheme_links(html) == expected
    if not expected:
        assert "No scheme matches these filters." in html


def test_explorer_with_an_hs_code_names_the_product(client: Client, catalogue: Any, hs_loaded: Any) -> None:
    html = page(client, "/standards/?hs=0901&lang=es")
    assert 'href="/hs/0901/"' in html and "Café" in html


def test_explorer_finds_the_product_by_its_words(client: Client, catalogue: Any, hs_loaded: Any, settings: Any) -> None:
    settings.IVCS_HS_SEMANTIC = False  # the lexical index is enough here, and quick to build
    html = page(client, "/standards/?product=café+verde+sin+tostar&lang=es")
    assert 'href="/hs/090111/"' in html or 'href="/hs/0901' in html
    assert "organic_eu" in scheme_links(html) and "gots" not in scheme_links(html)


def test_explorer_product_search_is_rate_limited(client: Client, catalogue: Any, hs_loaded: Any, settings: Any) -> None:
    settings.IVCS_HS_SEMANTIC = False
    settings.IVCS_SEARCH_RATE = "1/m"
    assert client.get("/standards/?product=cacao&lang=en").status_code == 200
    html = page(client, "/standards/?product=cacao&lang=en", 429)
    assert "Too many searches from your network." in html
    assert client.get("/standards/?hs=1801&lang=en").status_code == 200, "codes need no HS search"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("hs=abc", "An HS code has 2, 4 or 6 digits, e.g. 0901 or 0901.21."),
        ("hs=090", "An HS code has 2, 4 or 6 digits, e.g. 0901 or 0901.21."),
        ("country=ZZ", "Choose a country from the list."),
        ("sector=nowhere", "nowhere"),
        ("kind=magic", "magic"),
    ],
)
def test_explorer_refuses_bad_filters_with_a_message(client: Client, catalogue: Any, query: str, message: str) -> None:
    html = page(client, f"/standards/?{query}&lang=en", 400)
    assert message in html and "errorlist" in html


def test_hs_code_page_links_to_the_standards_of_the_product(client: Client, hs_loaded: Any) -> None:
    html = page(client, "/hs/0901/?lang=en")
    assert 'href="/standards/?hs=0901"' in html and "Standards for this product" in html


# --- 2. Sector ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_sector_page_shows_buyers_and_what_they_require(client: Client, catalogue: Any, lang: str) -> None:
    html = page(client, f"/standards/sector/food_beverage/?lang={lang}")
    assert f"<h1>{SECTOR_NAMES[lang]}</h1>" in html
    assert {"es": "Café y cacao", "pt": "Café e cacau", "en": "Coffee and cocoa"}[lang] in html, "subsector"
    assert "Burger Company" in html and "Café Importers (Demo)" in html
    assert html.count('class="badge demo"') == 1, "only the fictional buyer is marked"
    assert tr(lang, "any %(body)s-recognised scheme *") % {"body": "GFSI"} in html
    links = '<a href="/standards/brcgs_food/">BRCGS Food</a> / <a href="/standards/fssc_22000/">FSSC 22000</a>'
    assert tr(lang, "any of %(schemes)s") % {"schemes": links} in html
    assert tr(lang, "mandatory") in html and tr(lang, "preferred") in html
    assert 'href="/standards/gap/?buyer=cafe_demo"' in html and 'href="/standards/gap/?buyer=burger_co"' in html
    assert 'href="/standards/fssc_22000/"' in html, "the sector's schemes"
    assert "https://example.org/burger" in html, "requirement sets show their sources"


def test_subsector_page_links_its_parent(client: Client, catalogue: Any) -> None:
    html = page(client, "/standards/sector/food_beverage.coffee_cocoa/?lang=en")
    assert 'href="/standards/sector/food_beverage/"' in html and "Café Importers (Demo)" in html


def test_unknown_sector_is_a_404_page(client: Client, catalogue: Any) -> None:
    assert "There is no sector “atlantis”." in page(client, "/standards/sector/atlantis/?lang=en", 404)


# --- 3. Scheme ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_scheme_page_for_a_country(client: Client, catalogue: Any, lang: str) -> None:
    html = page(client, f"/standards/fssc_22000/?country=CO&lang={lang}")
    assert "<h1>FSSC 22000" in html and "Foundation FSSC" in html
    scope = {"es": "ISO 22000 más programas prerrequisito.", "en": "ISO 22000 plus prerequisite programmes."}
    assert scope.get(lang, scope["en"]) in html, "pt falls back to English"
    assert "GFSI (Global Food Safety Initiative)" in html
    assert 'href="/standards/iso_22000/"' in html, "relation: includes ISO 22000"
    assert "Certificadora Uno" in html and "+57 1 000 0000" in html and "Bogotá" in html
    assert money(lang, 8000, 15000) in html and tr(lang, "indicative") in html
    assert "Calidad para exportar (test)" in html and "Fondo regional (test)" in html
    assert "Exporta Perú (test)" not in html, "another country's programme"
    assert "Introduction to FSSC 22000" in html
    assert 'href="/standards/buyers/burger_co/"' in html and 'href="/standards/buyers/cafe_demo/"' in html
    assert "https://example.org/fssc" in html and tr(lang, "Checked on") in html


def test_scheme_page_marks_unverified_facts(client: Client, catalogue: Any) -> None:
    html = page(client, "/standards/brcgs_food/?country=PE&lang=en")
    validity = html.split("Certificate validity", 1)[1].split("</dd>", 1)[0]
    assert "12 months" in validity and 'class="badge unverified"' in validity
    assert "partly verified" in html
    assert money("en", 5000, 9000) in html and "not tied to a country" in html
    assert "No source yet." in html, "the estimate without sources says so"
    assert "Certificadora Dos" not in html
    gots = page(client, "/standards/gots/?lang=en")
    assert '<h1>Global Organic Textile Standard <span class="badge unverified">unverified</span>' in gots


def test_scheme_page_asks_for_a_country_or_uses_the_users_organisation(
    client: Client, catalogue: Any, make_user: Any, make_org: Any
) -> None:
    html = page(client, "/standards/fssc_22000/?lang=en")
    assert "Choose your country to see the certification bodies, costs and financing there." in html
    assert "Certificadora Uno" not in html
    user = make_user()
    make_org(owner=user, country="CO")
    client.force_login(user)
    html = page(client, "/standards/fssc_22000/?lang=en")
    assert "In Colombia" in html and "Certificadora Uno" in html
    html = page(client, "/standards/fssc_22000/?country=&lang=en")
    assert "Certificadora Uno" not in html, "an explicit empty choice wins"


def test_scheme_page_bad_country_and_unknown_scheme(client: Client, catalogue: Any) -> None:
    assert "Choose a country from the list." in page(client, "/standards/fssc_22000/?country=XX&lang=en", 400)
    assert "There is no scheme “sqf”." in page(client, "/standards/sqf/?lang=en", 404)


# --- 4. Compare -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_compare_side_by_side(client: Client, catalogue: Any, lang: str) -> None:
    html = page(client, f"/standards/compare/?s=fssc_22000&s=brcgs_food&s=organic_eu&country=CO&lang={lang}")
    assert tr(lang, "The schemes side by side") in html and "<caption>" in html and 'scope="row"' in html
    for text in (
        "Foundation FSSC",
        "BRCGS",
        "European Union",
        "36",
        "12",
        money(lang, 8000, 15000),
        money(lang, 5000, 9000),
    ):
        assert text in html
    assert html.count('<th scope="row">') >= 7 + 6, "attributes plus one row per country"
    per_country = html.split(tr(lang, "Certification bodies per country"), 1)[1]
    language = "pt-br" if lang == "pt" else lang
    assert all(country_name(c, language) in per_country for c in ("CL", "CO", "MX", "PE", "CR", "BR"))
    assert 'href="/standards/fssc_22000/?country=CO#certifiers">1</a>' in per_country


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Choose two or three schemes to compare."),
        ("s=fssc_22000", "Choose two or three schemes to compare."),
        ("s=fssc_22000&s=fssc_22000", "Choose two or three schemes to compare."),
        ("s=a&s=b&s=c&s=d", "Compare at most three schemes at a time."),
        ("s=fssc_22000&s=nope", "There is no scheme “nope”."),
        ("s=fssc_22000&s=gots&country=ZZ", "Choose a country from the list."),
    ],
)
def test_compare_refuses_bad_choices_with_a_message(client: Client, catalogue: Any, query: str, message: str) -> None:
    html = page(client, f"/standards/compare/?{query}&lang=en", 400)
    assert message in html and 'name="s" value="gots"' in html, "the form to choose again"


# --- 5. Certifier ------------------------------------------------------------------------------


def test_certifier_page_shows_offices_by_country_with_sources(client: Client, catalogue: Any) -> None:
    html = page(client, "/standards/certifiers/certi_uno/?lang=es")
    assert "<h1>Certificadora Uno" in html and "https://example.org/uno" in html
    assert "<h3>Colombia</h3>" in html and "<h3>Perú</h3>" in html and "+57 1 000 0000" in html
    assert "https://example.org/uno/co" in html
    assert 'href="/standards/fssc_22000/"' in html
    assert tr("es", "Propose changes to your contact data") not in html
    dos = page(client, "/standards/certifiers/certi_dos/?lang=en")
    schemes = dos.split("Schemes it certifies", 1)[1].split("</dd>", 1)[0]
    assert "GOTS" in schemes and 'class="badge unverified"' in schemes
    assert "There is no certification body" in page(client, "/standards/certifiers/nope/?lang=en", 404)


def test_certifier_proposes_contact_data_which_goes_to_review(client: Client, certifier_editor: Any) -> None:
    client.force_login(certifier_editor)
    html = page(client, "/standards/certifiers/certi_uno/?lang=en")
    assert "Propose changes to your contact data" in html and 'value="Bogotá"' in html
    response = client.post(
        "/standards/certifiers/certi_uno/?lang=en",
        {"site": "https://uno.example.org/", "country_0": "CO", "city_0": "Medellín", "phone_0": "+57 4 111 1111"},
        follow=True,
    )
    assert response.status_code == 200 and "sent for review" in response.content.decode()
    proposal = CertifierUpdate.objects.get()
    assert proposal.status == CertifierUpdate.Status.PENDING and proposal.proposed_by == certifier_editor
    assert proposal.data["offices"] == [
        {"country": "CO", "city": "Medellín", "address": "", "phone": "+57 4 111 1111", "email": "", "url": ""}
    ]
    assert "Medellín" not in page(client, "/standards/certifiers/certi_uno/?lang=en").split("propose")[0]


def test_certifier_proposal_refused_for_others_and_for_bad_input(
    client: Client, certifier_editor: Any, make_user: Any
) -> None:
    client.force_login(certifier_editor)
    response = client.post("/standards/certifiers/certi_uno/?lang=en", {"email_0": "not an address"})
    assert response.status_code == 400 and "Choose the country of this office." in response.content.decode()
    client.force_login(make_user())
    assert "Propose changes" not in page(client, "/standards/certifiers/certi_uno/?lang=en")
    response = client.post("/standards/certifiers/certi_uno/", {"country_0": "CO", "city_0": "X"})
    assert response.status_code == 403
    assert not CertifierUpdate.objects.exists()


# --- 6. Buyer and its requirement sets ------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_buyer_page_shows_requirement_sets_and_the_demo_badge(client: Client, catalogue: Any, lang: str) -> None:
    html = page(client, f"/standards/buyers/cafe_demo/?lang={lang}")
    assert 'class="badge demo"' in html and tr(lang, "Demo") in html
    assert "Green coffee" in html and "0901" in html and tr(lang, "unverified") in html
    burger = page(client, f"/standards/buyers/burger_co/?lang={lang}")
    assert 'class="badge demo"' not in burger
    assert {"es": "Calidad de proveedores"}.get(lang, "Supplier quality") in burger
    assert "https://example.org/burger" in burger
    assert tr(lang, "Add a requirement set") not in burger
    assert "There is no buyer" in page(client, "/standards/buyers/nope/?lang=en", 404)


def test_buyer_editor_adds_and_edits_a_requirement_set(client: Client, buyer_editor: Any) -> None:
    client.force_login(buyer_editor)
    html = page(client, "/standards/buyers/burger_co/?lang=en")
    assert 'href="/standards/buyers/burger_co/requirements/new/"' in html
    assert 'href="/standards/buyers/burger_co/requirements/burger_food_safety/edit/"' in html
    form = page(client, "/standards/buyers/burger_co/requirements/new/?lang=es")
    assert 'name="schemes_7"' in form and 'name="hs_query"' in form, "8 rows and the HS picker"
    response = client.post(
        "/standards/buyers/burger_co/requirements/new/?lang=es",
        {
            "title": "Café tostado",
            "hs": "0901",
            "schemes_0": ["fssc_22000", "brcgs_food"],
            "level_0": "mandatory",
            "recognised_1": "gfsi",
            "level_1": "preferred",
            **{f"level_{i}": "mandatory" for i in range(2, 8)},
        },
    )
    assert response.status_code == 302 and response.url == "/standards/buyers/burger_co/"
    new = RequirementSet.objects.exclude(id="burger_food_safety").get(buyer_id="burger_co")
    assert new.title["es"] == "Café tostado" and new.hs == ["0901"]
    assert [(r.level, r.recognised_by) for r in new.requirements.all()] == [("mandatory", ""), ("preferred", "gfsi")]
    edit_url = "/standards/buyers/burger_co/requirements/burger_food_safety/edit/?lang=en"
    form = page(client, edit_url)
    assert 'value="Supplier quality"' in form and '<option value="gfsi" selected>' in form
    response = client.post(
        edit_url,
        {"title": "Supplier quality", "hs": "", "hs_pick": "1801", "schemes_0": ["iso_22000"], "level_0": "preferred"}
        | {f"level_{i}": "mandatory" for i in range(1, 8)},
    )
    assert response.status_code == 302
    edited = RequirementSet.objects.get(id="burger_food_safety")
    assert edited.hs == ["1801"] and [r.level for r in edited.requirements.all()] == ["preferred"]


def test_requirement_set_errors_come_back_as_form_messages(client: Client, buyer_editor: Any) -> None:
    client.force_login(buyer_editor)
    rows = {f"level_{i}": "mandatory" for i in range(8)}
    response = client.post("/standards/buyers/burger_co/requirements/new/?lang=en", {"title": "Empty", **rows})
    assert response.status_code == 400 and "Add at least one required scheme." in response.content.decode()
    response = client.post(
        "/standards/buyers/burger_co/requirements/new/?lang=en",
        {"title": "Bad HS", "hs": "09x1", "schemes_0": ["gots"], **rows},
    )
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    response = client.post(
        "/standards/buyers/burger_co/requirements/new/?lang=en",
        {"title": "Unknown", "schemes_0": ["sqf"], **rows},
    )
    assert response.status_code == 400
    assert RequirementSet.objects.filter(buyer_id="burger_co").count() == 1
    assert "no requirement set" in page(client, "/standards/buyers/burger_co/requirements/nope/edit/?lang=en", 404)


def test_only_the_buyers_editors_may_edit_its_requirements(client: Client, buyer_editor: Any, make_user: Any) -> None:
    response = client.get("/standards/buyers/burger_co/requirements/new/")
    assert response.status_code == 302 and response.url.startswith("/account/login/")
    client.force_login(make_user())
    assert client.get("/standards/buyers/burger_co/requirements/new/").status_code == 403
    response = client.post(
        "/standards/buyers/burger_co/requirements/new/", {"title": "X", "schemes_0": ["gots"], "level_0": "mandatory"}
    )
    assert response.status_code == 403 and RequirementSet.objects.filter(buyer_id="burger_co").count() == 1
    client.force_login(buyer_editor)
    assert client.get("/standards/buyers/cafe_demo/requirements/new/").status_code == 403, "another buyer"


# --- 7. Gap analysis --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_gap_form_preselects_the_buyer(client: Client, catalogue: Any, lang: str) -> None:
    html = page(client, f"/standards/gap/?buyer=cafe_demo&lang={lang}")
    assert '<option value="cafe_demo" selected>' in html
    assert tr(lang, "Gap analysis: what am I missing?") in html and 'name="held_9"' in html
    assert tr(lang, "Requirements met") not in html, "no analysis before the form is sent"


@pytest.mark.parametrize("lang", LANGS)
def test_gap_analysis_shows_what_is_missing_and_the_plan(client: Client, catalogue: Any, lang: str) -> None:
    expires = (date.today() + timedelta(days=60)).isoformat()
    html = page(
        client,
        f"/standards/gap/?go=1&buyer=cafe_demo&country=PE&held_0=fssc_22000&expires_0={expires}&lang={lang}",
    )
    assert tr(lang, "Not ready yet: some mandatory requirements are missing.") in html
    met = html.split(tr(lang, "Requirements met"), 1)[1].split(tr(lang, "Missing"), 1)[0]
    assert "FSSC 22000" in met, "the any-of requirement is met"
    missing = html.split(tr(lang, "Missing"), 1)[1].split(tr(lang, "Expiring soon"), 1)[0]
    assert "EU organic" in missing
    expiring = html.split(tr(lang, "Expiring soon"), 1)[1].split(tr(lang, "Your plan"), 1)[0]
    assert "FSSC 22000" in expiring
    plan = html.split(tr(lang, "Your plan"), 1)[1]
    assert (
        'href="/standards/organic_eu/"' in plan and money(lang, 1500, 3000) in plan and tr(lang, "indicative") in plan
    )
    assert "Certificadora Dos" in plan and "Fondo regional (test)" in plan
    assert "https://example.org/costs" in plan, "the estimate's source"
    assert 'id="print-plan"' in html and 'class="badge demo"' in html
    assert re.search(r'<script nonce="[^"]+">', html), "the print button's script carries the CSP nonce"


def test_gap_analysis_ready_through_recognition_and_equivalence(client: Client, catalogue: Any) -> None:
    html = page(client, "/standards/gap/?go=1&buyer=burger_co&held_0=fssc_22000&lang=en")
    assert "Ready: your valid certificates meet every mandatory requirement." in html
    assert "through recognition" in html and "through equivalence or inclusion" in html
    assert "Nothing is missing." in html and "Your plan" not in html


def test_gap_analysis_for_a_sector_totals_costs_per_currency(client: Client, catalogue: Any) -> None:
    html = page(client, "/standards/gap/?go=1&sector=food_beverage&country=CO&lang=en")
    assert "Result for Food and beverage" in html and "asked by" in html
    assert "Total (indicative)" in html and "USD" in html.split("Total (indicative)", 1)[1]
    assert "Without an estimate:" in html, "EU organic has no estimate for Colombia"


def test_gap_analysis_uses_the_organisations_certificates(
    client: Client, catalogue: Any, make_user: Any, make_org: Any
) -> None:
    user = make_user()
    organisation = make_org(owner=user, slug="cafe-sur", country="PE")
    HeldCertification.objects.create(organisation=organisation, scheme_id="organic_eu", expires=None)
    client.force_login(user)
    form = page(client, "/standards/gap/?lang=en")
    assert 'value="cafe-sur"' in form and "Use my organisation" in form
    html = page(client, "/standards/gap/?go=1&buyer=cafe_demo&organisation=cafe-sur&lang=en")
    assert "Certificates of" in html and "Certificadora Uno" in html, "country taken from the organisation"
    met = html.split("Requirements met", 1)[1].split("Missing", 1)[0]
    assert "EU organic" in met
    other = make_org(slug="not-mine")
    assert client.get(f"/standards/gap/?go=1&buyer=cafe_demo&organisation={other.slug}").status_code == 400


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("go=1", "Choose a buyer or a sector."),
        ("go=1&buyer=cafe_demo&sector=textiles", "Choose a buyer or a sector, not both."),
        ("go=1&buyer=nobody", "nobody"),
        ("go=1&buyer=cafe_demo&country=QQ", "Choose a country from the list."),
        ("go=1&buyer=cafe_demo&hs=12", ""),
        ("go=1&buyer=cafe_demo&hs=1a", "An HS code has 2, 4 or 6 digits"),
        ("go=1&buyer=cafe_demo&held_0=fssc_22000&expires_0=31/12/2027", "errorlist"),
        ("go=1&buyer=cafe_demo&held_0=sqf", "sqf"),
        ("go=1&buyer=cafe_demo&expires_0=2027-01-01", "Choose the scheme of this certificate."),
        ("go=1&buyer=cafe_demo&expiring_before=soon", "errorlist"),
    ],
)
def test_gap_bad_input_is_a_form_message(client: Client, catalogue: Any, query: str, message: str) -> None:
    if query.endswith("hs=12"):
        assert client.get(f"/standards/gap/?{query}&lang=en").status_code == 200, "a chapter is a valid HS code"
        return
    html = page(client, f"/standards/gap/?{query}&lang=en", 400)
    assert message in html and "Please correct the marked fields." in html


def test_gap_product_filter_drops_requirements_for_other_products(client: Client, catalogue: Any) -> None:
    html = page(client, "/standards/gap/?go=1&buyer=cafe_demo&hs=5208&lang=en")
    assert "Ready" in html and "None yet." in html, "the green-coffee set applies to 0901 only"


# --- 8. Certificates held ---------------------------------------------------------------------


def test_held_certificates_are_added_and_removed_by_editors(
    client: Client, catalogue: Any, make_user: Any, make_org: Any
) -> None:
    assert client.get("/standards/held/").status_code == 302
    user = make_user()
    organisation = make_org(owner=user, slug="telar", name="Telar Andino", country="PE")
    viewer_of = make_org(slug="seen-only", name="Solo Lectura", members={Membership.Role.VIEWER: user})
    client.force_login(user)
    html = page(client, "/standards/held/?lang=es")
    assert "Telar Andino" in html and "Solo Lectura" not in html
    response = client.post(
        "/standards/held/", {"organisation": "telar", "scheme": "gots", "expires": "2027-03-01", "reference": "G-1"}
    )
    assert response.status_code == 302
    held = HeldCertification.objects.get(organisation=organisation)
    assert held.scheme_id == "gots" and held.expires == date(2027, 3, 1) and held.reference == "G-1"
    html = page(client, "/standards/held/?lang=en")
    assert 'href="/standards/gots/"' in html and "<caption" in html
    bad = client.post("/standards/held/?lang=en", {"organisation": "telar", "scheme": "gots", "expires": "March"})
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()
    refused = client.post("/standards/held/", {"organisation": viewer_of.slug, "scheme": "gots"})
    assert refused.status_code == 403 and not HeldCertification.objects.filter(organisation=viewer_of).exists()
    removed = client.post("/standards/held/", {"organisation": "telar", "scheme": "gots", "action": "remove"})
    assert removed.status_code == 302 and not HeldCertification.objects.exists()


# --- 9. Financing -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_financing_lists_and_filters_programmes(client: Client, catalogue: Any, lang: str) -> None:
    html = page(client, f"/standards/financing/?lang={lang}")
    assert tr(lang, "Financing and support") in html
    assert all(name in html for name in ("Calidad para exportar (test)", "Exporta Perú (test)", "Fondo regional"))
    amount = {"es": "130\u00a0000\u00a0000", "pt": "130.000.000", "en": "130,000,000"}[lang]
    assert f"{amount} COP" in html and "70%" in html and "https://example.org/co" in html
    html = page(client, f"/standards/financing/?country=CO&lang={lang}")
    assert "Calidad para exportar (test)" in html and "Fondo regional" in html and "Exporta Perú" not in html
    html = page(client, f"/standards/financing/?purpose=export&lang={lang}")
    assert "Exporta Perú (test)" in html and "Fondo regional" not in html


def test_financing_bad_filters_are_400(client: Client, catalogue: Any) -> None:
    assert "errorlist" in page(client, "/standards/financing/?purpose=gifts&lang=en", 400)
    assert "Choose a country from the list." in page(client, "/standards/financing/?country=1&lang=en", 400)


# --- Module switch ---------------------------------------------------------------------------


def test_pages_are_404_when_the_tenant_switched_the_module_off(client: Client, catalogue: Any, settings: Any) -> None:
    settings.IVCS_MODULES = []
    for url in ("/standards/", "/standards/gap/", "/standards/fssc_22000/", "/standards/financing/"):
        assert client.get(url).status_code == 404


def test_pages_need_no_inline_styles_or_handlers_under_the_csp(client: Client, catalogue: Any) -> None:
    urls = [
        "/standards/",
        "/standards/sector/food_beverage/",
        "/standards/fssc_22000/?country=CO",
        "/standards/compare/?s=fssc_22000&s=gots",
        "/standards/certifiers/certi_uno/",
        "/standards/buyers/cafe_demo/",
        "/standards/gap/?go=1&buyer=cafe_demo&country=PE",
        "/standards/financing/",
    ]
    for url in urls:
        html = page(client, url)
        assert " style=" not in html and " onclick=" not in html, url
        assert html.count("<h1") == 1, url
        for script in re.findall(r"<script[^>]*>", html):
            assert "nonce=" in script, (url, script)


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("es", "8\xa0000\u201315\xa0000 USD"), ("en", "8,000\u201315,000 USD"), ("pt", "8.000\u201315.000 USD")],
)
def test_costs_are_grouped_in_the_page_language(client: Client, catalogue: Any, lang: str, shown: str) -> None:
    assert shown in page(client, f"/standards/fssc_22000/?country=CO&lang={lang}")
