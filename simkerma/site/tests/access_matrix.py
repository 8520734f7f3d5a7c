"""The access matrix: for every named URL, who reaches it by GET and by POST.

Each entry gives the URL's arguments, built from the world in access_world.py, and the outcome
expected for every subject (each role, an account without a role, and nobody logged in):

- OK: the page or action is reached (2xx, a redirect other than to the login page, or 400/409/422
  for a POST whose empty body is refused by its form or schema);
- LOGIN: asked to log in first (a redirect to the login page; 401 from the API);
- FORBIDDEN (403) and NOT_FOUND (404, an object outside the subject's scope): refused;
- NO_METHOD (405): the URL does not take that method.

`who(...)` builds one method's row: the subjects named are OK, nobody logged in is asked to log in,
and everyone else is refused with 403, unless a keyword names another outcome for someone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from simkerma.accounts.models import Role
from simkerma.site.tests.access_world import ANONYMOUS, NO_ROLE, SUBJECTS, World


class Outcome(StrEnum):
    OK = "ok"
    LOGIN = "login"
    FORBIDDEN = "403"
    NOT_FOUND = "404"
    NO_METHOD = "405"
    TOO_MANY = "429"


OK, LOGIN, FORBIDDEN, NOT_FOUND, NO_METHOD = (
    Outcome.OK,
    Outcome.LOGIN,
    Outcome.FORBIDDEN,
    Outcome.NOT_FOUND,
    Outcome.NO_METHOD,
)

ADMIN, STAF, KAPOKJA = str(Role.ADMIN), str(Role.STAF), str(Role.KAPOKJA)
KOORDINATOR, P3M, PIMPINAN, AUDITOR = str(Role.KOORDINATOR), str(Role.P3M), str(Role.PIMPINAN), str(Role.AUDITOR)
TEAM = (ADMIN, STAF, KAPOKJA)
UNIT = (KOORDINATOR, P3M)
WRITERS = TEAM + UNIT
READ_ONLY = (PIMPINAN, AUDITOR)
READERS = WRITERS + READ_ONLY
SIGNED_IN = (NO_ROLE, *READERS)
EVERYONE = SUBJECTS

Row = dict[str, Outcome]


def who(*allowed: str, anonymous: Outcome = LOGIN, refused: Outcome = FORBIDDEN, **others: Outcome) -> Row:
    row = {subject: refused for subject in SUBJECTS}
    row.update(dict.fromkeys(allowed, OK))
    row[ANONYMOUS] = OK if ANONYMOUS in allowed else anonymous
    row.update(others)
    return row


def nobody(outcome: Outcome) -> Row:
    """The same answer for every subject, logged in or not (a method the URL does not take)."""
    return dict.fromkeys(SUBJECTS, outcome)


PUBLIC = who(*EVERYONE)


@dataclass(frozen=True)
class Entry:
    get: Row
    post: Row
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    # A pattern with no name (the API's catch-all) is asked at this path instead.
    path: str = ""
    # The query string of both requests, and the POST's body where an empty one would be refused
    # by the form before the permission check has anything to say (a dict; JSON for the API).
    query: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] | None = None
    # Set when the code does not do what the matrix says yet: the test is then an expected failure.
    known_bug: str = ""


def patterns() -> Iterator[tuple[str, str]]:
    """Every named URL pattern as (namespace:name, route), the Django admin's left out."""
    yield from _walk(get_resolver(), "", "")


def _walk(resolver: URLResolver, namespace: str, prefix: str) -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner, route)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else f"{namespace}<{route}>"), route


def _pk(name: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": w.pk(name)}


def _request_and(**names: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": w.pk("request"), **{key: w.pk(value) for key, value in names.items()}}


def _draft(w: World) -> dict[str, Any]:
    return {"pk": w.pk("request"), "number": 1}


# Sent with the API's POST: a valid request, so a refusal comes from the role, not from the schema.
API_REQUEST = {"subject": "Permohonan uji", "kind": "informasi", "requester_name": "Rina"}
# Team-only write pages and actions that also refuse the read-only roles and the units.
TEAM_ONLY = who(*TEAM)
# Pages every role reads; POSTing to them shows the page again and changes nothing.
READ = who(*READERS)
# Written by the team and by a unit whose records they are (the world names the coordinator's unit,
# not P3M's).
IN_SCOPE = who(*TEAM, KOORDINATOR)
MANAGERS = who(ADMIN, KAPOKJA)
POST_ONLY = nobody(NO_METHOD)
# `require_POST` inside `require(...)`: the role is checked first, then the method.
TEAM_THEN_METHOD = who(**dict.fromkeys(TEAM, NO_METHOD))
NEVER = who()

MATRIX: dict[str, Entry] = {
    # Home, notices and the public page.
    "home": Entry(get=READ, post=READ),
    "notices": Entry(get=READ, post=READ),
    "public": Entry(get=PUBLIC, post=PUBLIC),
    "set_language": Entry(get=PUBLIC, post=PUBLIC),
    # KPIs: read by every role.
    "kpis:dashboard": Entry(get=READ, post=READ),
    "kpis:coverage": Entry(get=READ, post=READ),
    "kpis:prodi_activities": Entry(get=READ, post=READ, kwargs=lambda w: {"prodi": w.pk("prodi")}),
    "kpis:aspects": Entry(get=READ, post=READ),
    "kpis:unit_field": Entry(get=READ, post=READ, kwargs=lambda w: {"unit": w.pk("unit"), "field": "pendidikan"}),
    # Logging in and one's own account: an account without a role still has a profile and a password.
    "profile": Entry(get=who(*SIGNED_IN), post=who(*SIGNED_IN)),
    "login": Entry(get=PUBLIC, post=PUBLIC),
    # Logging out sends everyone, logged in or not, to the login page.
    "logout": Entry(get=POST_ONLY, post=nobody(LOGIN)),
    "password_change": Entry(get=who(*SIGNED_IN), post=who(*SIGNED_IN)),
    "password_change_done": Entry(get=who(*SIGNED_IN), post=who(refused=NO_METHOD)),
    "password_reset": Entry(get=PUBLIC, post=PUBLIC),
    "password_reset_done": Entry(get=PUBLIC, post=POST_ONLY),
    "password_reset_confirm": Entry(
        get=PUBLIC, post=PUBLIC, kwargs=lambda w: {"uidb64": w.values["uidb64"], "token": w.values["reset_token"]}
    ),
    "password_reset_complete": Entry(get=PUBLIC, post=POST_ONLY),
    "invitation_accept": Entry(get=PUBLIC, post=PUBLIC, kwargs=lambda w: {"token": w.values["invitation_token"]}),
    # Accounts: the administrator and the Kapokja.
    "account_list": Entry(get=MANAGERS, post=MANAGERS),
    "account_create": Entry(get=MANAGERS, post=MANAGERS),
    "account_detail": Entry(get=MANAGERS, post=MANAGERS, kwargs=_pk("account")),
    "account_edit": Entry(get=MANAGERS, post=MANAGERS, kwargs=_pk("account")),
    "account_deactivate": Entry(get=POST_ONLY, post=MANAGERS, kwargs=_pk("account")),
    "account_reactivate": Entry(get=POST_ONLY, post=MANAGERS, kwargs=_pk("account")),
    "account_invitation_resend": Entry(get=POST_ONLY, post=MANAGERS, kwargs=_pk("account")),
    "account_history": Entry(get=MANAGERS, post=MANAGERS, kwargs=_pk("account")),
    # One's own API tokens (a read-only role gets tokens its role still limits); another's token is not found.
    "api_tokens:create": Entry(get=POST_ONLY, post=READ),
    "api_tokens:revoke": Entry(get=POST_ONLY, post=who(STAF, refused=NOT_FOUND), kwargs=_pk("api_token")),
    # The organisation: read by every role, kept by the team; lecturer counts by the Kapokja and the
    # coordinators, each for their own prodi.
    "org:list": Entry(get=READ, post=READ),
    "org:unit_create": Entry(get=TEAM_ONLY, post=TEAM_ONLY),
    "org:unit_edit": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("unit")),
    "org:prodi_create": Entry(get=TEAM_ONLY, post=TEAM_ONLY),
    "org:prodi_edit": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("prodi")),
    "org:lecturer_counts": Entry(get=who(ADMIN, KAPOKJA, KOORDINATOR), post=who(ADMIN, KAPOKJA, KOORDINATOR)),
    # Partners: read by every role, kept by the team; categories by the Kapokja.
    "partners:list": Entry(get=READ, post=READ),
    "partners:create": Entry(get=TEAM_ONLY, post=TEAM_ONLY),
    "partners:check_name": Entry(get=READ, post=READ),
    "partners:pick": Entry(get=READ, post=READ),
    "partners:categories": Entry(get=READ, post=READ),
    "partners:category_create": Entry(get=MANAGERS, post=MANAGERS),
    "partners:category_edit": Entry(get=MANAGERS, post=MANAGERS, kwargs=_pk("category")),
    "partners:category_delete": Entry(get=POST_ONLY, post=MANAGERS, kwargs=_pk("category")),
    "partners:detail": Entry(get=READ, post=READ, kwargs=_pk("partner")),
    "partners:edit": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("partner")),
    "partners:merge": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("partner")),
    "partners:history": Entry(get=READ, post=READ, kwargs=_pk("partner")),
    # Agreements: read by every role; written by the team and the units they name.
    "agreements:list": Entry(get=READ, post=READ),
    "agreements:create": Entry(get=who(*WRITERS), post=who(*WRITERS)),
    "agreements:suggest_number": Entry(get=READ, post=READ),
    "agreements:pick_parent": Entry(get=READ, post=READ),
    "agreements:detail": Entry(get=READ, post=READ, kwargs=_pk("agreement")),
    "agreements:edit": Entry(get=IN_SCOPE, post=IN_SCOPE, kwargs=_pk("agreement")),
    "agreements:renew": Entry(get=IN_SCOPE, post=IN_SCOPE, kwargs=_pk("agreement")),
    "agreements:terminate": Entry(get=IN_SCOPE, post=IN_SCOPE, kwargs=_pk("agreement")),
    "agreements:scan": Entry(get=READ, post=READ, kwargs=_pk("agreement")),
    "agreements:history": Entry(get=READ, post=READ, kwargs=_pk("agreement")),
    "agreements:mark_reported": Entry(get=TEAM_THEN_METHOD, post=TEAM_ONLY, kwargs=_pk("agreement")),
    # Activities: planned by the writers, coordinated by the team, read by every role.
    "activities:list": Entry(get=READ, post=READ),
    "activities:create": Entry(get=who(*WRITERS), post=who(*WRITERS)),
    "activities:pick_agreement": Entry(get=READ, post=READ),
    "activities:pick_reportable": Entry(get=READ, post=READ),
    "activities:detail": Entry(get=READ, post=READ, kwargs=_pk("activity")),
    "activities:edit": Entry(get=IN_SCOPE, post=IN_SCOPE, kwargs=_pk("activity")),
    "activities:transition": Entry(
        get=POST_ONLY, post=IN_SCOPE, kwargs=_pk("activity"), data=lambda w: {"to": "batal", "reason": "Uji"}
    ),
    "activities:history": Entry(get=READ, post=READ, kwargs=_pk("activity")),
    "activities:coordination_create": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("activity")),
    "activities:task_create": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("activity")),
    "activities:output_create": Entry(get=IN_SCOPE, post=IN_SCOPE, kwargs=_pk("activity")),
    "activities:output_edit": Entry(
        get=IN_SCOPE, post=IN_SCOPE, kwargs=lambda w: {"pk": w.pk("activity"), "output_pk": w.pk("output")}
    ),
    "activities:output_delete": Entry(
        get=POST_ONLY, post=IN_SCOPE, kwargs=lambda w: {"pk": w.pk("activity"), "output_pk": w.pk("output")}
    ),
    # The ministry's forms of cooperation: read by the team, kept by the Kapokja.
    "activities:cooperation_forms": Entry(get=TEAM_ONLY, post=MANAGERS),
    "activities:cooperation_form_edit": Entry(get=MANAGERS, post=MANAGERS, kwargs=_pk("cooperation_form")),
    "activities:cooperation_form_delete": Entry(get=POST_ONLY, post=MANAGERS, kwargs=_pk("cooperation_form")),
    "activities:coordination_detail": Entry(get=READ, post=READ, kwargs=_pk("coordination")),
    "activities:coordination_edit": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("coordination")),
    # Tasks: the world's task is the coordinator's; the team completes any.
    "activities:my_tasks": Entry(get=READ, post=READ),
    "activities:task_done": Entry(get=POST_ONLY, post=IN_SCOPE, kwargs=_pk("task")),
    # The calendar and one's own feed; the feed's secret link needs no account.
    "activities:calendar": Entry(get=READ, post=READ),
    "activities:calendar_subscription": Entry(get=READ, post=READ),
    "activities:calendar_subscription_change": Entry(get=POST_ONLY, post=READ),
    "activities:calendar_feed": Entry(
        get=PUBLIC, post=PUBLIC, kwargs=lambda w: {"token": w.objects["calendar_token"].token}
    ),
    # The archive: read by every role; reports filed by the team and the units of their activities;
    # archiving and disposal requests by the team, disposal decisions by the Kapokja.
    "archive:report_list": Entry(get=READ, post=READ),
    "archive:report_create": Entry(get=who(*WRITERS), post=who(*WRITERS)),
    "archive:report_detail": Entry(get=READ, post=READ, kwargs=_pk("report")),
    "archive:report_edit": Entry(get=IN_SCOPE, post=IN_SCOPE, kwargs=_pk("report")),
    "archive:report_pdf": Entry(get=READ, post=READ, kwargs=_pk("report")),
    "archive:report_archive": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("report")),
    "archive:report_correct": Entry(get=IN_SCOPE, post=IN_SCOPE, kwargs=_pk("archived_report")),
    "archive:report_history": Entry(get=READ, post=READ, kwargs=_pk("report")),
    "archive:disposal_request": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("archived_report")),
    "archive:evidence_download": Entry(get=READ, post=READ, kwargs=_pk("evidence")),
    "archive:evidence_remove": Entry(get=POST_ONLY, post=IN_SCOPE, kwargs=_pk("evidence")),
    "archive:retention": Entry(get=READ, post=READ),
    "archive:disposal_detail": Entry(get=READ, post=MANAGERS, kwargs=_pk("disposal")),
    # The service desk: read by every role, handled by the team; the writers log requests; only the
    # administrator uploads draft templates. The public form and the tracking link need no account.
    "servicedesk:queue": Entry(get=READ, post=READ),
    "servicedesk:list": Entry(get=READ, post=READ),
    "servicedesk:discarded": Entry(get=READ, post=READ),
    "servicedesk:create": Entry(get=who(*WRITERS), post=who(*WRITERS)),
    "servicedesk:pick_partner": Entry(get=who(*WRITERS), post=who(*WRITERS)),
    "servicedesk:public_form": Entry(get=PUBLIC, post=PUBLIC),
    "servicedesk:public_thanks": Entry(get=PUBLIC, post=PUBLIC),
    "servicedesk:public_sent": Entry(get=PUBLIC, post=PUBLIC, kwargs=lambda w: {"token": w.objects["request"].token}),
    "servicedesk:track": Entry(get=PUBLIC, post=PUBLIC, kwargs=lambda w: {"token": w.objects["request"].token}),
    "servicedesk:calendar": Entry(get=READ, post=TEAM_ONLY),
    "servicedesk:calendar_delete": Entry(get=TEAM_THEN_METHOD, post=TEAM_ONLY, kwargs=_pk("calendar_version")),
    "servicedesk:templates": Entry(get=READ, post=who(ADMIN)),
    "servicedesk:template_download": Entry(get=READ, post=READ, kwargs=_pk("template")),
    "servicedesk:starter_download": Entry(get=READ, post=READ, kwargs=lambda w: {"kind": "mou"}),
    "servicedesk:report": Entry(get=READ, post=READ),
    "servicedesk:report_xlsx": Entry(get=READ, post=READ),
    "servicedesk:detail": Entry(get=READ, post=READ, kwargs=_pk("request")),
    "servicedesk:edit": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("request")),
    "servicedesk:respond": Entry(get=TEAM_THEN_METHOD, post=TEAM_ONLY, kwargs=_pk("request")),
    "servicedesk:follow_up": Entry(get=TEAM_THEN_METHOD, post=TEAM_ONLY, kwargs=_pk("request")),
    "servicedesk:stage": Entry(get=TEAM_THEN_METHOD, post=TEAM_ONLY, kwargs=_pk("request")),
    "servicedesk:assign": Entry(get=TEAM_THEN_METHOD, post=TEAM_ONLY, kwargs=_pk("request")),
    # An empty body names no partner: the team gets "not found" for it.
    "servicedesk:confirm_partner": Entry(
        get=TEAM_THEN_METHOD, post=who(**dict.fromkeys(TEAM, NOT_FOUND)), kwargs=_pk("request")
    ),
    "servicedesk:sign": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("request")),
    "servicedesk:answer_email": Entry(get=POST_ONLY, post=TEAM_ONLY, kwargs=_pk("request")),
    "servicedesk:answer_whatsapp": Entry(get=POST_ONLY, post=TEAM_ONLY, kwargs=_pk("request")),
    "servicedesk:attachment": Entry(get=READ, post=READ, kwargs=_request_and(attachment_pk="attachment")),
    "servicedesk:history": Entry(get=READ, post=READ, kwargs=_pk("request")),
    "servicedesk:discard": Entry(get=TEAM_THEN_METHOD, post=TEAM_ONLY, kwargs=_pk("request")),
    "servicedesk:restore": Entry(get=TEAM_THEN_METHOD, post=TEAM_ONLY, kwargs=_pk("request")),
    "servicedesk:breach_reason": Entry(get=TEAM_THEN_METHOD, post=TEAM_ONLY, kwargs=_request_and(breach_pk="breach")),
    "servicedesk:draft_create": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("request")),
    "servicedesk:draft_upload": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("request")),
    "servicedesk:draft_download": Entry(get=READ, post=READ, kwargs=_draft),
    "servicedesk:draft_send": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_draft),
    "servicedesk:draft_delivery": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_draft),
    # The WhatsApp webhook is not there until its secrets are set (simkerma/intake/tests covers it then).
    "intake:whatsapp_webhook": Entry(get=nobody(NOT_FOUND), post=nobody(NOT_FOUND)),
    # Evaluations: read by every role, written by the team and the units the agreement names; the
    # partner's survey link needs no account.
    "evaluations:index": Entry(get=READ, post=READ),
    "evaluations:export": Entry(get=READ, post=READ),
    "evaluations:agreement": Entry(get=READ, post=READ, kwargs=_pk("agreement")),
    "evaluations:create": Entry(get=IN_SCOPE, post=IN_SCOPE, kwargs=_pk("agreement")),
    "evaluations:monitoring_create": Entry(get=IN_SCOPE, post=IN_SCOPE, kwargs=_pk("agreement")),
    "evaluations:survey_send": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("agreement")),
    "evaluations:detail": Entry(get=READ, post=READ, kwargs=_pk("evaluation")),
    "evaluations:edit": Entry(get=IN_SCOPE, post=IN_SCOPE, kwargs=_pk("evaluation")),
    "evaluations:pdf": Entry(get=READ, post=READ, kwargs=_pk("evaluation")),
    "evaluations:archive": Entry(get=POST_ONLY, post=TEAM_ONLY, kwargs=_pk("evaluation")),
    "evaluations:history": Entry(get=READ, post=READ, kwargs=_pk("evaluation")),
    "evaluations:monitoring_edit": Entry(get=IN_SCOPE, post=IN_SCOPE, kwargs=_pk("monitoring")),
    "evaluations:survey_answer": Entry(get=PUBLIC, post=PUBLIC, kwargs=lambda w: {"token": w.values["survey_token"]}),
    # The workbook: imported by the team; the institution-wide export is read by the team and the
    # read-only roles, not by a unit.
    "imports:import": Entry(get=TEAM_ONLY, post=TEAM_ONLY),
    "imports:job": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("job")),
    "imports:job_status": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("job")),
    "imports:job_confirm": Entry(get=POST_ONLY, post=TEAM_ONLY, kwargs=_pk("job")),
    "imports:job_file": Entry(get=TEAM_ONLY, post=TEAM_ONLY, kwargs=_pk("job")),
    "imports:export": Entry(get=who(*TEAM, *READ_ONLY), post=who(*TEAM, *READ_ONLY)),
    "imports:export_download": Entry(get=who(*TEAM, *READ_ONLY), post=who(*TEAM, *READ_ONLY)),
    "imports:template_download": Entry(get=READ, post=READ),
    # Official reports: an institution-wide report is not a unit's; a unit's LED is not another unit's.
    "reports:index": Entry(get=READ, post=READ),
    "reports:led_list": Entry(get=READ, post=READ),
    "reports:led_issue": Entry(get=TEAM_THEN_METHOD, post=TEAM_ONLY),
    "reports:led_download": Entry(
        get=who(*TEAM, KOORDINATOR, *READ_ONLY, p3m=NOT_FOUND),
        post=who(*TEAM, KOORDINATOR, *READ_ONLY, p3m=NOT_FOUND),
        kwargs=lambda w: {"pk": w.pk("issued"), "fmt": "pdf"},
    ),
    "reports:ministry_mark": Entry(get=READ, post=TEAM_ONLY),
    "reports:detail": Entry(
        get=who(*TEAM, *READ_ONLY), post=who(*TEAM, *READ_ONLY), kwargs=lambda w: {"key": "iku2025"}
    ),
    "reports:download": Entry(
        get=who(*TEAM, *READ_ONLY), post=who(*TEAM, *READ_ONLY), kwargs=lambda w: {"key": "iku2025", "fmt": "csv"}
    ),
    # The API, asked with each subject's bearer token: its documentation is public; a token of an
    # account without a role reads nothing; the read-only roles send in nothing.
    "api:openapi-json": Entry(get=PUBLIC, post=PUBLIC),
    "api:openapi-view": Entry(get=PUBLIC, post=PUBLIC),
    "api:api-root": Entry(get=nobody(NOT_FOUND), post=nobody(NOT_FOUND)),
    "api:<api/v1/^(?P<rest>.*)$>": Entry(get=nobody(NOT_FOUND), post=nobody(NOT_FOUND), path="/api/v1/tidak-ada"),
    "api:list_partners": Entry(get=READ, post=POST_ONLY),
    "api:partner_by_code": Entry(get=READ, post=POST_ONLY, query=lambda w: {"code": w.objects["partner"].code}),
    "api:partner_detail": Entry(get=READ, post=POST_ONLY, kwargs=lambda w: {"partner_id": w.pk("partner")}),
    "api:list_agreements": Entry(get=READ, post=POST_ONLY),
    "api:agreement_by_number": Entry(
        get=READ, post=POST_ONLY, query=lambda w: {"number": w.objects["agreement"].number}
    ),
    "api:agreement_detail": Entry(get=READ, post=POST_ONLY, kwargs=lambda w: {"agreement_id": w.pk("agreement")}),
    "api:agreement_tree_of": Entry(get=READ, post=POST_ONLY, kwargs=lambda w: {"agreement_id": w.pk("agreement")}),
    "api:list_activities": Entry(get=READ, post=POST_ONLY),
    "api:activity_by_code": Entry(get=READ, post=POST_ONLY, query=lambda w: {"code": w.objects["activity"].code}),
    "api:activity_detail": Entry(get=READ, post=POST_ONLY, kwargs=lambda w: {"activity_id": w.pk("activity")}),
    # One path: GET lists, POST sends a request in.
    "api:list_requests": Entry(get=READ, post=who(*WRITERS), data=lambda w: API_REQUEST),
    "api:create_request": Entry(get=READ, post=who(*WRITERS), data=lambda w: API_REQUEST),
    "api:request_by_code": Entry(get=READ, post=POST_ONLY, query=lambda w: {"code": w.objects["request"].code}),
    "api:request_detail": Entry(get=READ, post=POST_ONLY, kwargs=lambda w: {"request_id": w.pk("request")}),
    "api:kpi_of_year": Entry(get=READ, post=POST_ONLY, kwargs=lambda w: {"year": 2025}),
}
