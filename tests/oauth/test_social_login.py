"""SPEC 6 and the OAuth rows of SPEC 2/3: sign-in, sign-up, link, list, unlink with every built-in
provider and generic OIDC providers, against real servers on loopback (see conftest.py)."""

import base64
import json
import subprocess
import threading
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from conftest import MODES, OIDC, STANDIN_PROVIDERS, Browser, bearer, tokens_of

ME = "/api/v1/auth/me"
ACCOUNTS = "/api/v1/oauth/accounts"


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def new_user(providers, provider, email_verified=True, email=None, **names):
    user = {"id": str(uuid.uuid4().int)[:12], "email": email or f"{uuid.uuid4().hex[:10]}@{provider}.example",
            "email_verified": email_verified, "first_name": names.get("first_name", "Ada"),
            "last_name": names.get("last_name", "Lovelace")}
    providers.control(provider, "/users", user)
    return user


def signup_with_password(service, email, password="Password-123"):
    resp = requests.post(service.base + "/api/v1/auth/signup", json={"email": email, "password": password}, timeout=30)
    assert resp.status_code == 201, resp.text
    resp = requests.post(service.base + "/api/v1/auth/login", json={"email": email, "password": password}, timeout=30)
    return tokens_of(resp)


def me(service, access):
    resp = requests.get(service.base + ME, headers=bearer(access), timeout=30)
    assert resp.status_code == 200, resp.text
    return resp.json()


@pytest.mark.parametrize("provider", STANDIN_PROVIDERS)
def test_a_new_provider_user_signs_up_and_comes_back_as_the_same_user(service, providers, provider):
    user = new_user(providers, provider, first_name="Grace", last_name="Hopper")
    first = Browser(service).login(provider, login_hint=user["id"])
    assert first.headers.get("Cache-Control") == "no-store"
    tokens = tokens_of(first)
    assert first.json()["message"] == "JWT tokens were generated"
    account = me(service, tokens["access_token"])
    assert account["providers"] == [provider]
    assert account["has_password"] is False
    assert account["profile"]["first_name"] == "Grace"
    # The address is the account's only when the provider vouches for it.
    vouched = provider in ("github", "twitter")
    assert (account["email"] == user["email"]) == vouched, account

    again = tokens_of(Browser(service).login(provider, login_hint=user["id"]))
    assert claims(again["access_token"])["sub"] == account["id"]
    assert claims(again["access_token"])["sid"] != claims(tokens["access_token"])["sid"]
    history = requests.get(f"{service.base}/api/v1/auth/login-history/{account['id']}?per_page=10",
                           headers=bearer(again["access_token"]), timeout=30).json()
    assert history["total_items"] == 2


def test_each_provider_got_what_its_documentation_asks_for(service, providers):
    # The stand-ins log every request: the verifier, the client credentials, VK ID's device_id.
    for provider in STANDIN_PROVIDERS:
        providers.control(provider, "/requests", method="DELETE")
        user = new_user(providers, provider)
        tokens_of(Browser(service).login(provider, login_hint=user["id"]))
        token_call = providers.control(provider, "/requests?endpoint=token", method="GET")[-1]
        form = {**token_call.get("query", {}), **(token_call.get("form") or {})}
        if provider == "facebook":
            assert "code_verifier" not in form and form["client_secret"]
        else:
            assert len(form["code_verifier"]) >= 43, provider
        if provider == "twitter":
            assert token_call["basic_auth"]["client_id"] == providers.standins[provider]["client_id"]
        if provider == "vk":
            assert form["device_id"] and "client_secret" not in form
        assert form["redirect_uri"] == f"{service.base}/api/v1/oauth/{provider}/auth"


def test_oidc_sign_in_through_the_providers_login_page_in_chromium(service, providers):
    # google vouches for alice's address: it becomes her account's. bob's is unverified: his
    # account gets a placeholder address of the reserved .invalid domain.
    for provider, login, email in (("google", "alice", "alice@corp.example"), ("corp", "bob", None)):
        result = browser_login(service, provider, login, f"{login}-pass")
        assert result["status"] == 200, result
        body = json.loads(result["body"])
        account = me(service, body["tokens"]["access_token"])
        assert account["providers"] == [provider]
        assert account["profile"]["first_name"] == login.capitalize()
        if email:
            assert account["email"] == email
        else:
            assert account["email"].endswith("@users.invalid")
    wrong = subprocess_login(service, "google", "alice", "not-her-password")
    assert wrong.returncode != 0, "the provider's own page refused the password"


def subprocess_login(service, provider, login, password):
    return subprocess.run(["node", "browser_login.mjs", "--start-url", f"{service.base}/api/v1/oauth/{provider}/login",
                           "--login", login, "--password", password], cwd=OIDC, capture_output=True, text=True,
                          timeout=90)


def browser_login(service, provider, login, password):
    done = subprocess_login(service, provider, login, password)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_link_list_and_unlink(service, providers):
    email = f"linker-{uuid.uuid4().hex[:8]}@example.com"
    tokens = signup_with_password(service, email)
    browser = Browser(service)
    started = browser.http.post(service.base + "/api/v1/oauth/github/link", headers=bearer(tokens["access_token"]), timeout=30)
    assert started.status_code == 200, started.text
    assert "HttpOnly" in started.headers["Set-Cookie"] and "SameSite=Lax" in started.headers["Set-Cookie"]
    user = new_user(providers, "github")
    linked = browser.callback(browser.authorize(started.json()["authorization_url"], login_hint=user["id"]))
    assert linked.status_code == 200, linked.text
    assert linked.json()["provider"] == "github" and "tokens" not in linked.json()

    accounts = requests.get(service.base + ACCOUNTS, headers=bearer(tokens["access_token"]), timeout=30).json()
    assert [(a["provider"], a["provider_user_id"], a["email"]) for a in accounts["accounts"]] == [
        ("github", user["id"], user["email"])]
    assert me(service, tokens["access_token"])["providers"] == ["github"]

    # The linked account now signs in to the same user, in a session of its own.
    via_github = tokens_of(Browser(service).login("github", login_hint=user["id"]))
    assert claims(via_github["access_token"])["sub"] == claims(tokens["access_token"])["sub"]

    unlinked = requests.delete(service.base + "/api/v1/oauth/github", headers=bearer(tokens["access_token"]), timeout=30)
    assert unlinked.status_code == 204, unlinked.text
    assert requests.get(service.base + ACCOUNTS, headers=bearer(tokens["access_token"]), timeout=30).json() == {"accounts": []}
    # The session GitHub opened ended with the link; the password session did not.
    gone = requests.get(service.base + "/api/v1/auth/verify-jwt", headers=bearer(via_github["access_token"]), timeout=30)
    assert gone.status_code == 401 and gone.json() == {"msg": "Token has been revoked"}
    assert requests.get(service.base + "/api/v1/auth/verify-jwt", headers=bearer(tokens["access_token"]), timeout=30).status_code == 200
    again = requests.delete(service.base + "/api/v1/oauth/github", headers=bearer(tokens["access_token"]), timeout=30)
    assert again.status_code == 404 and again.json() == {"message": "no github account is linked"}


def test_the_last_way_to_sign_in_cannot_be_unlinked(service, providers):
    user = new_user(providers, "yandex")
    tokens = tokens_of(Browser(service).login("yandex", login_hint=user["id"]))
    refused = requests.delete(service.base + "/api/v1/oauth/yandex", headers=bearer(tokens["access_token"]), timeout=30)
    assert refused.status_code == 409, refused.text
    assert "only way to sign in" in refused.json()["message"]
    # With a second provider linked, the first may go.
    browser = Browser(service)
    started = browser.http.post(service.base + "/api/v1/oauth/mail/link", headers=bearer(tokens["access_token"]), timeout=30)
    other = new_user(providers, "mail")
    assert browser.callback(browser.authorize(started.json()["authorization_url"], login_hint=other["id"])).status_code == 200
    assert requests.delete(service.base + "/api/v1/oauth/yandex", headers=bearer(tokens["access_token"]), timeout=30).status_code == 204


def test_a_provider_account_linked_to_someone_else_cannot_be_linked_again(service, providers):
    user = new_user(providers, "vk")
    tokens_of(Browser(service).login("vk", login_hint=user["id"]))  # now linked to a new user
    mine = signup_with_password(service, f"other-{uuid.uuid4().hex[:8]}@example.com")
    browser = Browser(service)
    started = browser.http.post(service.base + "/api/v1/oauth/vk/link", headers=bearer(mine["access_token"]), timeout=30)
    refused = browser.callback(browser.authorize(started.json()["authorization_url"], login_hint=user["id"]))
    assert refused.status_code == 409 and refused.json() == {"message": "this vk account is linked to another user"}


def test_an_existing_accounts_email_is_never_joined_by_default(service, providers):
    email = f"taken-{uuid.uuid4().hex[:8]}@example.com"
    signup_with_password(service, email)
    user = new_user(providers, "github", email=email.upper(), email_verified=True)
    refused = Browser(service).login("github", login_hint=user["id"])
    assert refused.status_code == 409, refused.text
    assert "log in to it and link github" in refused.json()["message"]


def test_a_verified_email_joins_only_with_the_option_on(start_service, providers):
    joining = start_service(MODES[-1], OAUTH_LINK_VERIFIED_EMAIL="true")
    email = f"joined-{uuid.uuid4().hex[:8]}@example.com"
    tokens = signup_with_password(joining, email)
    refused = Browser(joining).login("yandex", login_hint=new_user(providers, "yandex", email=email)["id"])
    assert refused.status_code == 409, "Yandex does not vouch for the address"
    verified = new_user(providers, "twitter", email=email, email_verified=True)
    joined = tokens_of(Browser(joining).login("twitter", login_hint=verified["id"]))
    assert claims(joined["access_token"])["sub"] == claims(tokens["access_token"])["sub"]
    account = me(joining, joined["access_token"])
    assert account["providers"] == ["twitter"] and account["has_password"] is False

    # The password was never proven to be the address owner's: it stops working, and so do the
    # sessions it opened.
    stale = requests.get(joining.base + ME, headers=bearer(tokens["access_token"]), timeout=30)
    assert stale.status_code == 401 and stale.json() == {"msg": "Token has been revoked"}
    relogin = requests.post(joining.base + "/api/v1/auth/login",
                            json={"email": email, "password": "Password-123"}, timeout=30)
    assert relogin.status_code == 401, relogin.text


def test_state_is_single_use_browser_bound_and_expires(service, providers, start_service):
    user = new_user(providers, "mail")
    browser = Browser(service)
    callback = browser.authorize(browser.start("mail"), login_hint=user["id"])
    assert browser.callback(callback).status_code == 200
    replay = browser.callback(callback)
    assert replay.status_code == 400 and replay.json() == {"message": "invalid or expired state"}

    # A callback arriving in another browser (no cookie, or another one) is refused.
    callback = browser.authorize(browser.start("mail"), login_hint=user["id"])
    stranger = Browser(service)
    stranger.get("/api/v1/oauth/mail/login")  # has a binding cookie of its own
    foreign = stranger.callback(callback)
    assert foreign.status_code == 400 and foreign.json() == {"message": "the login was started in another browser"}

    hasty = start_service(MODES[0], OAUTH_STATE_TTL_SECONDS="1")
    slow = Browser(hasty)
    callback = slow.authorize(slow.start("mail"), login_hint=user["id"])
    time.sleep(2.2)
    expired = slow.callback(callback)
    assert expired.status_code == 400 and expired.json() == {"message": "invalid or expired state"}

    for query in ("", "?state=", "?code=x", f"?state={'a' * 64}&code=x", "?state=%00&code=%ff"):
        odd = browser.get("/api/v1/oauth/mail/auth" + query)
        assert odd.status_code == 400, (query, odd.text)


def test_the_provider_refusing_or_the_code_failing_is_a_400(service, providers):
    browser = Browser(service)
    denied = browser.login("github", login_hint="!deny")
    assert denied.status_code == 400 and denied.json() == {"message": "provider github returned an error"}

    # A challenge that does not match our verifier: the provider refuses the code.
    url = browser.start("yandex")
    user = new_user(providers, "yandex")
    wrong = browser.callback(browser.authorize(url, login_hint=user["id"], code_challenge="A" * 43))
    assert wrong.status_code == 400
    assert wrong.json() == {"message": "provider yandex did not accept the authorization code"}

    providers.control("vk", "/behaviour", {"userinfo": "malformed", "times": 1})
    malformed = Browser(service).login("vk", login_hint=new_user(providers, "vk")["id"])
    assert malformed.status_code == 400 and malformed.json() == {"message": "unusable answer from provider vk"}


@pytest.mark.parametrize("provider", ["mock-nonce", "mock-aud", "mock-expired", "mock-badsig"])
def test_an_id_token_that_fails_verification_is_a_400_and_no_token(service, provider):
    resp = Browser(service).login(provider)
    assert resp.status_code == 400, resp.text
    assert resp.json() == {"message": f"unusable answer from provider {provider}"}


def test_a_well_formed_id_token_of_the_same_mock_signs_in(service):
    tokens_of(Browser(service).login("mock-ok"))


def test_unknown_providers_and_unreachable_or_slow_ones(service, providers):
    unknown = Browser(service).get("/api/v1/oauth/myspace/login")
    assert unknown.status_code == 400 and unknown.json() == {"message": "provider myspace not found"}
    down = Browser(service).get("/api/v1/oauth/down/login")
    assert down.status_code == 503 and down.headers.get("Retry-After"), down.text
    providers.control("facebook", "/behaviour", {"token": "slow:4000", "times": 1})
    started = time.monotonic()
    slow = Browser(service).login("facebook", login_hint=new_user(providers, "facebook")["id"])
    assert slow.status_code == 503 and slow.headers.get("Retry-After"), slow.text
    assert time.monotonic() - started < 4, "the 2 s deadline answered, not the provider"


def test_callbacks_in_flight_are_bounded(start_service, providers):
    narrow = start_service(MODES[0], OAUTH_MAX_CONCURRENT_CALLBACKS="1")
    providers.control("github", "/behaviour", {"token": "slow:1000", "times": 1})
    first, second = Browser(narrow), Browser(narrow)
    user = new_user(providers, "github")
    callbacks = [b.authorize(b.start("github"), login_hint=user["id"]) for b in (first, second)]
    results = {}
    thread = threading.Thread(target=lambda: results.update(first=first.callback(callbacks[0])))
    thread.start()
    time.sleep(0.3)
    results["second"] = second.callback(callbacks[1])
    thread.join()
    assert results["first"].status_code == 200, results["first"].text
    assert results["second"].status_code == 503 and results["second"].headers.get("Retry-After")


def test_callback_urls_come_from_configuration_not_from_the_host_header(service):
    resp = Browser(service).get("/api/v1/oauth/github/login", headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    redirect_uri = parse_qs(urlsplit(resp.headers["Location"]).query)["redirect_uri"][0]
    assert redirect_uri == f"{service.base}/api/v1/oauth/github/auth"
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/api/v1/oauth/" in cookie


def test_on_https_the_binding_cookie_is_host_prefixed_and_only_that_name_counts(start_service):
    secure = start_service(MODES[0], OAUTH_REDIRECT_BASE_URL="https://auth.example.test")

    def started():
        resp = Browser(secure).get("/api/v1/oauth/github/login")
        assert resp.status_code == 302, resp.text
        name, _, rest = resp.headers["Set-Cookie"].partition("=")
        value = rest.split(";")[0]
        state = parse_qs(urlsplit(resp.headers["Location"]).query)["state"][0]
        return name, rest, value, state

    name, rest, value, state = started()
    assert name == "__Host-auth_oauth" and "Path=/;" in rest and "Secure" in rest, rest
    # A sibling subdomain could plant a cookie without the prefix; it does not bind the flow.
    planted = requests.get(f"{secure.base}/api/v1/oauth/github/auth?state={state}&code=x",
                           headers={"Cookie": f"auth_oauth={value}"}, allow_redirects=False, timeout=30)
    assert planted.status_code == 400
    assert planted.json() == {"message": "the login was started in another browser"}

    _, _, value, state = started()
    bound = requests.get(f"{secure.base}/api/v1/oauth/github/auth?state={state}&code=x",
                         headers={"Cookie": f"__Host-auth_oauth={value}"}, allow_redirects=False, timeout=30)
    assert bound.status_code == 400 and bound.json() != planted.json(), bound.text  # the code is refused


def test_oauth_routes_need_an_access_token_where_they_act_for_a_user(service):
    for method, path in (("POST", "/api/v1/oauth/github/link"), ("GET", ACCOUNTS), ("DELETE", "/api/v1/oauth/github")):
        resp = requests.request(method, service.base + path, timeout=30)
        assert resp.status_code == 401 and resp.json() == {"msg": "Missing Authorization Header"}, path


def test_rows_land_in_the_providers_partition(service, providers):
    if service.mode != "production":
        pytest.skip("partitions are PostgreSQL's")
    for provider in ("github", "mock-ok"):
        user = new_user(providers, provider) if provider in STANDIN_PROVIDERS else None
        hint = {"login_hint": user["id"]} if user else {}
        tokens_of(Browser(service).login(provider, **hint))
    rows = dict(service.query("SELECT DISTINCT social_name, tableoid::regclass::text FROM social_account "
                              "WHERE social_name IN ('github', 'mock-ok')"))
    assert rows == {"github": "social_account_github", "mock-ok": "social_account_default"}
