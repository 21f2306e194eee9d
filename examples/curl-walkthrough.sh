#!/usr/bin/env bash
# The REST contract with curl: the four examples of mrm_rest_api's documentation (the Odoo app whose
# REST API this server speaks, docs/rest-contract.md), then an Odoo session instead of a key.
#
#   BASE_URL=http://127.0.0.1:4000 KEY=<API key> bash examples/curl-walkthrough.sh
#
# KEY is an API key of a user who may do all four (admin: `npx odoo-graphql apikey create --login admin`).
# It runs again and again on the same database: example 4 deletes a draft purchase order it creates
# itself (the documentation's draft 31 can be deleted only once), and nothing depends on ids made by an
# earlier run. The session part logs in as LOGIN / PASSWORD (default demo / demo, the demo data's user)
# on database DB (default odoo).
# Each step prints the HTTP status and the start of the answer; the script exits non-zero as soon as a
# status is not the expected one.
set -euo pipefail

BASE_URL=${BASE_URL:-http://127.0.0.1:4000}
KEY=${KEY:?set KEY to an API key: npx odoo-graphql apikey create --login admin}
LOGIN=${LOGIN:-demo}
PASSWORD=${PASSWORD:-demo}
DB=${DB:-odoo}
JAR=$(mktemp)
trap 'rm -f "$JAR"' EXIT

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

# call EXPECTED_STATUS CURL_ARGS...: runs curl, prints "<status> <start of the body>", checks the status.
call() {
  local expected=$1 out status body
  shift
  out=$(curl -sS -w '\n%{http_code}' "$@") || fail "curl could not reach $BASE_URL"
  status=${out##*$'\n'}
  body=${out%$'\n'*}
  BODY=$body
  printf '%s %s\n' "$status" "${body:0:240}"
  [ "$status" = "$expected" ] || fail "expected HTTP $expected, got $status"
}

auth=(-H "Authorization: Bearer $KEY")
json=(-H 'Content-Type: application/json')

echo '== 1) List confirmed sale orders (id, name, partner)'
call 200 -G "$BASE_URL/api/sale_order" "${auth[@]}" \
  --data-urlencode 'domain=[("state","=","sale")]' --data-urlencode 'fields=id,name,partner_id'

echo '== 2) Create a CRM lead for Azure Interior (partner 12)'
call 201 -X POST "$BASE_URL/api/crm_lead" "${auth[@]}" "${json[@]}" \
  -d '{"name": "New Opportunity", "partner_id": {"id": 12}, "contact_name": "John Doe",
       "email_from": "john@example.com", "expected_revenue": 15000}'
lead=$(printf '%s' "$BODY" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
[ -n "$lead" ] || fail 'no id in the answer'
echo "created lead $lead"

echo "== 3) Update a picking's scheduled date"
call 200 -X PUT "$BASE_URL/api/stock_picking/77" "${auth[@]}" "${json[@]}" -d '{"scheduled_date": "2025-09-05 10:00:00"}'

echo '== 4) Delete a purchase order draft: refused until it is cancelled'
# A draft of its own (vendor Wood Corner, partner 9), so that every run has one to delete.
call 201 -X POST "$BASE_URL/api/purchase_order" "${auth[@]}" "${json[@]}" -d '{"partner_id": {"id": 9}}'
order=$(printf '%s' "$BODY" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
[ -n "$order" ] || fail 'no id in the answer'
echo "created draft purchase order $order"
call 400 -X DELETE "$BASE_URL/api/purchase_order/$order" "${auth[@]}"
call 200 -X PUT "$BASE_URL/api/purchase_order/$order" "${auth[@]}" "${json[@]}" -d '{"state": "cancel"}'
call 200 -X DELETE "$BASE_URL/api/purchase_order/$order" "${auth[@]}"
call 404 "$BASE_URL/api/purchase_order/$order" "${auth[@]}"

echo "== 5) A session instead of a key: log in as $LOGIN, list leads with the cookie, log out"
call 200 -c "$JAR" "$BASE_URL/web/session/authenticate" "${json[@]}" \
  -d "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{\"db\":\"$DB\",\"login\":\"$LOGIN\",\"password\":\"$PASSWORD\"},\"id\":1}"
case $BODY in *'"result"'*) ;; *) fail "login as $LOGIN refused" ;; esac
call 200 -b "$JAR" "$BASE_URL/api/crm_lead?fields=name,user_id&limit=2"
call 200 -b "$JAR" -X POST "$BASE_URL/web/session/destroy" "${json[@]}" -d '{}'
echo "the same cookie after logging out:"
call 401 -b "$JAR" "$BASE_URL/api/crm_lead?limit=1"

echo 'walkthrough: every step answered as expected'
