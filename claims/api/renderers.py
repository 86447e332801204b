"""CSV for the claims list. The list view streams the rows itself (see ClaimViewSet.list);
this renderer is what makes ?format=csv and Accept: text/csv negotiable."""

import csv
import io
import json

from csp.constants import UNSAFE_INLINE
from rest_framework.renderers import BaseRenderer
from rest_framework.renderers import BrowsableAPIRenderer as DRFBrowsableAPIRenderer


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        # Only reached with already flat rows; the claims list never gets here.
        rows = data if isinstance(data, list) else [data]
        buffer = io.StringIO()
        if rows and isinstance(rows[0], dict):
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return buffer.getvalue().encode(self.charset)


class BrowsableAPIRenderer(DRFBrowsableAPIRenderer):
    """DRF's HTML pages. Their templates use inline style attributes (never inline scripts),
    so these pages alone may apply inline styles under the Content-Security-Policy."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = {"style-src": [UNSAFE_INLINE]}
        return super().render(data, accepted_media_type, renderer_context)


class NDJSONRenderer(BaseRenderer):
    """Newline-delimited JSON (one claim per line), for ?format=ndjson. Like CSV, the claims
    list streams the lines itself; this renderer makes the format negotiable."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        # Only reached with an error body, which is made JSON before (api_exception_handler).
        return ndjson_line(data)


def ndjson_line(item: object) -> bytes:
    return (json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
