"""Write routes of areas."""

from __future__ import annotations

from tests.route_examples import Call, Example

EXAMPLES = [
    Example("POST", "/api/v1/areas/{code}/groups", "areas.group.create",
            lambda d: Call(f"/api/v1/areas/{d.village_code}/groups", json={"name": "路由测试小组"})),
    Example("POST", "/areas/{code}/groups", "areas.group.create",
            lambda d: Call(f"/areas/{d.village_code}/groups", data={"name": "路由测试页面小组"})),
]
