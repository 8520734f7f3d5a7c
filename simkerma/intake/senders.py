"""Which partner an e-mail comes from: its address is the partner's or a contact's, or its domain
is the partner's web site's. Only one partner may match; several, and the staff decide."""

from __future__ import annotations

from urllib.parse import urlsplit

from simkerma.partners.models import Partner
from simkerma.servicedesk.partner_link import partner_by_contact_email

# Addresses at these domains belong to people, not to organisations: they never match a web site.
PERSONAL_DOMAINS = frozenset(
    {"gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.id", "outlook.com", "hotmail.com", "live.com", "icloud.com"}
)


def site_domain(website: str) -> str:
    host = urlsplit(website if "//" in website else f"//{website}").hostname or ""
    return host.lower().removeprefix("www.")


def _domain_matches(domain: str, site: str) -> bool:
    return bool(site) and (domain == site or domain.endswith(f".{site}"))


def partner_for_sender(address: str) -> Partner | None:
    if partner := partner_by_contact_email(address):
        return partner
    domain = address.rpartition("@")[2].lower()
    if not domain or domain in PERSONAL_DOMAINS:
        return None
    # The domain's last two labels narrow the search; the match itself is exact.
    tail = ".".join(domain.split(".")[-2:])
    candidates = Partner.objects.filter(website__icontains=tail).only("pk", "website")
    matches = [partner for partner in candidates if _domain_matches(domain, site_domain(partner.website))]
    return matches[0] if len(matches) == 1 else None
