"""The printable report (laporan pelaksanaan kerjasama), rendered by WeasyPrint from a Django template."""

from __future__ import annotations

import base64
import io
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import Image

from simkerma.archive.models import CooperationReport, EvidenceFile
from simkerma.archive.uploads import max_pixels

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 4 * 1024 * 1024
PHOTO_EDGE = 1200  # pixels on the long side: sharp at the printed size, small to render


def _downscaled(handle: Any) -> bytes | None:
    """A JPEG no larger than PHOTO_EDGE, or None for an image too large (or broken) to decode."""
    try:
        with Image.open(handle) as image:
            if image.width * image.height > max_pixels():
                return None  # stored before uploads were bounded: never decoded
            image.draft("RGB", (PHOTO_EDGE, PHOTO_EDGE))  # JPEG decodes at a reduced scale
            image.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
            output = io.BytesIO()
            image.convert("RGB").save(output, format="JPEG", quality=85)
            return output.getvalue()
    except Exception:  # Pillow raises many kinds of errors for broken images
        return None


def _photo_sources(report: CooperationReport) -> list[dict[str, Any]]:
    """Photos embedded as data URIs, so rendering never fetches anything over the network."""
    photos = []
    evidence = report.evidence.filter(content_type__in=["image/jpeg", "image/png"], size__lte=MAX_PHOTO_BYTES)
    for item in evidence.order_by("uploaded_at", "pk")[:MAX_PHOTOS]:
        with item.file.open("rb") as handle:
            content = _downscaled(handle)
        if content is None:
            continue
        data = base64.b64encode(content).decode("ascii")
        photos.append({"src": f"data:image/jpeg;base64,{data}", "name": item.original_name})
    return photos


def report_context(report: CooperationReport) -> dict[str, Any]:
    agreement = report.agreement
    activities = list(report.activities.order_by("start_date", "pk"))
    return {
        "report": report,
        "agreement": agreement,
        "partners": list(agreement.partners.all()),
        "activities": activities,
        "scope": agreement.scope_items,
        "photos": _photo_sources(report),
        "other_evidence": list(report.evidence.exclude(kind=EvidenceFile.Kind.PHOTO)),
        "institution_name": settings.SIMKERMA_INSTITUTION_NAME,
        "city": settings.SIMKERMA_INSTITUTION_CITY,
        "printed_on": timezone.localdate(),
    }


def report_pdf(report: CooperationReport) -> bytes:
    from weasyprint import HTML

    html = render_to_string("archive/report_pdf.html", report_context(report))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
