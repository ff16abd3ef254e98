"""Pages of the cadre's daily work (issue 17, items 9, 10, 14): register and edit a cadre with the account he logs
in with, log a visit from the household page as that cadre and see the pairing page count it."""

import datetime as dt
import re

from fastapi.testclient import TestClient

from fupin.pairing.models import Pair
from fupin.web.app import create_app
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_orgs import TOWNSHIP_1, VILLAGE_A, add_household


def _login(client, username):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/"})
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/pairing").text).group(1)


def _follow_up(page: str) -> tuple[int, int]:
    pairs = int(re.search(r'data-testid="follow-up-pairs">(\d+)<', page).group(1))
    visited = int(re.search(r'data-testid="follow-up-visited">(\d+)<', page).group(1))
    return pairs, visited


def test_a_township_registers_a_cadre_links_his_account_and_his_visit_counts_on_the_pairing_page(db):
    add_areas(db)
    household = add_household(db, VILLAGE_A, head_name="赵大")
    add_user(db, "township", "township", TOWNSHIP_1)
    add_user(db, "cunganbu", "village", VILLAGE_A)
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "township")
        form = client.get("/orgs/cadres/new")
        assert form.status_code == 200 and 'data-testid="area-select"' in form.text
        assert "北坎村" in form.text or VILLAGE_A in form.text
        missing = client.post("/orgs/cadres/new", data={"csrf_token": csrf, "name": "", "work_unit": "县扶贫办",
                                                        "rank": "general", "post": "work_team",
                                                        "area_code": VILLAGE_A, "active_from": "2020-01-01"})
        assert missing.status_code == 422 and 'data-field="name"' in missing.text
        made = client.post("/orgs/cadres/new", data={"csrf_token": csrf, "name": "钱干部", "work_unit": "县扶贫办",
                                                     "rank": "general", "post": "work_team", "area_code": VILLAGE_A,
                                                     "active_from": "2020-01-01", "is_party_member": "on"},
                           follow_redirects=False)
        assert made.status_code == 303, made.text
        edit_url = made.headers["location"].split("?")[0]
        cadre_id = int(edit_url.split("/")[3])
        unknown = client.post(edit_url, data={"csrf_token": csrf, "version": "1", "name": "钱干部",
                                              "work_unit": "县扶贫办", "rank": "general", "post": "work_team",
                                              "account": "nobody"})
        assert unknown.status_code == 422 and 'data-field="account"' in unknown.text
        linked = client.post(edit_url, data={"csrf_token": csrf, "version": "1", "name": "钱干部",
                                             "work_unit": "县扶贫办", "rank": "general", "post": "work_team",
                                             "account": "cunganbu", "is_party_member": "on"})
        assert linked.status_code == 200 and 'value="cunganbu"' in linked.text
        assert f'/orgs/cadres/{cadre_id}/edit' in client.get("/orgs/cadres").text
    with db.session_factory() as session:
        session.add(Pair(household_id=household, cadre_id=cadre_id, area_code=VILLAGE_A,
                         started_on=dt.date(2020, 1, 1)))
        session.commit()
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "cunganbu")
        assert _follow_up(client.get("/pairing").text) == (1, 0)
        assert "从未走访" in client.get("/pairing").text
        page = client.get(f"/registry/households/{household}")
        assert re.search(rf'<option value="{cadre_id}" selected>钱干部', page.text), "his own cadre is the default"
        assert 'data-testid="pair-history"' in page.text and "帮扶中" in page.text
        logged = client.post(f"/registry/households/{household}/visit",
                             data={"csrf_token": csrf, "visited_on": dt.date.today().isoformat(),
                                   "cadre_id": str(cadre_id), "found": "孩子上学路远"}, follow_redirects=False)
        assert logged.status_code == 303, logged.text
        pairing = client.get("/pairing").text
        assert _follow_up(pairing) == (1, 1)
        assert "从未走访" not in pairing


def test_monitoring_starts_from_a_household_found_by_name_and_the_new_household_form_picks_the_village(db):
    add_areas(db)
    household = add_household(db, VILLAGE_A, head_name="赵大", status="exited")
    add_household(db, "530321100200", head_name="赵外县")
    add_user(db, "cunganbu", "village", VILLAGE_A)
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "cunganbu")
        page = client.get("/monitoring")
        assert 'data-testid="household-search"' in page.text and 'type="number" name="household_id"' not in page.text
        assert 'name="risk_types" value="illness"' in page.text, "risk types are labelled checkboxes"
        found = client.get("/monitoring/household-search", params={"q": "赵大"}).text  # the registry's search
        assert f'name="household_id" value="{household}"' in found and "赵大" in found
        assert "没有找到" in client.get("/monitoring/household-search", params={"q": "赵外县"}).text, "only the scope"
        assert "没有找到" in client.get("/monitoring/household-search", params={"q": "钱"}).text
        missing = client.post("/monitoring", data={"csrf_token": csrf, "monitor_type": "unstable",
                                                   "risk_types": "illness", "channel": "cadre_check",
                                                   "clue_on": dt.date.today().isoformat()})
        assert missing.status_code == 422 and 'data-field="household_id"' in missing.text
        started = client.post("/monitoring", data={"csrf_token": csrf, "household_id": str(household),
                                                   "monitor_type": "unstable", "risk_types": "illness",
                                                   "channel": "cadre_check", "clue_on": dt.date.today().isoformat()},
                              follow_redirects=False)
        assert started.status_code == 303, started.text
        new = client.get("/registry/new").text
        assert 'select id="f-area_code" name="area_code"' in new and f'value="{VILLAGE_A}"' in new
        assert 'inputmode="numeric" maxlength="15"' not in new


def test_a_township_creates_an_organisation_and_registers_a_member_from_pages(db):
    add_areas(db)
    add_user(db, "township", "township", TOWNSHIP_1)
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "township")
        assert client.get("/orgs/new").status_code == 200
        empty = client.post("/orgs/new", data={"csrf_token": csrf, "name": "", "org_type": "branch",
                                               "base_kind": "village", "area_code": VILLAGE_A,
                                               "founded_on": "2020-01-01"})
        assert empty.status_code == 422 and 'data-field="name"' in empty.text
        made = client.post("/orgs/new", data={"csrf_token": csrf, "name": "北坎村党支部", "org_type": "branch",
                                              "base_kind": "village", "area_code": VILLAGE_A,
                                              "founded_on": "2020-01-01"}, follow_redirects=False)
        assert made.status_code == 303, made.text
        org_url = made.headers["location"]
        nameless = client.post(f"{org_url}/members", data={"csrf_token": csrf, "name": ""})
        assert nameless.status_code == 422 and 'data-field="name"' in nameless.text
        added = client.post(f"{org_url}/members", data={"csrf_token": csrf, "name": "孙党员",
                                                        "is_central_household": "on"})
        assert added.status_code == 200 and "孙党员" in added.text


def test_a_township_pairs_two_organisations_from_the_pairing_page(db):
    from tests.factories_orgs import add_org

    add_areas(db)
    helper = add_org(db, name="县扶贫办机关支部", area_code=TOWNSHIP_1, base_kind="organ", base_name="县扶贫办")
    helped = add_org(db, name="北坎村党支部")
    add_user(db, "township", "township", TOWNSHIP_1)
    with TestClient(create_app(db=db)) as client:
        csrf = _login(client, "township")
        assert 'data-testid="org-pair-form"' in client.get("/pairing").text
        self_pair = client.post("/pairing/org-pairs", data={"csrf_token": csrf, "helper_org_id": str(helped),
                                                             "helped_org_id": str(helped), "form": "1+1",
                                                             "started_on": "2024-01-01"})
        assert self_pair.status_code == 422 and 'data-field="helped_org_id"' in self_pair.text
        made = client.post("/pairing/org-pairs", data={"csrf_token": csrf, "helper_org_id": str(helper),
                                                        "helped_org_id": str(helped), "form": "1+1",
                                                        "started_on": "2024-01-01"}, follow_redirects=False)
        assert made.status_code == 303, made.text
        assert "县扶贫办机关支部" in client.get("/pairing").text
        again = client.post("/pairing/org-pairs", data={"csrf_token": csrf, "helper_org_id": str(helper),
                                                         "helped_org_id": str(helped), "form": "1+1",
                                                         "started_on": "2024-01-01"})
        assert again.status_code == 409
