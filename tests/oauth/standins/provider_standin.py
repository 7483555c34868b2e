#!/usr/bin/python3
"""Stand-in OAuth 2.0 providers for tests: yandex, vk (VK ID), mail (Mail.ru), github, facebook,
twitter (X). Standard library only.

    /usr/bin/python3 provider_standin.py --provider <name> --port <port> [--host 127.0.0.1]
        [--client-id ID] [--client-secret SECRET] [--redirect-uri URI ...]
        [--code-ttl SECONDS] [--client-type confidential|public] [--verbose]

On start it prints ONE JSON line on stdout (then nothing else), e.g.
    {"provider": "github", "base_url": "http://127.0.0.1:41234",
     "authorize_url": ".../login/oauth/authorize", "token_url": ".../login/oauth/access_token",
     "userinfo_url": ".../user", "emails_url": ".../user/emails", "control_url": ".../_standin",
     "client_id": "...", "client_secret": "...",
     "env": {"GITHUB_CLIENT_ID": "...", "GITHUB_CLIENT_SECRET": "...",
             "OAUTH_GITHUB_AUTHORIZE_URL": "...", "OAUTH_GITHUB_TOKEN_URL": "...",
             "OAUTH_GITHUB_USERINFO_URL": "..."},
     "pid": 1234}

Path mapping (every endpoint sits on the one http://host:port; the real paths are kept):

  provider  real endpoint                                       stand-in path
  yandex    https://oauth.yandex.ru/authorize                   /authorize
            https://oauth.yandex.ru/token                       /token
            https://login.yandex.ru/info                        /info
  vk        https://id.vk.com/authorize                         /authorize
            https://id.vk.com/oauth2/auth                       /oauth2/auth
            https://id.vk.com/oauth2/user_info                  /oauth2/user_info
  mail      https://oauth.mail.ru/login                         /login
            https://oauth.mail.ru/token                         /token
            https://oauth.mail.ru/userinfo                      /userinfo
  github    https://github.com/login/oauth/authorize            /login/oauth/authorize
            https://github.com/login/oauth/access_token         /login/oauth/access_token
            https://api.github.com/user                         /user
            https://api.github.com/user/emails                  /user/emails
  facebook  https://www.facebook.com/vXX.X/dialog/oauth         /vXX.X/dialog/oauth   (any vN.N,
            https://graph.facebook.com/vXX.X/oauth/access_token /vXX.X/oauth/access_token  or no
            https://graph.facebook.com/vXX.X/me                 /vXX.X/me              version)
  twitter   https://x.com/i/oauth2/authorize                    /i/oauth2/authorize
            https://api.x.com/2/oauth2/token                    /2/oauth2/token
            https://api.x.com/2/users/me                        /2/users/me

Test control (JSON in and out), under /_standin/:
  POST /_standin/users      {"id","email","email_verified","first_name","last_name"[, "login",
                            "phone", "public_email", "extra_emails"]} add/replace, make default
  GET  /_standin/users      the users and the default one
  POST /_standin/behaviour  {"token": MODE, "userinfo": MODE, "emails": MODE, "authorize": MODE
                            [, "times": N]}; MODE: "error" | "malformed" | "slow:<ms>" |
                            "status:<code>" | "normal" (or null) to clear. Without "times" a mode
                            stays until cleared or reset; with it, it applies to the next N calls.
  POST /_standin/reset      back to the start state (users, codes, tokens, behaviours, log)
  GET  /_standin/requests   the provider requests received (not the /_standin ones), oldest first;
                            ?endpoint=token|authorize|userinfo|emails filters; DELETE clears.

Authorize picks the user from `login_hint` (GitHub also `login`): an id, email or login of a
configured user; `login_hint=!deny` makes the "user" refuse (access_denied redirect). No page is
shown: the answer is a 302 to redirect_uri.

What each flavour checks and answers is described, with the documentation it comes from, in
docs/oauth-providers.md; README.md next to this file says where the stand-in had to choose because
the documentation is silent.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import secrets
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROVIDERS = ("yandex", "vk", "mail", "github", "facebook", "twitter")
FACEBOOK_VERSION = "v23.0"  # printed URLs only; any /vN.N/ prefix (or none) is accepted

DEFAULT_USER = {
    "id": "1000001",
    "email": "standin.user@example.com",
    "email_verified": True,
    "first_name": "Stan",
    "last_name": "Din",
    "login": "standin",
}

# Authorization code lifetime, seconds. X documents 30 s; GitHub 10 minutes; the others: 10 min.
CODE_TTL = {"twitter": 30, "github": 600}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def s256(verifier):
    return b64url(hashlib.sha256(verifier.encode("ascii", "replace")).digest())


def flatten(multi):
    """parse_qs result -> {name: value} (a list only when repeated)."""
    return {k: (v[0] if len(v) == 1 else v) for k, v in multi.items()}


class Reply:
    def __init__(self, status, body=b"", content_type="application/json; charset=utf-8",
                 headers=None):
        self.status = status
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False)
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.body = body
        self.headers = [("Content-Type", content_type)] if content_type else []
        self.headers += list(headers or [])


def redirect(location):
    return Reply(302, b"", content_type=None, headers=[("Location", location)])


def add_query(url, params):
    parts = urllib.parse.urlsplit(url)
    query = parts.query
    extra = urllib.parse.urlencode([(k, v) for k, v in params if v is not None])
    query = query + "&" + extra if query else extra
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


class Request:
    """One incoming request, parsed once."""

    def __init__(self, handler, body):
        self.method = handler.command
        split = urllib.parse.urlsplit(handler.path)
        self.path = split.path
        self.query_multi = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        self.query = {k: v[0] for k, v in self.query_multi.items()}
        self.headers = {k: v for k, v in handler.headers.items()}
        self._lower = {k.lower(): v for k, v in handler.headers.items()}
        self.raw = body
        self.form_multi = {}
        self.json = None
        ctype = self.header("content-type") or ""
        if "application/x-www-form-urlencoded" in ctype:
            self.form_multi = urllib.parse.parse_qs(body.decode("utf-8", "replace"),
                                                    keep_blank_values=True)
        elif "application/json" in ctype and body:
            try:
                self.json = json.loads(body.decode("utf-8"))
            except ValueError:
                self.json = None
        self.form = {k: v[0] for k, v in self.form_multi.items()}

    def header(self, name):
        return self._lower.get(name.lower())

    def params(self):
        """Query and form together (form wins)."""
        merged = dict(self.query)
        merged.update(self.form)
        return merged

    def basic(self):
        """RFC 6749 2.3.1: HTTP Basic with form-encoded id and secret. None if absent/invalid."""
        value = self.header("authorization") or ""
        if not value.lower().startswith("basic "):
            return None
        try:
            decoded = base64.b64decode(value[6:].strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return ("", "")
        user, _, password = decoded.partition(":")
        return (urllib.parse.unquote_plus(user), urllib.parse.unquote_plus(password))

    def auth_token(self, *schemes):
        value = self.header("authorization") or ""
        scheme, _, token = value.partition(" ")
        if scheme.lower() in schemes and token.strip():
            return token.strip()
        return None

    def log_entry(self, seq, endpoint):
        entry = {
            "seq": seq,
            "time": time.time(),
            "endpoint": endpoint,
            "method": self.method,
            "path": self.path,
            "query": flatten(self.query_multi),
            "headers": self.headers,
            "form": flatten(self.form_multi),
            "json": self.json,
            "body": self.raw[:8192].decode("utf-8", "replace"),
        }
        basic = self.basic()
        if basic is not None:
            entry["basic_auth"] = {"client_id": basic[0], "client_secret": basic[1]}
        return entry


class TokenError(Exception):
    """A refused token request; `kind` is RFC 6749 5.2's vocabulary, mapped per provider."""

    def __init__(self, kind, description):
        super().__init__(description)
        self.kind = kind
        self.description = description


class AuthorizeError(Exception):
    def __init__(self, error, description, redirect_ok=True):
        super().__init__(description)
        self.error = error
        self.description = description
        self.redirect_ok = redirect_ok


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.users = {DEFAULT_USER["id"]: dict(DEFAULT_USER)}
        self.default_user = DEFAULT_USER["id"]
        self.codes = {}
        self.tokens = {}
        self.behaviour = {}  # key -> [mode, remaining or None]
        self.requests = []
        self.seq = 0

    def take_behaviour(self, key):
        entry = self.behaviour.get(key)
        if not entry:
            return None
        mode, remaining = entry
        if remaining is not None:
            remaining -= 1
            if remaining <= 0:
                del self.behaviour[key]
            else:
                entry[1] = remaining
        return mode


class Provider:
    """Shared mechanics; subclasses hold what differs between providers."""

    name = ""
    authorize_path = ""
    token_path = ""
    userinfo_path = ""
    emails_path = None
    token_methods = ("POST",)
    userinfo_methods = ("GET",)
    pkce_methods = ("S256", "plain")  # accepted code_challenge_method values
    pkce_required = False
    pkce_method_required = False  # challenge without method is an error (else RFC default plain)
    method_case_insensitive = False
    redirect_uri_required_at_authorize = True
    redirect_uri_required_at_token = True
    state_required = False
    response_type = "required"  # or "optional" (default code) or "ignored" (not a parameter)

    def __init__(self, args, state):
        self.args = args
        self.state = state
        self.client_id = args.client_id or f"standin-{self.name}-client-id"
        self.client_secret = args.client_secret or f"standin-{self.name}-client-secret"
        self.registered = list(args.redirect_uri or [])
        self.code_ttl = args.code_ttl if args.code_ttl is not None else CODE_TTL.get(self.name, 600)

    # ---- routing -------------------------------------------------------------------------------
    def route(self, path):
        if path == self.authorize_path:
            return "authorize"
        if path == self.token_path:
            return "token"
        if path == self.userinfo_path:
            return "userinfo"
        if self.emails_path and path == self.emails_path:
            return "emails"
        return None

    def urls(self, base):
        out = {
            "authorize_url": base + self.authorize_path,
            "token_url": base + self.token_path,
            "userinfo_url": base + self.userinfo_path,
        }
        if self.emails_path:
            out["emails_url"] = base + self.emails_path
        return out

    # ---- authorize -----------------------------------------------------------------------------
    def authorize(self, req):
        if req.method != "GET":
            return Reply(405, {"error": "method_not_allowed"}, headers=[("Allow", "GET")])
        q = req.query
        client_id = q.get("client_id")
        if not client_id or client_id != self.client_id:
            # Real providers show an error page here; nothing is sent to the redirect_uri.
            return Reply(400, {"error": "invalid_client",
                               "error_description": "unknown or missing client_id (standin page)"})
        redirect_uri = q.get("redirect_uri")
        if not redirect_uri:
            if self.redirect_uri_required_at_authorize or not self.registered:
                return Reply(400, {"error": "invalid_request",
                                   "error_description": "redirect_uri is required (standin page)"})
            redirect_uri = self.registered[0]
            sent_redirect = None
        else:
            sent_redirect = redirect_uri
            if self.registered and redirect_uri not in self.registered:
                return Reply(400, {"error": "redirect_uri_mismatch",
                                   "error_description": "redirect_uri is not registered "
                                                        "(standin page)"})
            if not redirect_uri.startswith(("http://", "https://")):
                return Reply(400, {"error": "invalid_request",
                                   "error_description": "redirect_uri is not an http(s) URL"})
        state = q.get("state")
        try:
            self.check_authorize(q)
            if self.state_required and not state:
                raise AuthorizeError("invalid_request", "state is required", redirect_ok=False)
            rtype = q.get("response_type")
            if self.response_type == "required" and rtype != "code":
                raise AuthorizeError("unsupported_response_type", "response_type must be code")
            if self.response_type == "optional" and rtype not in (None, "code"):
                raise AuthorizeError("unsupported_response_type",
                                     "the stand-in only does response_type=code")
            challenge = q.get("code_challenge")
            method = q.get("code_challenge_method")
            if challenge is None and method is not None and self.name == "github":
                raise AuthorizeError("invalid_request", "code_challenge_method without "
                                                        "code_challenge")
            if challenge is None and self.pkce_required:
                raise AuthorizeError("invalid_request", "code_challenge is required")
            if challenge is not None:
                if method is None:
                    if self.pkce_method_required:
                        raise AuthorizeError("invalid_request",
                                             "code_challenge_method is required")
                    method = "plain"
                allowed = self.pkce_methods
                ok = (method.lower() in [m.lower() for m in allowed]
                      if self.method_case_insensitive else method in allowed)
                if not ok:
                    raise AuthorizeError("invalid_request",
                                         f"code_challenge_method must be one of {list(allowed)}")
                if not challenge:
                    raise AuthorizeError("invalid_request", "empty code_challenge")
            hint = q.get("login_hint") or (q.get("login") if self.name == "github" else None)
            if hint == "!deny":
                return redirect(self.denied_location(redirect_uri, state))
            with self.state.lock:
                user_id = self.find_user(hint)
                if user_id is None:
                    return Reply(400, {"error": "standin_unknown_user",
                                       "error_description": f"no user matches login_hint {hint!r}"})
                code = self.new_code()
                record = {
                    "client_id": client_id,
                    "redirect_uri": sent_redirect,
                    "effective_redirect_uri": redirect_uri,
                    "code_challenge": challenge,
                    "code_challenge_method": method if challenge is not None else None,
                    "scope": q.get("scope"),
                    "state": state,
                    "user_id": user_id,
                    "created": time.time(),
                    "used": False,
                    "nonce": q.get("nonce"),
                }
                extra = self.callback_extras(record)
                self.state.codes[code] = record
        except AuthorizeError as e:
            if not e.redirect_ok:
                return Reply(400, {"error": e.error, "error_description": e.description})
            return redirect(add_query(redirect_uri, [("error", e.error),
                                                     ("error_description", e.description),
                                                     ("state", state)]))
        params = [("code", code)] + extra + [("state", state)]
        return redirect(self.callback_location(redirect_uri, params))

    def check_authorize(self, q):
        """Provider-specific checks on the authorize query; raise AuthorizeError."""

    def callback_extras(self, record):
        return []

    def callback_location(self, redirect_uri, params):
        return add_query(redirect_uri, params)

    def denied_location(self, redirect_uri, state):
        return add_query(redirect_uri, [("error", "access_denied"),
                                        ("error_description", "The user denied access"),
                                        ("state", state)])

    def find_user(self, hint):
        if not hint:
            return self.state.default_user
        for uid, user in self.state.users.items():
            if hint in (uid, user.get("email"), user.get("login")):
                return uid
        return None

    def new_code(self):
        return secrets.token_urlsafe(24)

    # ---- token ---------------------------------------------------------------------------------
    def token(self, req):
        if req.method not in self.token_methods:
            return Reply(405, {"error": "method_not_allowed"},
                         headers=[("Allow", ", ".join(self.token_methods))])
        try:
            return self.token_success(req, *self.redeem(req))
        except TokenError as e:
            return self.token_error(req, e.kind, e.description)

    def token_params(self, req):
        return req.params() if req.method == "GET" else dict(req.form)

    def client_auth(self, req, params):
        """Default: client_secret_basic or client_secret_post (either one)."""
        basic = req.basic()
        if basic is not None:
            cid, secret = basic
            if params.get("client_id") not in (None, cid):
                raise TokenError("invalid_request", "client_id differs from the Basic one")
        else:
            cid, secret = params.get("client_id"), params.get("client_secret")
        if not cid:
            raise TokenError("invalid_client", "client authentication is required")
        if cid != self.client_id or secret != self.client_secret:
            raise TokenError("invalid_client", "client authentication failed")
        return cid

    def redeem(self, req):
        params = self.token_params(req)
        grant = params.get("grant_type")
        self.check_grant_type(grant)
        client_id = self.client_auth(req, params)
        code = params.get("code")
        if not code:
            raise TokenError("invalid_request", "code is required")
        with self.state.lock:
            record = self.state.codes.get(code)
            if record is None or record["client_id"] != client_id:
                raise TokenError("invalid_grant", "unknown code")
            if record["used"]:
                raise TokenError("invalid_grant", "code was already used")
            record["used"] = True  # burnt by any attempt, successful or not
        if time.time() - record["created"] > self.code_ttl:
            raise TokenError("invalid_grant", "code has expired")
        sent = params.get("redirect_uri")
        if sent is None and self.redirect_uri_required_at_token:
            raise TokenError("invalid_request", "redirect_uri is required")
        if sent is not None and sent != record["effective_redirect_uri"]:
            raise TokenError("redirect_uri_mismatch",
                             "redirect_uri does not match the authorization request")
        verifier = params.get("code_verifier")
        if record["code_challenge"] is not None:
            if not verifier:
                raise TokenError("invalid_request", "code_verifier is required")
            method = record["code_challenge_method"]
            expected = s256(verifier) if method.upper() == "S256" else verifier
            if expected != record["code_challenge"]:
                raise TokenError("pkce", "code_verifier does not match the code_challenge")
        self.check_token_extras(params, record)
        return params, record

    def check_grant_type(self, grant):
        if not grant:
            raise TokenError("invalid_request", "grant_type is required")
        if grant != "authorization_code":
            raise TokenError("unsupported_grant_type", f"unsupported grant_type {grant}")

    def check_token_extras(self, params, record):
        pass

    def issue(self, record, prefix, ttl):
        token = prefix + secrets.token_urlsafe(32)
        with self.state.lock:
            self.state.tokens[token] = {"user_id": record["user_id"], "scope": record["scope"],
                                        "client_id": record["client_id"],
                                        "expires_at": time.time() + ttl if ttl else None}
        return token

    def token_success(self, req, params, record):
        raise NotImplementedError

    def token_error(self, req, kind, description):
        code = {"pkce": "invalid_grant", "redirect_uri_mismatch": "invalid_grant"}.get(kind, kind)
        status = 401 if code == "invalid_client" and req.basic() is not None else 400
        return Reply(status, {"error": code, "error_description": description})

    # ---- user-info -----------------------------------------------------------------------------
    def lookup(self, token):
        """(token record, user) or (None, None)."""
        with self.state.lock:
            rec = self.state.tokens.get(token or "")
            if rec is None:
                return None, None
            if rec["expires_at"] is not None and time.time() > rec["expires_at"]:
                return None, None
            user = self.state.users.get(rec["user_id"])
            return (rec, dict(user)) if user is not None else (None, None)

    @staticmethod
    def scopes(rec):
        """The scopes asked for at authorize (space- or comma-separated); None if not sent."""
        scope = rec.get("scope")
        if scope is None:
            return None
        return {s for s in re.split(r"[ ,]+", scope) if s}

    def userinfo(self, req, endpoint):
        raise NotImplementedError

    def userinfo_error(self, req, endpoint):
        # Where the documentation shows no error body: RFC 6750 3.1.
        return Reply(401, {"error": "invalid_token",
                           "error_description": "standin: access token is missing or invalid"})

    def forced_error(self, req, endpoint):
        if endpoint == "token":
            return self.token_error(req, "invalid_grant", "standin: forced token error")
        if endpoint == "authorize":
            return Reply(400, {"error": "server_error",
                               "error_description": "standin: forced authorize error"})
        return self.userinfo_error(req, endpoint)


# ---------------------------------------------------------------------------------------------
class Yandex(Provider):
    name = "yandex"
    authorize_path = "/authorize"
    token_path = "/token"
    userinfo_path = "/info"
    redirect_uri_required_at_authorize = False  # docs: optional (the registered one by default)
    redirect_uri_required_at_token = False

    def token_success(self, req, params, record):
        ttl = 31536000
        scope = record["scope"] or "login:info login:email"
        return Reply(200, {"token_type": "bearer",
                           "access_token": self.issue(record, "y0_", ttl),
                           "expires_in": ttl,
                           "refresh_token": "1:" + secrets.token_urlsafe(24),
                           "scope": scope})

    def userinfo(self, req, endpoint):
        if req.method != "GET":
            return Reply(405, {"error": "method_not_allowed"}, headers=[("Allow", "GET")])
        token = req.auth_token("oauth") or req.query.get("oauth_token")
        rec, user = self.lookup(token)
        if rec is None:
            return self.userinfo_error(req, endpoint)
        fmt = req.query.get("format", "json")
        if fmt != "json":
            return Reply(400, {"error": "standin supports format=json only"})
        scopes = self.scopes(rec)  # None: the app's registered rights, taken as all
        out = {"id": user["id"], "login": user.get("login") or ("user" + user["id"]),
               "client_id": rec["client_id"], "psuid": "1.standin." + user["id"]}
        if scopes is None or "login:email" in scopes:
            if user.get("email"):
                out["default_email"] = user["email"]
                out["emails"] = [user["email"]] + [e["email"] for e in
                                                   user.get("extra_emails") or []]
        if scopes is None or "login:info" in scopes:
            first_name = user.get("first_name") or ""
            last_name = user.get("last_name") or ""
            out.update({"first_name": first_name, "last_name": last_name,
                        "display_name": out["login"],
                        "real_name": (first_name + " " + last_name).strip(), "sex": None})
        return Reply(200, out)

    def userinfo_error(self, req, endpoint):
        # The documentation shows no error body for login.yandex.ru/info; RFC 6750 3.1 fallback.
        return Reply(401, {"error": "invalid_token", "error_description": "standin: invalid token"},
                     headers=[("WWW-Authenticate", 'OAuth error="invalid_token"')])


# ---------------------------------------------------------------------------------------------
class VKID(Provider):
    name = "vk"
    authorize_path = "/authorize"
    token_path = "/oauth2/auth"
    userinfo_path = "/oauth2/user_info"
    userinfo_methods = ("POST",)
    pkce_methods = ("S256",)
    method_case_insensitive = True  # docs write s256, the SDK examples S256
    pkce_required = True
    pkce_method_required = True
    state_required = True

    def new_code(self):
        return "vk2.a." + secrets.token_urlsafe(24)

    def callback_extras(self, record):
        record["device_id"] = secrets.token_urlsafe(24)
        return [("expires_in", "600"), ("device_id", record["device_id"]), ("type", "code_v2")]

    def token_params(self, req):
        return req.params()  # the VK ID SDK puts most of them in the query, code in the body

    def client_auth(self, req, params):
        # VK ID's token call carries client_id only (PKCE is the proof); a secret is not used.
        cid = params.get("client_id")
        if not cid:
            raise TokenError("invalid_request", "client_id is required")
        if cid != self.client_id:
            raise TokenError("invalid_client", "unknown client_id")
        return cid

    def check_token_extras(self, params, record):
        if not params.get("device_id"):
            raise TokenError("invalid_request", "device_id is required")
        if params["device_id"] != record["device_id"]:
            raise TokenError("invalid_grant", "device_id does not match the code")
        if not params.get("state"):
            raise TokenError("invalid_request", "state is required")

    def token_success(self, req, params, record):
        ttl = 3600  # documented: an access token lives 1 hour
        scope = record["scope"] or "vkid.personal_info"
        now = int(time.time())
        user_id = record["user_id"]
        id_token = ".".join([
            b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode()),
            b64url(json.dumps({"iss": "VK", "sub": user_id, "aud": self.client_id,
                               "iat": now, "exp": now + ttl}).encode()),
            b64url(secrets.token_bytes(64))])  # not verifiable: a stand-in
        return Reply(200, {"refresh_token": "vk2.a." + secrets.token_urlsafe(32),
                           "access_token": self.issue(record, "vk2.a.", ttl),
                           "id_token": id_token,
                           "token_type": "Bearer",
                           "expires_in": ttl,
                           "user_id": int(user_id) if user_id.isdigit() else user_id,
                           "state": params.get("state"),
                           "scope": scope})

    def token_error(self, req, kind, description):
        code = {"pkce": "invalid_grant", "redirect_uri_mismatch": "invalid_grant"}.get(kind, kind)
        params = self.token_params(req)
        body = {"error": code, "error_description": description}
        if params.get("state"):
            body["state"] = params["state"]
        return Reply(400, body)

    def userinfo(self, req, endpoint):
        if req.method != "POST":
            return Reply(405, {"error": "method_not_allowed"}, headers=[("Allow", "POST")])
        params = req.params()
        if params.get("client_id") != self.client_id:
            return Reply(400, {"error": "invalid_request",
                               "error_description": "client_id is missing or wrong"})
        rec, user = self.lookup(req.form.get("access_token"))  # the body only (docs)
        if rec is None:
            return self.userinfo_error(req, endpoint)
        scopes = self.scopes(rec) or {"vkid.personal_info"}
        out = {"user_id": user["id"], "first_name": user.get("first_name") or "",
               "last_name": user.get("last_name") or "", "avatar": "", "sex": 0,
               "verified": False, "birthday": ""}
        if "email" in scopes and user.get("email"):
            out["email"] = user["email"]
        if "phone" in scopes and user.get("phone"):
            out["phone"] = user["phone"]
        return Reply(200, {"user": out})


# ---------------------------------------------------------------------------------------------
class MailRu(Provider):
    name = "mail"
    authorize_path = "/login"
    token_path = "/token"
    userinfo_path = "/userinfo"

    def token_success(self, req, params, record):
        ttl = 3600
        return Reply(200, {"access_token": self.issue(record, "", ttl),
                           "refresh_token": secrets.token_hex(20),
                           "expires_in": ttl,
                           "token_type": "bearer"})

    def userinfo(self, req, endpoint):
        if req.method != "GET":
            return Reply(405, {"error": "method_not_allowed"}, headers=[("Allow", "GET")])
        rec, user = self.lookup(req.query.get("access_token"))
        if rec is None:
            return self.userinfo_error(req, endpoint)
        scopes = self.scopes(rec)
        if scopes is not None and "userinfo" not in scopes:
            return Reply(403, {"error": "insufficient_scope",
                               "error_description": "the token lacks the userinfo scope"})
        first_name = user.get("first_name") or ""
        last_name = user.get("last_name") or ""
        out = {"id": user["id"], "client_id": rec["client_id"],
               "first_name": first_name, "last_name": last_name,
               "name": (first_name + " " + last_name).strip(),
               "nickname": user.get("login") or first_name,
               "image": "", "gender": "", "locale": "ru_RU"}
        if user.get("email"):
            out["email"] = user["email"]
        return Reply(200, out)


# ---------------------------------------------------------------------------------------------
class GitHub(Provider):
    name = "github"
    authorize_path = "/login/oauth/authorize"
    token_path = "/login/oauth/access_token"
    userinfo_path = "/user"
    emails_path = "/user/emails"
    response_type = "ignored"
    pkce_methods = ("S256",)
    pkce_method_required = True
    redirect_uri_required_at_authorize = False
    redirect_uri_required_at_token = False

    def token_params(self, req):
        return req.params()  # documented as "parameters"; GitHub App docs say query parameters

    def client_auth(self, req, params):
        cid, secret = params.get("client_id"), params.get("client_secret")
        if cid != self.client_id or secret != self.client_secret:
            raise TokenError("incorrect_client_credentials",
                             "The client_id and/or client_secret passed are incorrect.")
        return cid

    def check_grant_type(self, grant):
        pass  # not a parameter of GitHub's web flow exchange

    def check_token_extras(self, params, record):
        with self.state.lock:
            user = self.state.users.get(record["user_id"], {})
        if user.get("email") and not user.get("email_verified", False):
            raise TokenError("unverified_user_email", "The user must have a verified primary email.")

    def respond(self, req, fields):
        accept = req.header("accept") or ""
        if "application/json" in accept:
            return Reply(200, fields)
        if "application/xml" in accept:
            body = "<OAuth>" + "".join(f"<{k}>{v}</{k}>" for k, v in fields.items()) + "</OAuth>"
            return Reply(200, body, content_type="application/xml; charset=utf-8")
        return Reply(200, urllib.parse.urlencode(fields),
                     content_type="application/x-www-form-urlencoded; charset=utf-8")

    def token_success(self, req, params, record):
        scope = ",".join(s for s in re.split(r"[ ,]+", record["scope"] or "") if s)
        return self.respond(req, {"access_token": self.issue(record, "gho_", None),
                                  "scope": scope, "token_type": "bearer"})

    def token_error(self, req, kind, description):
        error = {"invalid_grant": "bad_verification_code", "pkce": "bad_verification_code",
                 "invalid_client": "incorrect_client_credentials"}.get(kind, kind)
        if kind == "invalid_grant":
            description = "The code passed is incorrect or expired."
        if error == "redirect_uri_mismatch":
            description = "The redirect_uri MUST match the registered callback URL for this " \
                          "application."
        anchor = error.replace("_", "-")
        return self.respond(req, {
            "error": error, "error_description": description,
            "error_uri": "https://docs.github.com/apps/managing-oauth-apps/"
                         f"troubleshooting-oauth-app-access-token-request-errors/#{anchor}"})

    def userinfo(self, req, endpoint):
        if req.method != "GET":
            return Reply(405, {"message": "Not Found"})
        if not req.header("user-agent"):
            return Reply(403, {"message": "Request forbidden: a User-Agent header is required",
                               "documentation_url": "https://docs.github.com/rest",
                               "status": "403"})
        token = req.auth_token("bearer", "token")
        rec, user = self.lookup(token)
        if rec is None:
            return self.userinfo_error(req, endpoint)
        uid = user["id"]
        if endpoint == "emails":
            scopes = self.scopes(rec) or set()
            if not scopes & {"user:email", "user"}:
                return Reply(404, {"message": "Not Found",
                                   "documentation_url": "https://docs.github.com/rest/users/"
                                                        "emails#list-email-addresses-for-the-"
                                                        "authenticated-user",
                                   "status": "404"})
            out = []
            if user.get("email"):
                out.append({"email": user["email"], "primary": True,
                            "verified": bool(user.get("email_verified", False)),
                            "visibility": "public" if user.get("public_email") else "private"})
            for extra in user.get("extra_emails") or []:
                out.append({"email": extra["email"], "primary": False,
                            "verified": bool(extra.get("verified", False)), "visibility": None})
            return Reply(200, out)
        login = user.get("login") or ("user" + uid)
        name = " ".join(x for x in (user.get("first_name"), user.get("last_name")) if x) or None
        return Reply(200, {
            "login": login, "id": int(uid) if uid.isdigit() else uid,
            "node_id": "U_standin" + uid, "avatar_url": "", "gravatar_id": "",
            "url": "https://api.github.com/users/" + login,
            "html_url": "https://github.com/" + login, "type": "User", "site_admin": False,
            "name": name, "company": None, "blog": "", "location": None,
            "email": user.get("email") if user.get("public_email") else None,
            "hireable": None, "bio": None, "public_repos": 0, "followers": 0, "following": 0,
            "created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z"})

    def userinfo_error(self, req, endpoint):
        message = "Bad credentials" if req.header("authorization") else "Requires authentication"
        return Reply(401, {"message": message, "documentation_url": "https://docs.github.com/rest",
                           "status": "401"})


# ---------------------------------------------------------------------------------------------
class Facebook(Provider):
    name = "facebook"
    token_methods = ("GET", "POST")
    response_type = "optional"
    _version = r"(?:/v\d+\.\d+)?"
    fields_known = {"id", "name", "email", "first_name", "last_name", "middle_name", "short_name",
                    "name_format", "picture"}

    def __init__(self, args, state):
        super().__init__(args, state)
        v = "/" + FACEBOOK_VERSION
        self.authorize_path = v + "/dialog/oauth"
        self.token_path = v + "/oauth/access_token"
        self.userinfo_path = v + "/me"

    def route(self, path):
        for endpoint, tail in (("authorize", "/dialog/oauth"), ("token", "/oauth/access_token"),
                               ("userinfo", "/me")):
            if re.fullmatch(self._version + re.escape(tail), path):
                return endpoint
        return None

    def token_params(self, req):
        return req.params()  # documented as a GET with query parameters; a form POST is taken too

    def check_grant_type(self, grant):
        if grant not in (None, "authorization_code"):
            raise TokenError("unsupported_grant_type", f"unsupported grant_type {grant}")

    def client_auth(self, req, params):
        cid = params.get("client_id")
        if cid != self.client_id:
            raise TokenError("invalid_client", "Error validating application. Invalid "
                                               "application ID.")
        secret = params.get("client_secret")
        if secret is None:
            # The PKCE flow proves the client with code_verifier; the classic one needs the secret.
            code = params.get("code")
            with self.state.lock:
                record = self.state.codes.get(code or "")
            if record is None or record["code_challenge"] is None:
                raise TokenError("invalid_client", "Missing client_secret parameter.")
        elif secret != self.client_secret:
            raise TokenError("invalid_client", "Error validating client secret.")
        return cid

    def callback_location(self, redirect_uri, params):
        return add_query(redirect_uri, params) + "#_=_"

    def denied_location(self, redirect_uri, state):
        return add_query(redirect_uri, [("error_reason", "user_denied"),
                                        ("error", "access_denied"),
                                        ("error_description", "Permissions error."),
                                        ("state", state)]) + "#_=_"

    def token_success(self, req, params, record):
        ttl = 5183944
        return Reply(200, {"access_token": self.issue(record, "EAA", ttl),
                           "token_type": "bearer", "expires_in": ttl})

    @staticmethod
    def graph_error(message, code, status=400, subcode=None, etype="OAuthException"):
        err = {"message": message, "type": etype, "code": code,
               "fbtrace_id": "Standin" + secrets.token_hex(6)}
        if subcode is not None:
            err["error_subcode"] = subcode
        return Reply(status, {"error": err})

    def token_error(self, req, kind, description):
        if kind in ("invalid_grant", "pkce"):
            return self.graph_error("Invalid verification code format." if kind == "pkce" else
                                    "This authorization code has been used or has expired: "
                                    + description, 100, subcode=36009 if kind != "pkce" else None)
        if kind == "redirect_uri_mismatch":
            return self.graph_error("Error validating verification code. Please make sure your "
                                    "redirect_uri is identical to the one you used in the OAuth "
                                    "dialog request", 100, subcode=36008)
        return self.graph_error(description, 101 if kind == "invalid_client" else 100)

    def userinfo(self, req, endpoint):
        if req.method not in ("GET", "POST"):
            return Reply(405, {"error": "method_not_allowed"})
        params = req.params()
        token = params.get("access_token") or req.auth_token("bearer", "oauth")
        rec, user = self.lookup(token)
        if rec is None:
            return self.userinfo_error(req, endpoint)
        fields = [f for f in (params.get("fields") or "id,name").split(",") if f]
        for f in fields:
            if f not in self.fields_known:
                return self.graph_error(f"(#100) Tried accessing nonexisting field ({f}) on node "
                                        "type (User)", 100)
        scopes = self.scopes(rec) or set()
        first_name = user.get("first_name") or ""
        last_name = user.get("last_name") or ""
        values = {"id": user["id"], "name": (first_name + " " + last_name).strip(),
                  "first_name": first_name, "last_name": last_name, "middle_name": None,
                  "short_name": first_name, "name_format": "{first} {last}", "picture": None}
        if "email" in scopes and user.get("email"):
            values["email"] = user["email"]
        out = {f: values[f] for f in fields if values.get(f) is not None}
        out["id"] = user["id"]  # Graph always returns the id
        return Reply(200, out)

    def userinfo_error(self, req, endpoint):
        return self.graph_error("Invalid OAuth access token - Cannot parse access token", 190)


# ---------------------------------------------------------------------------------------------
class Twitter(Provider):
    name = "twitter"
    authorize_path = "/i/oauth2/authorize"
    token_path = "/2/oauth2/token"
    userinfo_path = "/2/users/me"
    pkce_required = True
    pkce_method_required = True

    def check_authorize(self, q):
        if q.get("state") is not None and len(q["state"]) > 500:
            raise AuthorizeError("invalid_request", "state is longer than 500 characters")

    def client_auth(self, req, params):
        basic = req.basic()
        if self.args.client_type == "public":
            if basic is None:
                cid = params.get("client_id")
                if cid != self.client_id:
                    raise TokenError("invalid_request", "Missing required parameter [client_id].")
                return cid
        if basic is None:
            raise TokenError("unauthorized_client", "Missing valid authorization header")
        cid, secret = basic
        if cid != self.client_id or secret != self.client_secret:
            raise TokenError("unauthorized_client", "Missing valid authorization header")
        if params.get("client_id") not in (None, cid):
            raise TokenError("invalid_request", "client_id differs from the Basic one")
        return cid

    def token_success(self, req, params, record):
        ttl = 7200  # documented: two hours
        scope = record["scope"] or ""
        body = {"token_type": "bearer", "expires_in": ttl,
                "access_token": self.issue(record, "", ttl), "scope": scope}
        if "offline.access" in scope.split():
            body["refresh_token"] = secrets.token_urlsafe(40)
        return Reply(200, body)

    def token_error(self, req, kind, description):
        if kind == "unauthorized_client":
            return Reply(401, {"error": "unauthorized_client", "error_description": description})
        code = {"pkce": "invalid_request", "redirect_uri_mismatch": "invalid_request",
                "invalid_grant": "invalid_request"}.get(kind, kind)
        return Reply(400, {"error": code, "error_description": description})

    def userinfo(self, req, endpoint):
        if req.method != "GET":
            return Reply(405, {"title": "Method Not Allowed", "status": 405})
        rec, user = self.lookup(req.auth_token("bearer"))
        if rec is None:
            return self.userinfo_error(req, endpoint)
        scopes = self.scopes(rec) or set()
        if not {"tweet.read", "users.read"} <= scopes:
            return Reply(403, {"title": "Forbidden", "type": "about:blank", "status": 403,
                               "detail": "Forbidden"})
        fields = [f for f in (req.query.get("user.fields") or "").split(",") if f]
        name = " ".join(x for x in (user.get("first_name"), user.get("last_name")) if x)
        data = {"id": user["id"], "name": name or (user.get("login") or "user"),
                "username": user.get("login") or ("user" + user["id"])}
        for f in fields:
            if f == "confirmed_email":
                if "users.email" in scopes and user.get("email") and user.get("email_verified"):
                    data["confirmed_email"] = user["email"]
            elif f == "created_at":
                data["created_at"] = "2020-01-01T00:00:00.000Z"
            elif f in ("protected", "verified"):
                data[f] = False
            elif f in ("description", "location", "url", "profile_image_url"):
                data[f] = ""
        return Reply(200, {"data": data})

    def userinfo_error(self, req, endpoint):
        return Reply(401, {"title": "Unauthorized", "type": "about:blank", "status": 401,
                           "detail": "Unauthorized"})


FLAVOURS = {"yandex": Yandex, "vk": VKID, "mail": MailRu, "github": GitHub,
            "facebook": Facebook, "twitter": Twitter}


# ---------------------------------------------------------------------------------------------
def make_handler(provider, state, verbose):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "provider-standin/1"

        def log_message(self, fmt, *args):
            if verbose:
                sys.stderr.write("standin %s: %s\n" % (provider.name, fmt % args))

        def send(self, reply):
            try:
                self.send_response(reply.status)
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def body(self):
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                data = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return data
                    data += self.rfile.read(size)
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length > 0 else b""

        def handle_any(self):
            raw = self.body()
            req = Request(self, raw)
            if req.path.startswith("/_standin"):
                self.send(control(req, provider, state))
                return
            endpoint = provider.route(req.path)
            if endpoint is None:
                self.send(Reply(404, {"error": "not_found", "path": req.path}))
                return
            with state.lock:
                state.seq += 1
                state.requests.append(req.log_entry(state.seq, endpoint))
                mode = state.take_behaviour(endpoint)
                if mode is None and endpoint == "emails":
                    mode = state.take_behaviour("userinfo")
            self.send(apply(mode, req, provider, endpoint))

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any

    return Handler


def apply(mode, req, provider, endpoint):
    call = {"authorize": provider.authorize, "token": provider.token,
            "userinfo": lambda r: provider.userinfo(r, "userinfo"),
            "emails": lambda r: provider.userinfo(r, "emails")}[endpoint]
    if not mode or mode == "normal":
        return call(req)
    if mode.startswith("slow:"):
        time.sleep(int(mode[5:]) / 1000.0)
        return call(req)
    if mode == "error":
        return provider.forced_error(req, endpoint)
    if mode == "malformed":
        return Reply(200, b'{"access_token": "standin-trunc', content_type="application/json")
    if mode.startswith("status:"):
        code = int(mode[7:])
        return Reply(code, f"<html><body><h1>{code}</h1>standin forced status</body></html>",
                     content_type="text/html; charset=utf-8")
    return Reply(500, {"error": "standin: unknown behaviour " + mode})


VALID_MODE = re.compile(r"^(error|malformed|normal|slow:\d+|status:[1-5]\d\d)$")


def control(req, provider, state):
    path = req.path.rstrip("/")
    body = req.json if isinstance(req.json, dict) else {}
    if path == "/_standin/users":
        if req.method == "GET":
            with state.lock:
                return Reply(200, {"default": state.default_user,
                                   "users": list(state.users.values())})
        if req.method == "POST":
            uid = body.get("id")
            if uid is None or str(uid) == "":
                return Reply(400, {"error": "id is required"})
            user = dict(body)
            user["id"] = str(uid)
            user.setdefault("email_verified", False)
            with state.lock:
                state.users[user["id"]] = user
                state.default_user = user["id"]
            return Reply(200, {"default": user["id"], "user": user})
    elif path == "/_standin/behaviour" and req.method == "POST":
        times = body.get("times")
        if times is not None and (not isinstance(times, int) or times < 1):
            return Reply(400, {"error": "times must be a positive integer"})
        keys = [k for k in ("authorize", "token", "userinfo", "emails") if k in body]
        unknown = set(body) - set(keys) - {"times"}
        if unknown or not keys:
            return Reply(400, {"error": "expected some of authorize, token, userinfo, emails",
                               "unknown": sorted(unknown)})
        for key in keys:
            mode = body[key]
            if mode is not None and (not isinstance(mode, str) or not VALID_MODE.match(mode)):
                return Reply(400, {"error": f"bad mode for {key}: {mode!r}"})
        with state.lock:
            for key in keys:
                mode = body[key]
                if mode in (None, "normal"):
                    state.behaviour.pop(key, None)
                else:
                    state.behaviour[key] = [mode, times]
            current = {k: v[0] for k, v in state.behaviour.items()}
        return Reply(200, {"behaviour": current})
    elif path == "/_standin/reset" and req.method == "POST":
        with state.lock:
            state.reset()
        return Reply(200, {"reset": True})
    elif path == "/_standin/requests":
        if req.method == "DELETE":
            with state.lock:
                state.requests = []
            return Reply(200, {"cleared": True})
        if req.method == "GET":
            wanted = req.query.get("endpoint")
            with state.lock:
                out = [r for r in state.requests if not wanted or r["endpoint"] == wanted]
            return Reply(200, out)
    elif path in ("/_standin", "/_standin/info") and req.method == "GET":
        return Reply(200, {"provider": provider.name, "client_id": provider.client_id})
    return Reply(404, {"error": "unknown control endpoint", "path": req.path})


def main(argv=None):
    parser = argparse.ArgumentParser(description="Stand-in OAuth 2.0 provider for tests.")
    parser.add_argument("--provider", required=True, choices=PROVIDERS)
    parser.add_argument("--port", type=int, required=True, help="0: pick a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--client-id", help="default: standin-<provider>-client-id")
    parser.add_argument("--client-secret", help="default: standin-<provider>-client-secret")
    parser.add_argument("--redirect-uri", action="append",
                        help="registered callback URL (repeatable); default: any http(s) URL")
    parser.add_argument("--code-ttl", type=float, help="authorization code lifetime, seconds")
    parser.add_argument("--client-type", choices=("confidential", "public"),
                        default="confidential", help="X only: how the client authenticates")
    parser.add_argument("--verbose", action="store_true", help="log requests on stderr")
    args = parser.parse_args(argv)

    state = State()
    provider = FLAVOURS[args.provider](args, state)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(provider, state,
                                                                     args.verbose))
    server.daemon_threads = True
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}"
    urls = provider.urls(base)
    upper = args.provider.upper()
    env = {f"{upper}_CLIENT_ID": provider.client_id,
           f"{upper}_CLIENT_SECRET": provider.client_secret,
           f"OAUTH_{upper}_AUTHORIZE_URL": urls["authorize_url"],
           f"OAUTH_{upper}_TOKEN_URL": urls["token_url"],
           f"OAUTH_{upper}_USERINFO_URL": urls["userinfo_url"]}
    banner = {"provider": args.provider, "base_url": base, **urls,
              "control_url": base + "/_standin", "client_id": provider.client_id,
              "client_secret": provider.client_secret, "env": env, "pid": os.getpid()}
    sys.stdout.write(json.dumps(banner) + "\n")
    sys.stdout.flush()

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
