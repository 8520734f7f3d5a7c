"""The WhatsApp Business Platform's webhook: the verification handshake and the signed messages."""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from simkerma.intake.whatsapp import Malformed, all_known, signature_valid, take_text, text_messages
from simkerma.servicedesk.ratelimit import hit

logger = logging.getLogger(__name__)


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _verify(request: HttpRequest) -> HttpResponse:
    token = settings.SIMKERMA_WHATSAPP_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if request.GET.get("hub.mode") == "subscribe" and token and hmac.compare_digest(given.encode(), token.encode()):
        return _plain(request.GET.get("hub.challenge", "")[:200], 200)
    return _plain("forbidden", 403)


def _receive(request: HttpRequest) -> HttpResponse:
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.SIMKERMA_WHATSAPP_MAX_BODY_BYTES:
        return _plain("too large", 413)
    body = request.body
    if len(body) > settings.SIMKERMA_WHATSAPP_MAX_BODY_BYTES:
        return _plain("too large", 413)
    signature = request.headers.get("X-Hub-Signature-256", "")
    if not signature_valid(body, signature, settings.SIMKERMA_WHATSAPP_APP_SECRET):
        return _plain("bad signature", 403)
    try:
        messages = text_messages(json.loads(body))
    except (ValueError, RecursionError, Malformed) as error:  # json's errors are ValueErrors; deep nesting recurses
        logger.info("WhatsApp webhook body refused: %s", error)
        return _plain("malformed", 400)
    if all_known(messages):
        return _plain("replayed", 400)
    try:
        with transaction.atomic():  # all the body's messages, or none
            for message in messages:
                take_text(message)
    except ValidationError as error:
        logger.info("WhatsApp message refused: %s", error)
        return _plain("refused", 400)
    except DatabaseError:
        logger.exception("WhatsApp messages not recorded")
        return _plain("try again", 503)
    return _plain("ok", 200)


@csrf_exempt
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if not settings.SIMKERMA_WHATSAPP_APP_SECRET:
        raise Http404
    if not hit(
        request,
        scope="whatsapp",
        limit=settings.SIMKERMA_WHATSAPP_RATE_LIMIT,
        window=settings.SIMKERMA_WHATSAPP_RATE_WINDOW,
    ):
        return _plain("too many requests", 429)
    if request.method == "GET":
        return _verify(request)
    if request.method == "POST":
        return _receive(request)
    return _plain("method not allowed", 405)
