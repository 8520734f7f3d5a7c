"""The calendar (month and week views), the personal iCalendar feed and its token page."""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import can_read, require
from simkerma.activities.calendar_days import CalendarEntry, calendar_days
from simkerma.activities.calendar_feed import build_feed, feed_name
from simkerma.activities.models import CalendarToken
from simkerma.activities.selectors import feed_activities, feed_meetings
from simkerma.activities.services import calendar_token_issue, calendar_token_revoke
from simkerma.core.dates import date_param
from simkerma.core.downloads import mark_private
from simkerma.core.http import AuthedHttpRequest
from simkerma.org.models import Unit

VIEWS = ("month", "week")
# The most activities a day of each view shows; the rest are "N more", linking to the day's list.
PER_DAY = {"month": 5, "week": 20}


def _grid(view: str, on: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(first shown day, last shown day, previous anchor, next anchor); weeks start on Monday."""
    if view == "week":
        first = on - dt.timedelta(days=on.weekday())
        return first, first + dt.timedelta(days=6), first - dt.timedelta(days=7), first + dt.timedelta(days=7)
    month_first = on.replace(day=1)
    month_last = on.replace(day=calendar.monthrange(on.year, on.month)[1])
    first = month_first - dt.timedelta(days=month_first.weekday())
    last = month_last + dt.timedelta(days=6 - month_last.weekday())
    previous = (month_first - dt.timedelta(days=1)).replace(day=1)
    return first, last, previous, month_last + dt.timedelta(days=1)


def entries_html(entries: list[CalendarEntry], meeting: str) -> SafeString:
    """A day's entries as links, written here rather than by the template: a month at a large
    university shows some 200, and each cost the template about a tenth of a millisecond."""
    links = []
    for e in entries:
        if e.kind == "meeting":
            css, label = "meeting", f"{meeting}: {e.title}"
        else:
            css, label = f"act-status act-{e.status}", e.title
        if e.time:
            label = f"{e.time:%H:%M} {label}"
        links.append(
            format_html(
                '<a class="event {}" data-kind="{}" data-pk="{}" href="{}" title="{}">{}</a>',
                css,
                e.kind,
                e.obj.pk,
                e.url,
                e.title,
                label,
            )
        )
    return mark_safe("".join(links))  # each link escaped by format_html


@require(can_read)
def calendar_view(request: AuthedHttpRequest) -> HttpResponse:
    view = request.GET.get("view") or "month"
    view = view if view in VIEWS else "month"
    today = timezone.localdate()
    on = date_param(request.GET.get("date")) or today
    unit = None
    unit_pk = request.GET.get("unit", "")
    if unit_pk.isascii() and unit_pk.isdigit():
        unit = Unit.objects.filter(pk=unit_pk).first()
    first, last, previous, following = _grid(view, on)
    shown = calendar_days(first, last, per_day=PER_DAY[view], unit_id=unit.pk if unit else None)
    meeting = _("Meeting")
    for day in shown.values():
        day.html = entries_html(day.entries, meeting)
    days = list(shown)
    weeks = [[(day, shown[day]) for day in days[i : i + 7]] for i in range(0, len(days), 7)]
    context = {
        "view": view,
        "on": on,
        "today": today,
        "weeks": weeks,
        "first": first,
        "last": last,
        "previous": previous,
        "following": following,
        "unit": unit,
        "units": Unit.objects.order_by("code").only("pk", "code"),
        "weekdays": days[:7],
        "list_url": reverse("activities:list"),
    }
    template = "activities/_calendar.html" if request.htmx else "activities/calendar.html"
    return render(request, template, context)


@require(can_read)
def calendar_subscription(request: AuthedHttpRequest) -> HttpResponse:
    """Create, regenerate or revoke the personal feed URL."""
    token = CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True).first()
    feed_url = request.build_absolute_uri(token.get_feed_url()) if token else ""
    return render(request, "activities/calendar_subscription.html", {"token": token, "feed_url": feed_url})


@require_POST
@require(can_read)
def calendar_subscription_change(request: AuthedHttpRequest) -> HttpResponse:
    action = request.POST.get("action")
    if action in ("create", "regenerate"):
        calendar_token_issue(user=request.user)
        messages.success(request, _("Your calendar feed address is ready. Any earlier address no longer works."))
    elif action == "revoke":
        calendar_token_revoke(user=request.user)
        messages.success(request, _("Your calendar feed address was revoked."))
    return redirect("activities:calendar_subscription")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no log-in (calendar applications cannot log in); the secret token is the key."""
    found = (
        CalendarToken.objects.select_related("user", "user__unit").filter(token=token, revoked_at__isnull=True).first()
    )
    if found is None or not can_read(found.user):
        raise Http404
    user = found.user
    today = timezone.localdate()
    body = build_feed(
        name=feed_name(user), activities=feed_activities(user, today), meetings=feed_meetings(user, today)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="simkerma.ics"'
    return mark_private(response)
