from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from simkerma.accounts import permissions
from simkerma.agreements.permissions import can_create_agreement


def _has_demo_data() -> bool:
    from simkerma.org.models import Unit

    return Unit.objects.filter(is_demo=True).exists()


def _unread_notices(user: Any) -> int:
    from django.utils import timezone

    from simkerma.core.models import Notice

    return Notice.objects.filter(recipient=user, read_at__isnull=True, due_at__lte=timezone.now()).count()


def simkerma(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "unread_notices": SimpleLazyObject(lambda: _unread_notices(user)) if user.is_authenticated else 0,
        "institution_name": settings.SIMKERMA_INSTITUTION_NAME,
        "demo_data": SimpleLazyObject(_has_demo_data),
        "perms_simkerma": {
            "read": permissions.can_read(user),
            "partners": permissions.can_manage_partners(user),
            "org": permissions.can_manage_org(user),
            "accounts": permissions.can_manage_accounts(user),
            "create_agreement": can_create_agreement(user),
        },
    }
