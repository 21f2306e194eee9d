#!/usr/bin/env python3
"""The REST contract from Python: list, create, read, update and delete with an API key, then a session.

    BASE_URL=http://127.0.0.1:4000 KEY=<API key> python3 examples/rest_client.py

KEY: `npx odoo-graphql apikey create --login admin`. The session part logs in as LOGIN / PASSWORD
(default demo / demo, the demo data's user) on database DB (default odoo).

Standard library only (urllib.request, http.cookiejar), not `requests`, so it runs on any Python 3
with nothing to pip install. With `requests` each call below is one line, e.g.
`requests.get(f"{BASE_URL}/api/sale_order", params={...}, headers={"Authorization": f"Bearer {KEY}"}).json()`,
and a `requests.Session()` keeps the cookie. Exits non-zero on the first unexpected answer.
"""
import http.cookiejar
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:4000").rstrip("/")
KEY = os.environ.get("KEY")
LOGIN = os.environ.get("LOGIN", "demo")
PASSWORD = os.environ.get("PASSWORD", "demo")
DB = os.environ.get("DB", "odoo")


class Failed(Exception):
    pass


def call(method, path, body=None, params=None, key=None, opener=None, expected=200):
    """One request; returns the parsed JSON answer, or raises Failed if the status is not `expected`."""
    url = BASE_URL + path + ("?" + urllib.parse.urlencode(params) if params else "")
    headers = {"Accept": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:  # 4xx and 5xx still carry the contract's {"error": ...}
        status, text = error.code, error.read().decode()
    except urllib.error.URLError as error:
        raise Failed(f"{method} {path}: cannot reach {BASE_URL}: {error.reason}")
    answer = json.loads(text) if text else None
    if status != expected:
        message = answer.get("error") if isinstance(answer, dict) else text
        raise Failed(f"{method} {path}: expected HTTP {expected}, got {status}: {message}")
    return answer


def main():
    if not KEY:
        print("set KEY to an API key: npx odoo-graphql apikey create --login admin", file=sys.stderr)
        return 2

    print("health:", call("GET", "/api/health")["status"])

    page = call("GET", "/api/sale_order", key=KEY,
                params={"domain": '[("state","=","sale")]', "fields": "id,name,partner_id", "limit": 5})
    print(f"confirmed sale orders: {page['total']} (first {page['count']})")
    for order in page["results"]:
        partner = order["partner_id"]["name"] if order["partner_id"] else "-"
        print(f"  {order['name']}  {partner}")

    values = {"name": "New Opportunity", "partner_id": {"id": 12}, "contact_name": "John Doe",
              "email_from": "john@example.com", "expected_revenue": 15000}
    created = call("POST", "/api/crm_lead", body=values, key=KEY, expected=201)
    lead_id = created["id"]
    print(f"created crm.lead {lead_id}: {created['record']['name']} for {created['record']['partner_id']['name']}")

    updated = call("PATCH", f"/api/crm_lead/{lead_id}", body={"expected_revenue": 20000}, key=KEY)
    print(f"updated crm.lead {lead_id}: expected revenue {updated['record']['expected_revenue']}")

    lead = call("GET", f"/api/crm_lead/{lead_id}", params={"fields": "name,expected_revenue"}, key=KEY)
    print(f"read crm.lead {lead_id}: {lead}")

    refused = call("GET", "/api/crm_lead", params={"limit": "-1"}, key=KEY, expected=400)
    print(f"bad input answers 400: {refused['error']}")

    call("DELETE", f"/api/crm_lead/{lead_id}", key=KEY)
    call("GET", f"/api/crm_lead/{lead_id}", key=KEY, expected=404)
    print(f"deleted crm.lead {lead_id}")

    # A session instead of a key: Odoo's JSON-RPC login sets the session_id cookie, which the opener keeps.
    session = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    login = call("POST", "/web/session/authenticate", opener=session,
                 body={"jsonrpc": "2.0", "method": "call", "params": {"db": DB, "login": LOGIN, "password": PASSWORD}, "id": 1})
    if "result" not in login:
        raise Failed(f"login as {LOGIN} refused: {login.get('error', {}).get('data', {}).get('message')}")
    print(f"session: logged in as {login['result']['username']} (uid {login['result']['uid']})")
    leads = call("GET", "/api/crm_lead", params={"fields": "name,user_id", "limit": 2}, opener=session)
    print(f"session: {leads['total']} leads visible to {LOGIN}")
    call("POST", "/web/session/destroy", body={}, opener=session)
    print("session: logged out")
    print("rest_client: every call answered as expected")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
