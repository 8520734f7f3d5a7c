"""The API's query parameters and bodies (validated: a bad value is a 422 naming the field) and its answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import models
from ninja import Schema
from pydantic import AfterValidator, Field, GetCoreSchemaHandler, field_validator
from pydantic_core import core_schema

from simkerma.activities.models import ActivityKind, ActivityStatus
from simkerma.agreements.models import SDG
from simkerma.agreements.models import Kind as AgreementKind
from simkerma.agreements.models import Status as AgreementStatus
from simkerma.agreements.selectors import SORTS
from simkerma.core.choices import Field as CooperationField
from simkerma.core.choices import Level
from simkerma.core.search import search_problem
from simkerma.partners.models import Partner
from simkerma.servicedesk.models import Channel, RequestKind, Stage
from simkerma.servicedesk.selectors import RequestOrder

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
MAX_OFFSET = 1_000_000
MAX_ID = 2**63 - 1
MIN_YEAR, MAX_YEAR = 1990, 2100


class OneOf:
    """A string that must be one of the given values; documented as an enum in the OpenAPI schema."""

    def __init__(self, values: Any) -> None:
        self.values = [str(value) for value in values]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.literal_schema(self.values)


def choices_of(choices: type[models.Choices]) -> OneOf:
    return OneOf(choices.values)


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store or compare text with NUL characters; no real value has one.
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    return value


# Every text the API takes, in a query, a path or a body.
Text = Annotated[str, AfterValidator(_no_nul)]


# --- query parameters -------------------------------------------------------------------------


class PageQuery(Schema):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Rows per page (at most 100).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many rows to skip.")


class SearchQuery(PageQuery):
    q: Text = Field("", max_length=200, description="Words to search for; every word must match.", examples=["batam"])

    @field_validator("q")
    @classmethod
    def _words(cls, value: str) -> str:
        if problem := search_problem(value):
            raise ValueError(problem)
        return value.strip()


Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Code = Annotated[str, Field(min_length=1, max_length=30), AfterValidator(_no_nul)]


class CodeQuery(Schema):
    code: Code = Field(description="The record's code, exactly.", examples=["MTR-0012"])


class NumberQuery(Schema):
    number: Text = Field(
        min_length=1, max_length=100, description="The institution number.", examples=["001/MOU.PL29/III/2025"]
    )


class PartnerQuery(SearchQuery):
    kind: Annotated[str, choices_of(Partner.Kind)] | None = Field(None, description="Kind of partner.")


class AgreementQuery(SearchQuery):
    status: Annotated[str, choices_of(AgreementStatus)] | None = Field(None, description="Status today.")
    kind: Annotated[str, choices_of(AgreementKind)] | None = None
    level: Annotated[str, choices_of(Level)] | None = None
    field: Annotated[str, choices_of(CooperationField)] | None = Field(None, description="Field of cooperation.")
    unit: Code | None = Field(None, description="Code of a unit the agreement names (directly or by a prodi).")
    prodi: Code | None = Field(None, description="Code of a study programme the agreement names.")
    partner: Text = Field("", max_length=200, description="Words from a partner's name or code.")
    year: Year | None = Field(None, description="Agreements in force at some time in this year.")
    sort: Annotated[str, OneOf([*SORTS, *(f"-{key}" for key in SORTS)])] = Field(
        "-start", description="Sort key; a leading '-' sorts descending. Ties are broken by id."
    )

    @field_validator("partner")
    @classmethod
    def _partner_words(cls, value: str) -> str:
        if problem := search_problem(value):
            raise ValueError(problem)
        return value.strip()


class ActivityQuery(SearchQuery):
    status: Annotated[str, choices_of(ActivityStatus)] | None = None
    field: Annotated[str, choices_of(CooperationField)] | None = None
    kind: Annotated[str, choices_of(ActivityKind)] | None = None
    unit: Code | None = Field(None, description="Code of a unit the activity counts for.")
    agreement: int | None = Field(None, ge=1, le=MAX_ID, description="Id of the agreement the activity hangs under.")
    year: Year | None = Field(None, description="Activities starting in this year.")


class RequestQuery(SearchQuery):
    stage: Annotated[str, choices_of(Stage)] | None = None
    channel: Annotated[str, choices_of(Channel)] | None = None
    kind: Annotated[str, choices_of(RequestKind)] | None = None
    open_only: bool = Field(False, description="Only requests with a service-time clock still running.")
    order: Annotated[str, OneOf([order.value for order in RequestOrder])] = Field(
        RequestOrder.RECEIVED.value, description="received: the newest first; next_due: the next deadline first."
    )


SDG_NUMBERS = {code: int(code.removeprefix("sdg")) for code in SDG.values}


def sdg_numbers(goals: list[str]) -> list[int]:
    """Stored SDG codes ("sdg4") as their numbers (4), in the stored order."""
    return [SDG_NUMBERS[code] for code in goals if code in SDG_NUMBERS]


# --- answers ----------------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(examples=["You may not do this."])


class PageLinks(Schema):
    count: int = Field(description="Rows matching the filters, on all pages.", examples=[57])
    next: str | None = Field(description="The next page, or null on the last.")
    previous: str | None = Field(description="The previous page, or null on the first.")


class Ref(Schema):
    id: int = Field(examples=[12])
    code: str = Field(examples=["MTR-0012"])
    name: str = Field(examples=["PT Batamindo Investment Cakrawala"])


class PartnerName(Schema):
    id: int = Field(examples=[12])
    name: str = Field(examples=["PT Batamindo Investment Cakrawala"])


class AgreementRef(Schema):
    id: int = Field(examples=[3])
    number: str = Field(examples=["001/MOU.PL29/III/2025"])


class PartnerOut(Schema):
    id: int = Field(examples=[12])
    code: str = Field(examples=["MTR-0012"])
    name: str = Field(examples=["PT Batamindo Investment Cakrawala"])
    kind: str = Field(examples=["industri"])
    country: str = Field(description="ISO 3166 country code.", examples=["ID"])
    city: str = Field(examples=["Batam"])
    address: str
    email: str
    phone: str
    website: str
    ministry_category: str | None = Field(
        description="Code of the ministry's partner category (IKU); null when none is set.",
        examples=["multinasional"],
    )
    agreement_count: int = Field(description="Agreements naming the partner.", examples=[2])

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country.code or "")

    @staticmethod
    def resolve_ministry_category(obj: Any) -> str | None:
        return obj.ministry_category.code if obj.ministry_category_id else None

    @staticmethod
    def resolve_agreement_count(obj: Any) -> int:
        count = getattr(obj, "agreement_count", None)
        return int(count) if count is not None else obj.agreements.count()


class PartnerPage(PageLinks):
    results: list[PartnerOut]


class AgreementOut(Schema):
    id: int = Field(examples=[3])
    number: str = Field(examples=["001/MOU.PL29/III/2025"])
    partner_number: str = Field(examples=["045/BIC/HR/2025"])
    kind: str = Field(examples=["mou"])
    title: str = Field(examples=["Kerja sama pendidikan vokasi dan magang"])
    status: str = Field(description="Status today (WIB).", examples=["active"])
    level: str = Field(examples=["nasional"])
    fields: list[str] = Field(examples=[["pendidikan", "penelitian"]])
    start_date: dt.date = Field(examples=["2025-03-10"])
    end_date: dt.date = Field(examples=["2030-03-09"])
    signed_on: dt.date | None = Field(examples=["2025-03-10"])
    terminated_on: dt.date | None = Field(examples=[None])
    parent: AgreementRef | None = Field(description="The agreement this one hangs under (MoA under MoU, IA under MoA).")
    children: list[AgreementRef] = Field(description="The agreements hanging directly under this one.")
    partners: list[Ref]
    units: list[str] = Field(description="Codes of the units it names.", examples=[["IF"]])
    prodi: list[str] = Field(description="Codes of the study programmes it names.", examples=[["IF01"]])
    sdg_goals: list[int] = Field(
        description="Numbers (1-17) of the Sustainable Development Goals it serves, in order.", examples=[[4, 17]]
    )
    ministry_reported_on: dt.date | None = Field(
        description="The day it was entered in the ministry's cooperation reporting system; null until then.",
        examples=["2025-06-30"],
    )

    @staticmethod
    def resolve_sdg_goals(obj: Any) -> list[int]:
        return sdg_numbers(obj.sdg_goals)

    @staticmethod
    def resolve_children(obj: Any) -> list[Any]:
        return sorted(obj.children.all(), key=lambda child: (child.number, child.pk))

    @staticmethod
    def resolve_units(obj: Any) -> list[str]:
        return sorted(unit.code for unit in obj.units.all())

    @staticmethod
    def resolve_prodi(obj: Any) -> list[str]:
        return sorted(prodi.code for prodi in obj.prodi.all())

    @staticmethod
    def resolve_partners(obj: Any) -> list[Any]:
        return sorted(obj.partners.all(), key=lambda partner: (partner.name, partner.pk))


class AgreementPage(PageLinks):
    results: list[AgreementOut]


class TreeNodeOut(Schema):
    id: int = Field(examples=[3])
    number: str = Field(examples=["001/MOU.PL29/III/2025"])
    kind: str = Field(examples=["mou"])
    title: str
    status: str = Field(examples=["active"])
    start_date: dt.date
    end_date: dt.date
    partners: list[PartnerName]
    children: list[TreeNodeOut] = Field(description="The agreements hanging under this one, by start date.")


class FundingOut(Schema):
    year: int = Field(examples=[2025])
    amount: int = Field(description="In rupiah.", examples=[25000000])
    source: str = Field(examples=["Hibah Kemendiktisaintek"])


class OutputOut(Schema):
    id: int
    title: str = Field(examples=["Aplikasi pemantauan jaringan"])
    kind: str = Field(examples=["produk"])
    evidence_link: str
    used_on: dt.date = Field(description="Used by the partner since.", examples=["2025-09-01"])
    notes: str


class ActivityOut(Schema):
    id: int = Field(examples=[41])
    code: str = Field(examples=["KGT-2025-0041"])
    title: str = Field(examples=["Kuliah tamu: keamanan siber di industri"])
    kind: str = Field(examples=["kuliah_tamu"])
    field: str = Field(examples=["pendidikan"])
    status: str = Field(examples=["terlaksana"])
    start_date: dt.date = Field(examples=["2025-05-14"])
    start_time: dt.time | None = Field(examples=["09:00:00"])
    end_date: dt.date | None
    end_time: dt.time | None
    place: str = Field(examples=["Gedung Utama, ruang 701"])
    agreement: AgreementRef
    units: list[str] = Field(description="Codes of the units it names (none: its agreement's).", examples=[["IF"]])
    prodi: list[str] = Field(description="Codes of the prodi it names (none: its agreement's).", examples=[["IF01"]])
    expected_students: int
    expected_lecturers: int
    benefit: str
    evidence: str
    cooperation_form: str | None = Field(description="Code of the form of cooperation (IKU).", examples=["tefa"])
    duration_years: int | None = Field(description="As entered; empty counts it from the dates.")
    distinctive: bool = Field(description="Distinctive of the study programme (ciri khas PS).")
    funding: list[FundingOut] = Field(description="The funds per year.")
    outputs: list[OutputOut] = Field(description="Outputs used by the partner (IKU 5).")

    @staticmethod
    def resolve_cooperation_form(obj: Any) -> str | None:
        return obj.cooperation_form.code if obj.cooperation_form_id else None

    @staticmethod
    def resolve_funding(obj: Any) -> list[Any]:
        return list(obj.funding.all())

    @staticmethod
    def resolve_outputs(obj: Any) -> list[Any]:
        return list(obj.outputs.all())

    @staticmethod
    def resolve_units(obj: Any) -> list[str]:
        return sorted(unit.code for unit in obj.units.all())

    @staticmethod
    def resolve_prodi(obj: Any) -> list[str]:
        return sorted(prodi.code for prodi in obj.prodi.all())


class ActivityPage(PageLinks):
    results: list[ActivityOut]


class ServiceRequestOut(Schema):
    id: int = Field(examples=[88])
    code: str = Field(examples=["LYN-2025-0088"])
    channel: str = Field(examples=["web"])
    kind: str = Field(examples=["draf_baru"])
    document_kind: str = Field(description="The document wanted, for draft requests.", examples=["moa"])
    subject: str = Field(examples=["Draf PKS magang mahasiswa"])
    message: str
    stage: str = Field(examples=["diterima"])
    from_partner: bool
    partner: Ref | None
    requester_name: str = Field(examples=["Rina Hartati"])
    requester_organisation: str = Field(examples=["PT Batamindo Investment Cakrawala"])
    received_at: dt.datetime = Field(examples=["2025-06-02T09:15:00+07:00"])
    response_due_at: dt.datetime | None = Field(description="First response due (15 working minutes).")
    responded_at: dt.datetime | None
    draft_due_at: dt.datetime | None = Field(description="Draft due (1 working day), for draft requests.")
    draft_sent_at: dt.datetime | None
    followup_due_at: dt.datetime | None = Field(description="Follow-up due (1 working day), for partners' requests.")
    followed_up_at: dt.datetime | None
    next_due_at: dt.datetime | None = Field(description="The next deadline of a clock still running.")


class RequestPage(PageLinks):
    results: list[ServiceRequestOut]


class CreatedRequestOut(ServiceRequestOut):
    tracking_url: str = Field(
        description="The page where the requester follows the request, without an account.",
        examples=["https://simkerma.polibatam.ac.id/layanan/lacak/Jx3…/"],
    )


class ServiceRequestIn(Schema):
    """A request from another system; it is received now, by the server's clock."""

    subject: Text = Field(min_length=1, max_length=255, examples=["Permohonan draf PKS magang"])
    message: Text = Field("", max_length=10_000, examples=["Kami ingin menjalin kerja sama magang untuk 10 mahasiswa."])
    kind: Annotated[str, choices_of(RequestKind)] = Field(examples=["draf_baru"])
    document_kind: Annotated[str, choices_of(AgreementKind)] | None = Field(
        None, description="The document wanted: required for draf_baru and draf_revisi.", examples=["moa"]
    )
    scope: Text = Field("", max_length=5000, description="One item per line.")
    channel: Annotated[str, choices_of(Channel)] = Field(Channel.WEB.value, description="How the request came in.")
    requester_name: Text = Field(min_length=1, max_length=150, examples=["Rina Hartati"])
    requester_position: Text = Field("", max_length=150, examples=["HR Manager"])
    requester_organisation: Text = Field("", max_length=255, examples=["PT Batamindo Investment Cakrawala"])
    requester_email: Text = Field("", max_length=254, examples=["rina@batamindo.example"])
    requester_whatsapp: Text = Field("", max_length=40, examples=["+62 812 7000 1234"])
    partner_pic: Text = Field("", max_length=255)
    from_partner: bool = Field(False, description="Sent by a partner: the 1-working-day follow-up clock runs.")
    partner: Code | None = Field(None, description="Code of a registered partner the request is about.")

    @field_validator("subject", "requester_name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("This field cannot be blank.")
        return value.strip()

    @field_validator("requester_email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("Enter a valid e-mail address.") from None
        return value


class KpiCoverage(Schema):
    active: int = Field(examples=[21])
    covered: int = Field(examples=[18])
    percent: float | None = Field(examples=[85.71])
    target: float = Field(examples=[80.0])
    met: bool
    uncovered: list[str] = Field(examples=[["IF06", "MB05", "TM02"]])


class KpiUnitFields(Schema):
    pendidikan: int
    penelitian: int
    pkm: int
    expected: list[str] = Field(examples=[["pendidikan", "penelitian", "pkm"]])
    met: bool
    levels: dict[str, dict[str, int]] = Field(
        description="Per field, the count per level.",
        examples=[{"pendidikan": {"internasional": 1, "nasional": 3, "wilayah": 0}}],
    )


class KpiClock(Schema):
    met: int
    breached: int
    pending: int
    percent: float | None


class KpiAspect(Schema):
    met: int
    percent: float | None


class KpiAspects(Schema):
    counted: int = Field(examples=[12])
    not_evaluated: list[str] = Field(examples=[["MoA-2025-004"]])
    benefit: KpiAspect
    performance: KpiAspect
    satisfaction: KpiAspect


class KpiOut(Schema):
    """Exactly the object of `manage.py kpi --year YYYY --json` (docs/kpis.md)."""

    year: int = Field(examples=[2025])
    prodi_coverage: KpiCoverage
    unit_fields: dict[str, KpiUnitFields]
    service_times: dict[str, KpiClock] = Field(description="draft_1d, response_15m and followup_1d.")
    aspects: KpiAspects


TreeNodeOut.model_rebuild()
