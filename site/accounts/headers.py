"""Content-Security-Policy (django-csp) and Permissions-Policy on every response.

The site's own pages load only their own scripts, styles, images and fonts: no inline code.
The Wagtail admin (under ``/admin/``) cannot live with that: measured in Chromium (see
tests/browser/test_csp.py), its dashboard passes the strict policy but the page editor runs
inline scripts (the date-time widgets of the scheduling dialog, ``initDateTimeChooser(...)``,
inserted by jQuery) and inline styles (from vendor.js). So only under ``/admin/`` are inline
scripts and styles allowed; every other page keeps the strict policy."""

from csp.middleware import CSPMiddleware

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
ADMIN_PREFIX = "/admin/"
ADMIN_RELAXATION = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
}


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**(parts.update or {}), **ADMIN_RELAXATION}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
