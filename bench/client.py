"""A tiny HTTP client with cookies and CSRF, for the fault and load scripts (stdlib only)."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base, timeout=10):
        self.base = base
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path, data=None, headers=None):
        # Production cookies are Secure; this client talks plain HTTP on loopback.
        for cookie in self.jar:
            cookie.secure = False
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=self.timeout) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")
        except OSError as e:
            return 0, str(e)

    def get(self, path):
        return self.request(path)

    def post_form(self, path, data):
        """GET the form for its CSRF token, then POST it back with `data`."""
        status, html = self.get(path)
        if status != 200:
            return status, html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not token:
            return 0, "no csrf token"
        return self.request(
            path,
            {**data, "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": self.base + path},
        )
