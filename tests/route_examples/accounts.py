"""Write routes of accounts. User management targets `demo_victim`, a user the route test keeps for the purpose."""

from __future__ import annotations

from sqlalchemy import select

from tests.route_examples import Call, Demo, Example


def _victim(demo: Demo) -> int:
    from fupin.accounts.models import User

    return demo.session.scalar(select(User.id).where(User.username == "demo_victim"))


def _strong(demo: Demo) -> str:
    return "Zhongping-Route-Test-77"


EXAMPLES = [
    Example("POST", "/api/v1/auth/token", None,
            lambda d: Call("/api/v1/auth/token", json={"username": "nobody_at_all", "password": "wrong-password-1"})),
    Example("POST", "/login", None,
            lambda d: Call("/login", data={"username": "nobody_at_all", "password": "wrong-password-1", "next": "/"})),
    Example("POST", "/api/v1/me/password", "accounts.self",
            lambda d: Call("/api/v1/me/password", json={"current_password": "not-my-password-1",
                                                        "new_password": _strong(d)})),
    Example("POST", "/account/password", "accounts.self",
            lambda d: Call("/account/password", data={"current_password": "not-my-password-1",
                                                      "new_password": _strong(d)})),
    Example("DELETE", "/api/v1/me/tokens/{token_id}", "accounts.self",
            lambda d: Call("/api/v1/me/tokens/999999")),
    Example("POST", "/account/tokens/{token_id}/revoke", "accounts.self",
            lambda d: Call("/account/tokens/999999/revoke", data={})),
    Example("POST", "/api/v1/users", "accounts.user.manage",
            lambda d: Call("/api/v1/users", json={"username": "route_test_user", "password": _strong(d),
                                                  "role": "village", "area_code": d.village_code})),
    Example("POST", "/users/new", "accounts.user.manage",
            lambda d: Call("/users/new", data={"username": "route_test_page", "password": _strong(d),
                                               "role": "village", "area_code": d.village_code})),
    Example("PATCH", "/api/v1/users/{user_id}", "accounts.user.manage",
            lambda d: Call(f"/api/v1/users/{_victim(d)}", json={"display_name": "改名"})),
    Example("POST", "/users/{user_id}", "accounts.user.manage",
            lambda d: Call(f"/users/{_victim(d)}", data={"display_name": "改名"})),
    Example("POST", "/api/v1/users/{user_id}/disable", "accounts.user.manage",
            lambda d: Call(f"/api/v1/users/{_victim(d)}/disable")),
    Example("POST", "/users/{user_id}/disable", "accounts.user.manage",
            lambda d: Call(f"/users/{_victim(d)}/disable", data={})),
    Example("POST", "/api/v1/users/{user_id}/enable", "accounts.user.manage",
            lambda d: Call(f"/api/v1/users/{_victim(d)}/enable")),
    Example("POST", "/users/{user_id}/enable", "accounts.user.manage",
            lambda d: Call(f"/users/{_victim(d)}/enable", data={})),
    Example("POST", "/api/v1/users/{user_id}/unlock", "accounts.user.manage",
            lambda d: Call(f"/api/v1/users/{_victim(d)}/unlock")),
    Example("POST", "/users/{user_id}/unlock", "accounts.user.manage",
            lambda d: Call(f"/users/{_victim(d)}/unlock", data={})),
    Example("POST", "/api/v1/users/{user_id}/reset-password", "accounts.user.manage",
            lambda d: Call(f"/api/v1/users/{_victim(d)}/reset-password", json={})),
    Example("POST", "/users/{user_id}/reset-password", "accounts.user.manage",
            lambda d: Call(f"/users/{_victim(d)}/reset-password", data={})),
    # These end the caller's own session: the test sends them last.
    Example("POST", "/api/v1/auth/logout", "accounts.self", lambda d: Call("/api/v1/auth/logout"),
            ends_session=True),
    Example("POST", "/api/v1/me/tokens/revoke-all", "accounts.self",
            lambda d: Call("/api/v1/me/tokens/revoke-all"), ends_session=True),
    Example("POST", "/account/tokens/revoke-all", "accounts.self",
            lambda d: Call("/account/tokens/revoke-all", data={}), ends_session=True),
    Example("POST", "/logout", "accounts.self", lambda d: Call("/logout", data={}), ends_session=True),
]
