"""Reminder planners (registered in EvaluationsConfig.ready()); each runs every minute and is idempotent.

- Evaluations due: for the year being evaluated (the year just ended; the current year from
  December on), every agreement still needing an evaluation is reminded once to each Kapokja and
  staff member (key `evaluation-due:<year>:<agreement>:<user>`).
- Surveys: an invitation unanswered SURVEY_REMIND_AFTER days after it was sent, and not expired,
  is reminded once with a fresh link.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from simkerma.accounts.models import Role, User
from simkerma.core.models import Notice
from simkerma.core.notices import notice_plan
from simkerma.evaluations.models import SurveyInvitation
from simkerma.evaluations.selectors import due_agreements, evaluation_year
from simkerma.evaluations.services import survey_remind

SURVEY_REMIND_AFTER = dt.timedelta(days=7)
REMINDED_ROLES = [Role.KAPOKJA, Role.STAF]


def plan_evaluation_reminders(now: dt.datetime) -> None:
    year = evaluation_year(now)
    agreements = list(due_agreements(year).only("pk", "number", "title").order_by("number"))
    if not agreements:
        return
    people = list(User.objects.filter(is_active=True, role__in=REMINDED_ROLES).order_by("pk"))
    keys = {(a.pk, u.pk): f"evaluation-due:{year}:{a.pk}:{u.pk}" for a in agreements for u in people}
    known = set(Notice.objects.filter(key__in=list(keys.values())).values_list("key", flat=True))
    with translation.override(settings.LANGUAGE_CODE):
        for agreement in agreements:
            values = {"number": agreement.number, "title": agreement.title, "year": year}
            subject = _("Evaluation due: %(number)s (%(year)s)") % values
            body = (
                _('Agreement %(number)s "%(title)s" had activities carried out in %(year)s and needs its evaluation.')
                % values
            )
            for user in people:
                key = keys[(agreement.pk, user.pk)]
                if key in known:
                    continue
                notice_plan(
                    key=key,
                    kind="evaluation_due",
                    subject=subject,
                    body=body,
                    due_at=now,
                    recipient=user,
                    link=f"{reverse('evaluations:index')}?year={year}",
                )


def plan_survey_reminders(now: dt.datetime) -> None:
    due = SurveyInvitation.objects.filter(
        answered_at__isnull=True,
        reminded_at__isnull=True,
        sent_at__lte=now - SURVEY_REMIND_AFTER,
        expires_at__gt=now,
    ).order_by("pk")
    for invitation in due[:500]:
        survey_remind(invitation=invitation, now=now)
