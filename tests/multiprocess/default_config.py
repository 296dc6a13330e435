"""The multi-process proof with the DEFAULT configuration, and nginx in front (issue #24, #26).

    .venv/bin/python -m tests.multiprocess.default_config     # also run by `make multiprocess`

No CACHE_URL: each worker process has its own memory (locmem), as a newcomer's first
production install has. Filesystem media, PostgreSQL (PROOF_DEFAULT_DATABASE_URL,
recreated). Two gunicorn servers with two workers each: A (PROOF_PORT_A, 8111) and
B (PROOF_PORT_B, 8112); nginx on PROOF_NGINX_PORT (8113) in front of A, configured with
the block from docs/deployment.md.

What it checks:
  1. after an owner logs out through A, the old session cookie is refused (a redirect to
     the login page) on A and on B, every time, although both servers' workers had
     served that session before;
  2. the sign-up limit (10 an hour per client address) refuses the 11th sign-up from one
     address while the sign-ups alternate between A and B, and a rate-limited view does
     the same for its own limit;
  3. nginx: a public page is served from nginx's cache on the second request
     (X-Cache-Status HIT); a logged-in visitor's pages never are; a conditional GET gets
     304 (from nginx and from the app); /media/ comes from MEDIA_ROOT through nginx.
     Skipped with one line when nginx is not installed.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.fault import hidden_fields
from tests.multiprocess.run import (
    PASSWORD,
    PORT_A,
    PORT_B,
    ROOT,
    check,
    client,
    drop_database,
    login,
    manage,
    recreate_database,
    results,
    start_gunicorn,
    stop,
)

DATABASE_URL = os.environ.get(
    "PROOF_DEFAULT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ikm_multiprocess_default"
)
NGINX_PORT = int(os.environ.get("PROOF_NGINX_PORT", "8113"))
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
OWNER = "proof-default-owner@example.com"
REPLAYS = 12  # per server; each server has two workers


def environment(media, private):
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_", "S3_", "AWS_", "EMAIL_"))
    }
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "tests.multiprocess.settings",
        "DEBUG": "false",
        "SECRET_KEY": "multiprocess-default-proof-only-" + "k" * 40,
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DATABASE_URL,
        # No CACHE_URL: the default, per-process memory.
        "MEDIA_ROOT": str(media),
        "PRIVATE_MEDIA_ROOT": str(private),
        "EMAIL_URL": "dummymail://",
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
    }


def nginx_config(work, media):
    """docs/deployment.md's nginx block, pointed at this proof's ports and directories."""
    doc = (ROOT / "docs" / "deployment.md").read_text()
    block = doc[doc.index("<!-- nginx-config") :]
    block = block[block.index("```nginx\n") + len("```nginx\n") :]
    block = block[: block.index("```")]
    replacements = {
        "/var/cache/nginx/ikm": str(work / "cache"),
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{PORT_A};",
        "/srv/tangerang-ikm/media/": f"{media}/",
        "listen 443 ssl;": f"listen 127.0.0.1:{NGINX_PORT};",
    }
    for old, new in replacements.items():
        assert old in block, f"docs/deployment.md's nginx block no longer has {old!r}"
        block = block.replace(old, new)
    # Plain HTTP on loopback: no certificate, no HTTP/2.
    block = "\n".join(
        line for line in block.splitlines() if not re.match(r"\s*(ssl_certificate|http2 )", line)
    )
    user = "user root;\n" if os.geteuid() == 0 else ""  # the workers must write our temp dirs
    return f"""{user}worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {work}/access.log;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
{block}
}}
"""


def start_nginx(work, media):
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(nginx_config(work, media))
    subprocess.run([NGINX, "-t", "-q", "-p", str(work), "-c", str(conf)], check=True)
    process = subprocess.Popen(
        [NGINX, "-p", str(work), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=open(work / "stderr.log", "wb"),
    )
    for _ in range(100):
        try:
            requests.get(f"http://127.0.0.1:{NGINX_PORT}/healthz", timeout=2)
            return process
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"nginx did not start; see {work}/error.log")


def post(session, url, data):
    return session.post(
        url,
        data={**data, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=15,
    )


def prove_logout(a, b):
    alice = client("203.0.113.50")
    response = login(alice, a, OWNER, PASSWORD)
    check("default config: login through A succeeds", response.status_code == 302)
    old = alice.cookies.get("sessionid")
    # Both servers' workers serve (and, with a per-process session cache, would keep) it.
    seen = [alice.get(f"{s}/ikm/dasbor/", allow_redirects=False, timeout=15) for s in [a, b] * 6]
    check(
        "default config: the session is valid on A and B before the logout",
        old and all(r.status_code == 200 for r in seen),
        [r.status_code for r in seen],
    )
    out = post(alice, f"{a}/akun/keluar/", {})
    check("default config: logout through A", out.status_code == 302, out.status_code)
    replays = []
    for _ in range(REPLAYS):
        for server in (a, b):
            response = requests.get(
                f"{server}/ikm/dasbor/",
                cookies={"sessionid": old},
                allow_redirects=False,
                timeout=15,
            )
            refused = response.status_code == 302 and "/akun/masuk/" in response.headers.get(
                "Location", ""
            )
            replays.append(refused)
    check(
        f"default config: the old session cookie is refused on A and on B, "
        f"{len(replays)} of {len(replays)} times",
        all(replays),
        f"{replays.count(False)} of {len(replays)} let in",
    )


def sign_up_forms(servers, address):
    """One sign-up form per server in `servers`, each in its own browser session."""
    forms = []
    for n, server in enumerate(servers):
        session = client(address)
        page = session.get(f"{server}/akun/daftar/", timeout=15)
        forms.append((server, session, hidden_fields(page.text), n))
    return forms


def prove_rate_limits(a, b):
    address = "198.51.100.90"
    forms = sign_up_forms([a, b] * 5 + [a], address)
    time.sleep(3.5)  # the form refuses a post sent sooner than 3 s after it was shown
    statuses = []
    for server, session, hidden, n in forms:
        response = post(
            session,
            f"{server}/akun/daftar/",
            {
                **hidden,
                "full_name": "Uji Batas",
                "email": f"batas-{n}@example.com",
                "password1": "batas-rotan-77",
                "password2": "batas-rotan-77",
                "privacy_consent": "on",
            },
        )
        statuses.append(response.status_code)
    check(
        "default config: 10 sign-ups from one address alternating A/B pass, the 11th is refused",
        statuses == [302] * 10 + [429],
        statuses,
    )
    other = sign_up_forms([b], "198.51.100.91")
    time.sleep(3.5)
    server, session, hidden, _ = other[0]
    response = post(
        session,
        f"{server}/akun/daftar/",
        {
            **hidden,
            "full_name": "Uji Lain",
            "email": "batas-lain@example.com",
            "password1": "batas-rotan-77",
            "password2": "batas-rotan-77",
            "privacy_consent": "on",
        },
    )
    check("default config: another address may still sign up", response.status_code == 302)
    bob = client("198.51.100.92")
    limited = [bob.get(f"{s}/_proof/limited/", timeout=15).status_code for s in (a, b, a, b, a, b)]
    check(
        "default config: a view limited to 5 refuses the 6th request, alternating A/B",
        limited == [200] * 5 + [429],
        limited,
    )


def prove_nginx(a, media, work):
    if not NGINX:
        print("SKIP  nginx in front: nginx is not installed (apt-get install nginx)")
        return None
    process = start_nginx(work, media)
    proxy = f"http://127.0.0.1:{NGINX_PORT}"
    try:
        page = "/katalog/"
        first = requests.get(proxy + page, timeout=15)
        second = requests.get(proxy + page, timeout=15)
        check(
            "nginx: a public page is served from nginx's cache on the second request",
            first.status_code == 200
            and "public" in first.headers.get("Cache-Control", "")
            and second.headers.get("X-Cache-Status") == "HIT",
            f"{first.status_code} {first.headers.get('Cache-Control')} "
            f"{first.headers.get('X-Cache-Status')} -> {second.headers.get('X-Cache-Status')}",
        )
        etag = first.headers.get("ETag", "")
        again = requests.get(proxy + page, headers={"If-None-Match": etag}, timeout=15)
        # The app's own ETag: its page names the host it was asked for (nginx passes
        # `Host: 127.0.0.1`, without the port), so the two copies differ in their links.
        app_etag = requests.get(a + page, timeout=15).headers.get("ETag", "")
        direct = requests.get(a + page, headers={"If-None-Match": app_etag}, timeout=15)
        check(
            "a conditional GET gets 304, from nginx and from the app",
            bool(etag and app_etag) and again.status_code == 304 and direct.status_code == 304,
            f"ETag {etag!r}: nginx {again.status_code}; {app_etag!r}: app {direct.status_code}",
        )
        owner = requests.Session()
        response = login(owner, proxy, OWNER, PASSWORD)
        looks = [
            owner.get(proxy + path, allow_redirects=False, timeout=15)
            for path in ("/ikm/dasbor/", "/ikm/dasbor/", page, page)
        ]
        check(
            "nginx: a logged-in visitor's pages are never served from the cache",
            response.status_code == 302
            and [r.status_code for r in looks] == [200] * 4
            and not any(r.headers.get("X-Cache-Status") == "HIT" for r in looks)
            and "private" in looks[3].headers.get("Cache-Control", ""),
            [(r.status_code, r.headers.get("X-Cache-Status")) for r in looks],
        )
        (media / "proof").mkdir(parents=True, exist_ok=True)
        (media / "proof" / "nginx.txt").write_bytes(b"served by nginx from MEDIA_ROOT")
        served = requests.get(f"{proxy}/media/proof/nginx.txt", timeout=15)
        check(
            "nginx: /media/ is served from MEDIA_ROOT",
            served.status_code == 200
            and served.content == b"served by nginx from MEDIA_ROOT"
            and "X-Cache-Status" not in served.headers
            and served.headers.get("X-Content-Type-Options") == "nosniff",
            served.status_code,
        )
    finally:
        stop(process)
    return True


def main():
    started = time.monotonic()
    before = len(results)
    logs = Path(tempfile.mkdtemp(prefix="ikm-multiprocess-default-"))
    media, private = logs / "media", logs / "private"
    processes = []
    try:
        recreate_database(DATABASE_URL)
        env = environment(media, private)
        manage(env, "migrate", "--noinput", "-v0")
        create_user = (
            "from tangerang_ikm.models import User; from django.utils import timezone\n"
            f"u = User.objects.create_user(email='{OWNER}', password='{PASSWORD}')\n"
            "u.email_confirmed_at = timezone.now(); u.save()\n"
        )
        manage(env, "shell", "-v0", "-c", create_user)
        a, b = f"http://127.0.0.1:{PORT_A}", f"http://127.0.0.1:{PORT_B}"
        processes.append(start_gunicorn(env, PORT_A, "A", logs))
        processes.append(start_gunicorn(env, PORT_B, "B", logs))
        prove_logout(a, b)
        prove_rate_limits(a, b)
        prove_nginx(a, media, logs / "nginx")
    finally:
        for process in processes:
            stop(process)
        drop_database(DATABASE_URL)
    print(f"(default configuration: logs in {logs}; {time.monotonic() - started:.0f} s)")
    if all(results[before:]):
        shutil.rmtree(logs, ignore_errors=True)


if __name__ == "__main__":
    main()
    passed, failed = results.count(True), results.count(False)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not results else 0)
