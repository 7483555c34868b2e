"""GET /api/v1/auth/login-history/<user_id>?page=N&per_page=M."""

import uuid

from conftest import AUTH, expect_error_json, expect_json, expect_message, login, parse_utc_timestamp


def history(api, user_id, tokens, **params):
    return api.get(f"{AUTH}/login-history/{user_id}", token=tokens.access, params=params)


def three_logins(api, user):
    agents = [f"e2e-device-{i}-{uuid.uuid4().hex[:6]}" for i in (1, 2, 3)]
    tokens = [login(api, user, user_agent=agent) for agent in agents]
    return agents, tokens[-1]


def test_first_page(api, user):
    agents, tokens = three_logins(api, user)  # signup itself does not log in
    body = expect_json(history(api, user.id, tokens, page=1, per_page=2), 200)
    assert set(body) == {"result", "prev", "next", "total_items", "total_pages"}, body
    assert [item["user_agent"] for item in body["result"]] == [agents[2], agents[1]], "newest first"
    assert (body["prev"], body["next"], body["total_items"], body["total_pages"]) == (None, 2, 3, 2), body
    for item in body["result"]:
        assert set(item) == {"user_agent", "authentication_date"}, item
    dates = [parse_utc_timestamp(item["authentication_date"]) for item in body["result"]]
    assert dates[0] >= dates[1]


def test_last_page(api, user):
    agents, tokens = three_logins(api, user)
    body = expect_json(history(api, user.id, tokens, page=2, per_page=2), 200)
    assert [item["user_agent"] for item in body["result"]] == [agents[0]]
    assert (body["prev"], body["next"], body["total_items"], body["total_pages"]) == (1, None, 3, 2), body


def test_defaults_are_page_1_of_2(api, user):
    agents, tokens = three_logins(api, user)
    body = expect_json(history(api, user.id, tokens), 200)
    assert [item["user_agent"] for item in body["result"]] == [agents[2], agents[1]]
    assert (body["prev"], body["next"], body["total_items"], body["total_pages"]) == (None, 2, 3, 2), body


def test_one_page_holds_everything(api, user):
    agents, tokens = three_logins(api, user)
    body = expect_json(history(api, user.id, tokens, page=1, per_page=10), 200)
    assert [item["user_agent"] for item in body["result"]] == agents[::-1]
    assert (body["prev"], body["next"], body["total_items"], body["total_pages"]) == (None, None, 3, 1), body


def test_page_past_the_end(api, user):
    _, tokens = three_logins(api, user)
    expect_error_json(history(api, user.id, tokens, page=3, per_page=2), 404)


def test_page_below_one(api, user):
    _, tokens = three_logins(api, user)
    expect_error_json(history(api, user.id, tokens, page=0, per_page=2), 404)


def test_someone_elses_history(api, user, other_user):
    tokens = login(api, user)
    login(api, other_user)
    expect_message(history(api, other_user.id, tokens), 400, "This histories does not belong to you!")


def test_non_uuid_user_id(api, user):
    tokens = login(api, user)
    expect_error_json(history(api, "not-a-uuid", tokens), 404)
