"""The service desk forms, by area."""

from simkerma.servicedesk.forms.common import WEEKDAYS, now_minute
from simkerma.servicedesk.forms.drafts import (
    DeliveryForm,
    DraftForm,
    DraftUploadForm,
    SendDraftForm,
    TemplateUploadForm,
)
from simkerma.servicedesk.forms.requests import (
    AssignForm,
    BreachReasonForm,
    MomentForm,
    PublicRequestForm,
    RequestFilterForm,
    StaffRequestForm,
    StageForm,
)
from simkerma.servicedesk.forms.settings import CalendarForm, ReportForm

__all__ = [
    "WEEKDAYS",
    "AssignForm",
    "BreachReasonForm",
    "CalendarForm",
    "DeliveryForm",
    "DraftForm",
    "DraftUploadForm",
    "MomentForm",
    "PublicRequestForm",
    "ReportForm",
    "RequestFilterForm",
    "SendDraftForm",
    "StaffRequestForm",
    "StageForm",
    "TemplateUploadForm",
    "now_minute",
]
