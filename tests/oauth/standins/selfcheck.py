#!/usr/bin/python3
"""Self-check of provider_standin.py: starts every flavour on port 0, walks
authorize -> token -> user-info for each (with PKCE, and without where the provider allows it),
checks the documented answer shapes, the refusals, the /_standin controls; then stops them.

    /usr/bin/python3 tests/oauth/standins/selfcheck.py [provider ...]

Exit status 0 when every check passed.
"""

import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "provider_standin.py")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
REDIRECT = "http://127.0.0.1:1/oauth/callback"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name):
        return self.headers.get(name)


def http(method, url, form=None, query=None, headers=None, json_body=None, timeout=10):
    if query:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
    data = None
    hdrs = {"User-Agent": "standin-selfcheck"}
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        hdrs["Content-Type"] = "application/x-www-form-urlencoded"
    if json_body is not None:
        data = json.dumps(json_body).encode()
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with OPENER.open(req, timeout=timeout) as r:
            return Resp(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Resp(e.code, e.headers, e.read())


def basic(cid, secret):
    raw = urllib.parse.quote_plus(cid) + ":" + urllib.parse.quote_plus(secret)
    return "Basic " + base64.b64encode(raw.encode()).decode()


def pkce():
    verifier = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def good_json(resp):
    """The JSON object of a 200 answer without an `error` member, else None."""
    if resp.status != 200:
        return None
    try:
        body = resp.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) and "error" not in body else None


def exchange(s, form, verifier):
    """The token request both ways the provider accepts: with PKCE the verifier and HTTP Basic,
    without it the client secret in the body."""
    cid, secret = s.info["client_id"], s.info["client_secret"]
    form = dict(form)
    headers = {}
    if verifier is not None:
        form["code_verifier"] = verifier
        headers["Authorization"] = basic(cid, secret)
    else:
        form.update(client_id=cid, client_secret=secret)
    return http("POST", s.info["token_url"], form=form, headers=headers)


class Checker:
    def __init__(self, provider):
        self.provider = provider
        self.count = 0

    def __call__(self, cond, what):
        self.count += 1
        if not cond:
            raise AssertionError(f"[{self.provider}] {what}")


class Standin:
    def __init__(self, provider, *extra):
        self.proc = subprocess.Popen([PYTHON, SCRIPT, "--provider", provider, "--port", "0",
                                      *extra], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{provider} stand-in did not start")
        self.info = json.loads(line)
        self.base = self.info["base_url"]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()

    def ctl(self, method, path, body=None, query=None):
        return http(method, self.info["control_url"] + path, json_body=body, query=query)

    def authorize(self, params, fragment_ok=False):
        r = http("GET", self.info["authorize_url"], query=params)
        assert r.status == 302, (r.status, r.body)
        location = r.header("Location")
        split = urllib.parse.urlsplit(location)
        got = dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
        return got, location


def check_common(s, ok, flow):
    """Controls and misbehaviour, with `flow()` -> (token Resp, userinfo Resp) a full good run."""
    # requests log: the token call is recorded with what it carried
    s.ctl("DELETE", "/requests")
    tok, info = flow()
    ok(tok.status == 200 and info.status == 200, "good flow before behaviours")
    log = s.ctl("GET", "/requests", query={"endpoint": "token"}).json()
    ok(len(log) == 1, "one token request logged")
    entry = log[0]
    carried = dict(entry["query"])
    carried.update(entry["form"])
    ok("code" in carried, "logged token request shows the code")
    ok(any(k in carried for k in ("code_verifier",)), "logged token request shows code_verifier")
    secret_seen = ("client_secret" in carried
                   or entry.get("basic_auth", {}).get("client_secret") == s.info["client_secret"])
    if s.info["provider"] != "vk":
        ok(secret_seen, "logged token request shows the client secret (body or Basic)")
    all_log = s.ctl("GET", "/requests").json()
    ok([e["endpoint"] for e in all_log][:2] == ["authorize", "token"], "log order")

    # token: error
    ok(s.ctl("POST", "/behaviour", {"token": "error", "times": 1}).status == 200, "set behaviour")
    tok, _ = flow(expect_ok=False)
    if s.info["provider"] == "github":
        ok(tok.status == 200 and "error" in tok.json(), "forced github token error is 200+error")
    else:
        ok(tok.status >= 400, "forced token error status")
        body = tok.json()
        ok("error" in body, "forced token error body has error")
    tok, info = flow()
    ok(tok.status == 200 and info.status == 200, "times=1 behaviour is spent")

    # token: malformed
    s.ctl("POST", "/behaviour", {"token": "malformed", "times": 1})
    tok, _ = flow(expect_ok=False)
    ok(tok.status == 200, "malformed answers 200")
    try:
        json.loads(tok.body)
        ok(False, "malformed body must not parse")
    except ValueError:
        ok(True, "malformed body does not parse")

    # token: status
    s.ctl("POST", "/behaviour", {"token": "status:503"})
    tok, _ = flow(expect_ok=False)
    ok(tok.status == 503, "status:503")
    tok, _ = flow(expect_ok=False)
    ok(tok.status == 503, "sticky behaviour without times")
    s.ctl("POST", "/behaviour", {"token": "normal"})

    # token: slow
    s.ctl("POST", "/behaviour", {"token": "slow:300", "times": 1})
    started = time.monotonic()
    tok, info = flow()
    ok(time.monotonic() - started >= 0.3 and tok.status == 200, "slow:300 delays, then answers")

    # userinfo: error, status
    s.ctl("POST", "/behaviour", {"userinfo": "error", "times": 1})
    tok, info = flow(expect_ok=False)
    ok(tok.status == 200 and info.status >= 400, "forced userinfo error")
    s.ctl("POST", "/behaviour", {"userinfo": "status:500", "times": 1})
    tok, info = flow(expect_ok=False)
    ok(info.status == 500, "userinfo status:500")

    # bad control input
    ok(s.ctl("POST", "/behaviour", {"token": "bogus"}).status == 400, "bad mode refused")

    # reset: users back to the default, log emptied
    s.ctl("POST", "/users", {"id": "555", "email": "x@example.com", "email_verified": True})
    ok(s.ctl("GET", "/users").json()["default"] == "555", "new user is default")
    ok(s.ctl("POST", "/reset").status == 200, "reset")
    ok(s.ctl("GET", "/users").json()["default"] == "1000001", "reset restores default user")
    ok(s.ctl("GET", "/requests").json() == [], "reset empties the log")


# ---------------------------------------------------------------------------------------------
def run_yandex(s, ok):
    cid, secret = s.info["client_id"], s.info["client_secret"]
    s.ctl("POST", "/users", {"id": "4242", "email": "ya@example.com", "email_verified": True,
                             "first_name": "Ya", "last_name": "Ndex", "login": "yauser"})

    def flow(expect_ok=True, use_pkce=True, scope="login:email login:info"):
        verifier, challenge = pkce()
        params = {"response_type": "code", "client_id": cid, "redirect_uri": REDIRECT,
                  "state": "st-y", "scope": scope}
        if use_pkce:
            params.update(code_challenge=challenge, code_challenge_method="S256")
        got, _ = s.authorize(params)
        ok(got.get("state") == "st-y" and got.get("code"), "yandex callback has code and state")
        tok = exchange(s, {"grant_type": "authorization_code", "code": got["code"]},
                       verifier if use_pkce else None)
        body = good_json(tok)
        if body is None:
            ok(not expect_ok, f"yandex token failed: {tok.status} {tok.body!r}")
            return tok, None
        ok(body.get("token_type") == "bearer" and body.get("access_token")
           and isinstance(body.get("expires_in"), int) and body.get("refresh_token"),
           "yandex token answer fields")
        info = http("GET", s.info["userinfo_url"], query={"format": "json"},
                    headers={"Authorization": "OAuth " + body["access_token"]})
        if expect_ok:
            ok(info.status == 200, f"yandex info {info.status}")
        return tok, info

    tok, info = flow()
    u = info.json()
    ok(u["id"] == "4242" and u["login"] == "yauser" and u["default_email"] == "ya@example.com"
       and u["emails"] == ["ya@example.com"] and u["first_name"] == "Ya"
       and u["last_name"] == "Ndex" and u["client_id"] == cid, "yandex info fields")
    tok, info = flow(use_pkce=False)
    ok(info.status == 200, "yandex flow without PKCE, secret in the body")
    access = tok.json()["access_token"]
    r = http("GET", s.info["userinfo_url"], query={"oauth_token": access})
    ok(r.status == 200, "yandex info with oauth_token parameter")
    r = http("GET", s.info["userinfo_url"], headers={"Authorization": "Bearer " + access})
    ok(r.status == 401, "yandex info refuses the Bearer scheme (docs: OAuth)")
    tok, info = flow(scope="login:info")
    ok("default_email" not in info.json(), "yandex: no email without login:email")

    verifier, challenge = pkce()
    got, _ = s.authorize({"response_type": "code", "client_id": cid, "redirect_uri": REDIRECT,
                          "code_challenge": challenge, "code_challenge_method": "S256"})
    r = http("POST", s.info["token_url"], headers={"Authorization": basic(cid, secret)},
             form={"grant_type": "authorization_code", "code": got["code"],
                   "code_verifier": "x" * 43})
    ok(r.status == 400 and r.json()["error"] == "invalid_grant", "yandex wrong verifier")
    r = http("POST", s.info["token_url"], headers={"Authorization": basic(cid, secret)},
             form={"grant_type": "authorization_code", "code": got["code"],
                   "code_verifier": verifier})
    ok(r.status == 400 and r.json()["error"] == "invalid_grant", "yandex code is single-use")
    r = http("POST", s.info["token_url"], headers={"Authorization": basic(cid, "wrong")},
             form={"grant_type": "authorization_code", "code": "x"})
    ok(r.status == 401 and r.json()["error"] == "invalid_client", "yandex bad client secret")
    got, _ = s.authorize({"response_type": "code", "client_id": cid, "redirect_uri": REDIRECT,
                          "login_hint": "!deny", "state": "d"})
    ok(got.get("error") == "access_denied" and got.get("state") == "d", "yandex denied")
    return flow


def run_vk(s, ok):
    cid = s.info["client_id"]
    s.ctl("POST", "/users", {"id": "77001", "email": "vk@example.com", "email_verified": True,
                             "first_name": "Vasya", "last_name": "Pupkin"})
    state = secrets.token_urlsafe(32)

    def flow(expect_ok=True, sdk_style=False, scope="vkid.personal_info email"):
        verifier, challenge = pkce()
        got, _ = s.authorize({"response_type": "code", "client_id": cid, "scope": scope,
                              "redirect_uri": REDIRECT, "state": state,
                              "code_challenge": challenge, "code_challenge_method": "s256"})
        ok(got.get("code") and got.get("state") == state and got.get("device_id")
           and got.get("type") == "code_v2" and got.get("expires_in"),
           "vk callback has code, state, device_id, type, expires_in")
        params = {"grant_type": "authorization_code", "redirect_uri": REDIRECT, "client_id": cid,
                  "code_verifier": verifier, "state": state, "device_id": got["device_id"]}
        if sdk_style:  # as VK's web SDK: everything in the query, the code in the body
            tok = http("POST", s.info["token_url"], query=params, form={"code": got["code"]})
        else:
            params["code"] = got["code"]
            tok = http("POST", s.info["token_url"], form=params)
        body = good_json(tok)
        if body is None:
            ok(not expect_ok, f"vk token failed: {tok.status} {tok.body!r}")
            return tok, None
        ok(body.get("access_token") and body.get("refresh_token") and body.get("id_token")
           and body.get("expires_in") == 3600 and body.get("user_id") == 77001
           and body.get("state") == state and body.get("token_type") == "Bearer",
           "vk token answer fields")
        info = http("POST", s.info["userinfo_url"],
                    form={"client_id": cid, "access_token": body["access_token"]})
        if expect_ok:
            ok(info.status == 200, f"vk user_info {info.status}")
        return tok, info

    tok, info = flow()
    u = info.json()["user"]
    ok(u["user_id"] == "77001" and u["email"] == "vk@example.com" and u["first_name"] == "Vasya"
       and u["last_name"] == "Pupkin", "vk user_info fields")
    tok, info = flow(sdk_style=True)
    ok(info.status == 200, "vk SDK-style token call")
    tok, info = flow(scope="vkid.personal_info")
    ok("email" not in info.json()["user"], "vk: no email without the email scope")
    access = tok.json()["access_token"]
    r = http("POST", s.info["userinfo_url"], query={"client_id": cid},
             headers={"Authorization": "Bearer " + access}, form={})
    ok(r.status == 401, "vk user_info wants the token in the body")

    verifier, challenge = pkce()
    got, _ = s.authorize({"response_type": "code", "client_id": cid, "redirect_uri": REDIRECT,
                          "state": state, "code_challenge": challenge,
                          "code_challenge_method": "s256"})
    r = http("POST", s.info["token_url"], form={
        "grant_type": "authorization_code", "code": got["code"], "code_verifier": verifier,
        "client_id": cid, "redirect_uri": REDIRECT, "state": state})
    ok(r.status == 400 and r.json()["error"] == "invalid_request"
       and "device_id" in r.json()["error_description"], "vk requires device_id")
    got, _ = s.authorize({"response_type": "code", "client_id": cid, "redirect_uri": REDIRECT,
                          "state": state, "code_challenge": challenge,
                          "code_challenge_method": "s256"})
    r = http("POST", s.info["token_url"], form={
        "grant_type": "authorization_code", "code": got["code"], "code_verifier": verifier,
        "client_id": cid, "redirect_uri": REDIRECT, "state": state, "device_id": "other"})
    ok(r.status == 400 and r.json()["error"] == "invalid_grant", "vk device_id must match")
    got, _ = s.authorize({"response_type": "code", "client_id": cid, "redirect_uri": REDIRECT,
                          "state": state})
    ok(got.get("error") == "invalid_request", "vk requires code_challenge")
    r = http("GET", s.info["authorize_url"], query={"response_type": "code", "client_id": cid,
                                                    "redirect_uri": REDIRECT})
    ok(r.status == 400, "vk requires state")
    return flow


def run_mail(s, ok):
    cid, secret = s.info["client_id"], s.info["client_secret"]
    s.ctl("POST", "/users", {"id": "13131313", "email": "m@mail.ru", "email_verified": True,
                             "first_name": "Ivan", "last_name": "Petrov", "login": "ivan"})

    def flow(expect_ok=True, use_pkce=True):
        verifier, challenge = pkce()
        params = {"response_type": "code", "client_id": cid, "redirect_uri": REDIRECT,
                  "state": "st-m", "scope": "userinfo"}
        if use_pkce:
            params.update(code_challenge=challenge, code_challenge_method="S256")
        got, _ = s.authorize(params)
        ok(got.get("code") and got.get("state") == "st-m", "mail callback")
        tok = exchange(s, {"grant_type": "authorization_code", "code": got["code"],
                           "redirect_uri": REDIRECT}, verifier if use_pkce else None)
        body = good_json(tok)
        if body is None:
            ok(not expect_ok, f"mail token failed: {tok.status} {tok.body!r}")
            return tok, None
        ok(body.get("access_token") and body.get("refresh_token")
           and isinstance(body.get("expires_in"), int), "mail token answer fields")
        info = http("GET", s.info["userinfo_url"], query={"access_token": body["access_token"]})
        if expect_ok:
            ok(info.status == 200, f"mail userinfo {info.status}")
        return tok, info

    tok, info = flow()
    u = info.json()
    ok(u["id"] == "13131313" and u["email"] == "m@mail.ru" and u["first_name"] == "Ivan"
       and u["last_name"] == "Petrov" and u["client_id"] == cid, "mail userinfo fields")
    tok, info = flow(use_pkce=False)
    ok(info.status == 200, "mail flow without PKCE")
    got, _ = s.authorize({"response_type": "code", "client_id": cid, "redirect_uri": REDIRECT})
    r = http("POST", s.info["token_url"], headers={"Authorization": basic(cid, secret)},
             form={"grant_type": "authorization_code", "code": got["code"]})
    ok(r.status == 400 and r.json()["error"] == "invalid_request", "mail wants redirect_uri")
    r = http("GET", s.info["userinfo_url"], query={"access_token": "nope"})
    ok(r.status == 401 and "error" in r.json(), "mail bad token")
    return flow


def run_github(s, ok):
    cid, secret = s.info["client_id"], s.info["client_secret"]
    s.ctl("POST", "/users", {"id": "583231", "email": "octo@example.com", "email_verified": True,
                             "first_name": "Mona", "last_name": "Lisa", "login": "octocat",
                             "extra_emails": [{"email": "old@example.com", "verified": False}]})

    def flow(expect_ok=True, use_pkce=True, accept="application/json",
             scope="read:user user:email"):
        verifier, challenge = pkce()
        params = {"client_id": cid, "redirect_uri": REDIRECT, "state": "st-g", "scope": scope}
        if use_pkce:
            params.update(code_challenge=challenge, code_challenge_method="S256")
        got, _ = s.authorize(params)
        ok(got.get("code") and got.get("state") == "st-g", "github callback")
        form = {"client_id": cid, "client_secret": secret, "code": got["code"],
                "redirect_uri": REDIRECT}
        if use_pkce:
            form["code_verifier"] = verifier
        headers = {"Accept": accept} if accept else {}
        tok = http("POST", s.info["token_url"], form=form, headers=headers)
        if accept != "application/json":
            return tok, None
        body = good_json(tok)
        if body is None:
            ok(not expect_ok, f"github token failed: {tok.status} {tok.body!r}")
            return tok, None
        ok(body.get("access_token", "").startswith("gho_") and body.get("token_type") == "bearer"
           and body.get("scope") == ",".join(scope.split()), "github token answer fields")
        info = http("GET", s.info["userinfo_url"], headers={
            "Authorization": "Bearer " + body["access_token"],
            "Accept": "application/vnd.github+json"})
        if expect_ok:
            ok(info.status == 200, f"github /user {info.status}")
        return tok, info

    tok, info = flow()
    u = info.json()
    ok(u["id"] == 583231 and u["login"] == "octocat" and u["name"] == "Mona Lisa"
       and u["email"] is None, "github /user fields (no public email)")
    access = tok.json()["access_token"]
    r = http("GET", s.info["emails_url"], headers={"Authorization": "Bearer " + access})
    emails = r.json()
    ok(r.status == 200 and emails[0] == {"email": "octo@example.com", "primary": True,
                                         "verified": True, "visibility": "private"}
       and emails[1]["verified"] is False, "github /user/emails")
    tok, _ = flow(accept=None)
    parsed = dict(urllib.parse.parse_qsl(tok.body.decode()))
    ok(tok.header("Content-Type").startswith("application/x-www-form-urlencoded")
       and parsed.get("access_token") and parsed.get("token_type") == "bearer",
       "github default token answer is form-encoded")
    tok, _ = flow(accept="application/xml")
    ok(b"<OAuth><access_token>" in tok.body, "github XML token answer")
    tok, info = flow(use_pkce=False)
    ok(info.status == 200, "github flow without PKCE")
    tok, info = flow(scope="read:user")
    r = http("GET", s.info["emails_url"],
             headers={"Authorization": "Bearer " + tok.json()["access_token"]})
    ok(r.status == 404, "github /user/emails needs user:email")
    r = http("GET", s.info["userinfo_url"], headers={"Authorization": "Bearer nope"})
    ok(r.status == 401 and r.json()["message"] == "Bad credentials", "github bad token")

    r = http("POST", s.info["token_url"], headers={"Accept": "application/json"},
             form={"client_id": cid, "client_secret": secret, "code": "nope"})
    ok(r.status == 200 and r.json()["error"] == "bad_verification_code", "github bad code")
    r = http("POST", s.info["token_url"], headers={"Accept": "application/json"},
             form={"client_id": cid, "client_secret": "wrong", "code": "nope"})
    ok(r.json()["error"] == "incorrect_client_credentials", "github bad secret")
    got, _ = s.authorize({"client_id": cid, "redirect_uri": REDIRECT, "state": "p",
                          "code_challenge": "abc", "code_challenge_method": "plain"})
    ok(got.get("error") == "invalid_request", "github refuses plain PKCE")
    verifier, challenge = pkce()
    got, _ = s.authorize({"client_id": cid, "redirect_uri": REDIRECT,
                          "code_challenge": challenge, "code_challenge_method": "S256"})
    r = http("POST", s.info["token_url"], headers={"Accept": "application/json"},
             form={"client_id": cid, "client_secret": secret, "code": got["code"]})
    ok(r.json().get("error") and "code_verifier" in r.json()["error_description"],
       "github: verifier required after a challenge")
    got, _ = s.authorize({"client_id": cid, "redirect_uri": REDIRECT})
    r = http("POST", s.info["token_url"], headers={"Accept": "application/json"},
             form={"client_id": cid, "client_secret": secret, "code": got["code"],
                   "redirect_uri": REDIRECT + "/other"})
    ok(r.json().get("error") == "redirect_uri_mismatch", "github redirect_uri mismatch")
    s.ctl("POST", "/users", {"id": "9", "email": "u@example.com", "email_verified": False})
    got, _ = s.authorize({"client_id": cid, "redirect_uri": REDIRECT})
    r = http("POST", s.info["token_url"], headers={"Accept": "application/json"},
             form={"client_id": cid, "client_secret": secret, "code": got["code"]})
    ok(r.json().get("error") == "unverified_user_email", "github unverified primary email")
    s.ctl("POST", "/users", {"id": "583231", "email": "octo@example.com",
                             "email_verified": True, "login": "octocat"})
    r = http("GET", s.info["userinfo_url"], headers={"Authorization": "Bearer " + access,
                                                     "User-Agent": ""})
    ok(r.status in (200, 403), "github UA probe answered")
    return flow


def run_facebook(s, ok):
    cid, secret = s.info["client_id"], s.info["client_secret"]
    s.ctl("POST", "/users", {"id": "10158", "email": "fb@example.com", "email_verified": True,
                             "first_name": "Mark", "last_name": "Z"})

    def flow(expect_ok=True, use_pkce=True, with_secret=True, scope="email,public_profile"):
        verifier, challenge = pkce()
        params = {"client_id": cid, "redirect_uri": REDIRECT, "state": "st-f",
                  "response_type": "code", "scope": scope}
        if use_pkce:
            params.update(code_challenge=challenge, code_challenge_method="S256")
        got, location = s.authorize(params)
        ok(got.get("code") and got.get("state") == "st-f" and location.endswith("#_=_"),
           "facebook callback (with the #_=_ fragment)")
        query = {"client_id": cid, "redirect_uri": REDIRECT, "code": got["code"]}
        if with_secret:
            query["client_secret"] = secret
        if use_pkce:
            query["code_verifier"] = verifier
        tok = http("GET", s.info["token_url"], query=query)
        body = good_json(tok)
        if body is None:
            ok(not expect_ok, f"facebook token failed: {tok.status} {tok.body!r}")
            return tok, None
        ok(body.get("access_token") and body.get("token_type") == "bearer"
           and isinstance(body.get("expires_in"), int), "facebook token answer fields")
        info = http("GET", s.info["userinfo_url"], query={
            "fields": "id,name,email,first_name,last_name",
            "access_token": body["access_token"]})
        if expect_ok:
            ok(info.status == 200, f"facebook /me {info.status}")
        return tok, info

    tok, info = flow()
    u = info.json()
    ok(u == {"id": "10158", "name": "Mark Z", "email": "fb@example.com", "first_name": "Mark",
             "last_name": "Z"}, f"facebook /me fields {u}")
    tok, info = flow(use_pkce=False)
    ok(info.status == 200, "facebook classic flow (secret, no PKCE)")
    tok, info = flow(with_secret=False)
    ok(info.status == 200, "facebook PKCE flow without the secret")
    tok, _ = flow(use_pkce=False, with_secret=False, expect_ok=False)
    err = tok.json()["error"]
    ok(tok.status == 400 and err["type"] == "OAuthException" and "fbtrace_id" in err,
       "facebook: classic flow needs the secret")
    tok, info = flow(scope="public_profile")
    ok("email" not in info.json(), "facebook: no email without the email permission")
    r = http("GET", s.info["userinfo_url"], query={"access_token": "nope"})
    ok(r.status == 400 and r.json()["error"]["code"] == 190, "facebook bad token")
    r = http("GET", s.info["base_url"] + "/v19.0/me",
             query={"access_token": tok.json()["access_token"]})
    ok(r.status == 200 and set(r.json()) == {"id", "name"}, "facebook default fields, other "
                                                            "version prefix")
    got, _ = s.authorize({"client_id": cid, "redirect_uri": REDIRECT, "login_hint": "!deny"})
    ok(got.get("error_reason") == "user_denied" and got.get("error") == "access_denied",
       "facebook denied")
    got, _ = s.authorize({"client_id": cid, "redirect_uri": REDIRECT})
    r = http("POST", s.info["token_url"], form={"client_id": cid, "client_secret": secret,
                                                "code": got["code"],
                                                "redirect_uri": REDIRECT + "x"})
    ok(r.status == 400 and r.json()["error"]["error_subcode"] == 36008,
       "facebook redirect_uri must be identical")
    return flow


def run_twitter(s, ok):
    cid, secret = s.info["client_id"], s.info["client_secret"]
    s.ctl("POST", "/users", {"id": "2244994945", "email": "x@example.com", "email_verified": True,
                             "first_name": "X", "last_name": "Dev", "login": "XDevelopers"})

    def flow(expect_ok=True, scope="tweet.read users.read users.email offline.access",
             auth=True):
        verifier, challenge = pkce()
        got, _ = s.authorize({"response_type": "code", "client_id": cid,
                              "redirect_uri": REDIRECT, "scope": scope, "state": "st-x",
                              "code_challenge": challenge, "code_challenge_method": "S256"})
        ok(got.get("code") and got.get("state") == "st-x", "x callback")
        headers = {"Authorization": basic(cid, secret)} if auth else {}
        tok = http("POST", s.info["token_url"], headers=headers, form={
            "code": got["code"], "grant_type": "authorization_code",
            "redirect_uri": REDIRECT, "code_verifier": verifier})
        body = good_json(tok)
        if body is None:
            ok(not expect_ok, f"x token failed: {tok.status} {tok.body!r}")
            return tok, None
        ok(body.get("token_type") == "bearer" and body.get("expires_in") == 7200
           and body.get("access_token") and body.get("scope") == scope,
           "x token answer fields")
        info = http("GET", s.info["userinfo_url"], query={"user.fields": "confirmed_email"},
                    headers={"Authorization": "Bearer " + body["access_token"]})
        if expect_ok:
            ok(info.status == 200, f"x users/me {info.status}")
        return tok, info

    tok, info = flow()
    ok("refresh_token" in tok.json(), "x refresh token with offline.access")
    d = info.json()["data"]
    ok(d == {"id": "2244994945", "name": "X Dev", "username": "XDevelopers",
             "confirmed_email": "x@example.com"}, f"x users/me fields {d}")
    tok, _ = flow(auth=False, expect_ok=False)
    ok(tok.status == 401 and tok.json()["error"] == "unauthorized_client",
       "x confidential client needs Basic")
    tok, info = flow(scope="tweet.read users.read")
    ok("confirmed_email" not in info.json()["data"] and "refresh_token" not in tok.json(),
       "x: no email without users.email, no refresh token without offline.access")
    r = http("GET", s.info["userinfo_url"], headers={"Authorization": "Bearer nope"})
    ok(r.status == 401 and r.json()["title"] == "Unauthorized", "x bad token")
    got, _ = s.authorize({"response_type": "code", "client_id": cid, "redirect_uri": REDIRECT,
                          "scope": "users.read", "state": "s"})
    ok(got.get("error") == "invalid_request", "x requires code_challenge")
    return flow


RUNNERS = {"yandex": run_yandex, "vk": run_vk, "mail": run_mail, "github": run_github,
           "facebook": run_facebook, "twitter": run_twitter}


def main(argv):
    wanted = argv or list(RUNNERS)
    failures = 0
    for name in wanted:
        ok = Checker(name)
        s = Standin(name)
        try:
            flow = RUNNERS[name](s, ok)
            check_common(s, ok, flow)
            print(f"ok   {name}: {ok.count} checks ({s.base})")
        except Exception as e:  # noqa: BLE001 - report and go on with the others
            failures += 1
            print(f"FAIL {name}: {type(e).__name__}: {e}")
        finally:
            s.stop()
    # expiry, once: a stand-in with a 0.2 s code lifetime
    ok = Checker("expiry")
    s = Standin("mail", "--code-ttl", "0.2")
    try:
        got, _ = s.authorize({"response_type": "code", "client_id": s.info["client_id"],
                              "redirect_uri": REDIRECT})
        time.sleep(0.4)
        r = http("POST", s.info["token_url"], headers={
            "Authorization": basic(s.info["client_id"], s.info["client_secret"])},
            form={"grant_type": "authorization_code", "code": got["code"],
                  "redirect_uri": REDIRECT})
        ok(r.status == 400 and "expired" in r.json()["error_description"], "expired code")
        print(f"ok   expiry: {ok.count} checks")
    except Exception as e:  # noqa: BLE001
        failures += 1
        print(f"FAIL expiry: {type(e).__name__}: {e}")
    finally:
        s.stop()
    print("selfcheck: " + ("PASS" if failures == 0 else f"{failures} FAILED"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
