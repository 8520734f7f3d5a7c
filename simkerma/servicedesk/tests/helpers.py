"""Shared helpers of the service desk tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from simkerma.core.dates import WIB


def wib(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def local_input(moment: dt.datetime) -> str:
    """A moment as a datetime-local form field sends it (WIB wall clock, to the minute)."""
    return moment.astimezone(WIB).strftime("%Y-%m-%dT%H:%M")


def public_data(**changes: Any) -> dict[str, Any]:
    data = {
        "who": "mitra",
        "requester_name": "Rina Hartono",
        "requester_position": "HR Manager",
        "requester_organisation": "PT Galangan Kapal Nusantara",
        "requester_email": "rina@galangan.test",
        "requester_whatsapp": "+62 812-7000-1234",
        "partner_pic": "Budi Santoso (budi@galangan.test)",
        "kind": "draf_baru",
        "document_kind": "mou",
        "subject": "MoU pengembangan SDM",
        "scope": "Program magang\nDosen tamu\nRekrutmen lulusan",
        "message": "Mohon draf MoU.",
        "website": "",
    }
    return data | changes


def staff_data(**changes: Any) -> dict[str, Any]:
    data = {
        "channel": "whatsapp",
        "received_at": "2026-11-23T09:00",
        "kind": "informasi",
        "document_kind": "",
        "subject": "Tanya prosedur kerja sama",
        "scope": "",
        "message": "",
        "requester_name": "Agus",
        "requester_position": "",
        "requester_organisation": "CV Maju",
        "requester_email": "agus@maju.test",
        "requester_whatsapp": "",
        "partner_pic": "",
    }
    return data | changes
