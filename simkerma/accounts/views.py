from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from simkerma.accounts.profile import profile_sections


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's account: who they are in Simkerma, and the sections other apps add."""
    sections = []
    for section in profile_sections():
        values = section.func(request)
        if values is not None:
            sections.append((section, values))
    return render(request, "accounts/profile.html", {"sections": sections})
