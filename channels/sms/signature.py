"""Twilio's request signature, checked before anything in the request is believed.

The URL is rebuilt from `PUBLIC_BASE_URL` (what Twilio was configured to call), never from
the Host or `X-Forwarded-*` headers a client controls; the parameters are every posted
field, repeated ones included, read within a size limit.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request
from twilio.request_validator import RequestValidator, get_signature_algorithm

# Body ≤ 1600 characters; a 4-byte UTF-8 character is 12 bytes percent-encoded, plus
# Twilio's other fields (media URLs, geo fields): far below this.
MAX_FORM_BYTES = 32 * 1024


class Rejected(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


async def _read_limited(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        raise Rejected(413)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise Rejected(413)
    return body


class SignatureCheck:
    def __init__(self, auth_token: str, public_base_url: str) -> None:
        self._validator = RequestValidator(auth_token)
        self._base = public_base_url.rstrip("/")

    def url_for(self, request: Request) -> str:
        query = request.url.query
        return f"{self._base}{request.url.path}" + (f"?{query}" if query else "")

    async def verified_form(self, request: Request) -> ImmutableMultiDict[str, str]:
        """The posted fields of a genuine Twilio request; `Rejected` (403/413/415) else."""
        signature = request.headers.get("x-twilio-signature", "")
        if not signature or not self._base:
            raise Rejected(403)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            raise Rejected(403)  # Twilio posts forms; anything else is not Twilio
        raw = await _read_limited(request)
        try:
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError as exc:
            raise Rejected(403) from exc
        form: ImmutableMultiDict[str, str] = ImmutableMultiDict(pairs)
        algorithm = get_signature_algorithm(
            request.headers.get("x-twilio-webhooks-signature-settings")
        )
        try:
            valid = self._validator.validate(self.url_for(request), form, signature, algorithm)
        except ValueError:
            valid = False
        if not valid:
            raise Rejected(403)
        return form
