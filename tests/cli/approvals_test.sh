#!/bin/bash
# End-to-end tests of `salesight approvals` on the shipped example
# (examples/approvals): exit codes and output content.
set -u
S="$1"
E="$2/examples/approvals"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
expect() {  # expect NAME WANT_RC GREP_PATTERN -- command...
  local name="$1" want="$2" pattern="$3"; shift 4
  "$@" >"$T/out" 2>&1; local rc=$?
  if [ "$rc" != "$want" ] || ! grep -qF -- "$pattern" "$T/out"; then
    echo "FAIL $name: rc=$rc (want $want), output:"; cat "$T/out"; fail=1
  else
    echo "ok   $name"
  fi
}

expect check-seed 0 "no findings" -- "$S" approvals check "$E/seed_policy.json" --directory "$E/org.json"
expect check-dmn 0 "no findings" -- "$S" approvals check "$E/seed_routing.dmn"
sed 's/"when": {"amount": "> 200000"}/"when": {"amount": ">= 200000.01"}/' "$E/seed_policy.json" >"$T/gap.json"
expect check-gap 1 "gap: amount in (200000..200000.01): matches no rule" -- "$S" approvals check "$T/gap.json"
sed 's/hitPolicy="FIRST"/hitPolicy="UNIQUE"/' "$E/seed_routing.dmn" >"$T/unique.dmn"
expect check-overlap 1 "overlap: rule 'small' (#1) and rule 'small_exception' (#2) both match" -- \
  "$S" approvals check "$T/unique.dmn"

expect decide-mid 0 '{"chain":"mid","review":"standard"}' -- "$S" approvals decide --dmn "$E/seed_routing.dmn" \
  --decision "Contract routing" --inputs '{"amount": 50000, "discount_pct": 5, "margin_pct": 30, "customer_tier": "A"}'
expect decide-small 0 '{"chain":"small","review":"standard"}' -- "$S" approvals decide --dmn "$E/seed_routing.dmn" \
  --decision contract_routing --inputs '{"amount": 49999.99, "discount_pct": 20, "margin_pct": 10}'
expect decide-null 0 'null' -- "$S" approvals decide --dmn "$E/seed_routing.dmn" --decision contract_routing --inputs '{}'
expect decide-bad-input 1 "attribute 'amount'" -- "$S" approvals decide --dmn "$E/seed_routing.dmn" \
  --decision contract_routing --inputs '{"amount": "a lot"}'
expect decide-unknown 1 "no decision 'nope'" -- "$S" approvals decide --dmn "$E/seed_routing.dmn" --decision nope --inputs '{}'

expect route-csv 0 "C-1004,4,gm,single,gm,1,false,large,large," -- "$S" approvals route --contracts "$E/contracts.csv" \
  --policy "$E/seed_policy.json" --directory "$E/org.json"
"$S" approvals route --contracts "$E/contracts.csv" --policy "$E/seed_policy.json" --directory "$E/org.json" >"$T/a.csv"
"$S" approvals route --contracts "$E/contracts.csv" --policy "$E/seed_policy.json" --dmn "$E/seed_routing.dmn" \
  --directory "$E/org.json" >"$T/b.csv"
if cmp -s "$T/a.csv" "$T/b.csv"; then echo "ok   route-json-equals-dmn"; else echo "FAIL route-json-equals-dmn"; fail=1; fi
expect route-json 0 '"contract":"C-1002"' -- "$S" approvals route --contracts "$E/contracts.csv" \
  --policy "$E/seed_policy.json" --directory "$E/org.json" --format json
/usr/bin/python3 - "$E/org.json" >"$T/org.csv" <<'PY'
import csv, json, sys
people = json.load(open(sys.argv[1]))["people"]
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["id", "name", "manager", "department", "region", "roles", "groups"])
for p in people:
    w.writerow([p["id"], p.get("name", ""), p.get("manager", ""), p.get("department", ""), p.get("region", ""),
                ";".join(p.get("roles", [])), ";".join(p.get("groups", []))])
PY
"$S" approvals route --contracts "$E/contracts.csv" --policy "$E/seed_policy.json" --directory "$T/org.csv" >"$T/c.csv"
if cmp -s "$T/a.csv" "$T/c.csv"; then echo "ok   route-directory-csv-equals-json"; else echo "FAIL route-directory-csv-equals-json"; diff "$T/a.csv" "$T/c.csv"; fail=1; fi
printf 'id,boss\nx,y\n' >"$T/bad_org.csv"
expect route-directory-bad-column 1 "unknown column 'boss'" -- "$S" approvals route --contracts "$E/contracts.csv" \
  --policy "$E/seed_policy.json" --directory "$T/bad_org.csv"
expect route-needs-directory 2 "approvals route needs --directory" -- "$S" approvals route \
  --contracts "$E/contracts.csv" --policy "$E/seed_policy.json"

expect replay 0 '"status":"withdrawn"' -- "$S" approvals replay --events "$E/worked_example.jsonl" --policy "$E/seed_policy.json"
expect replay-audit 0 "approved,rep2,dir1,director" -- "$S" approvals replay --events "$E/worked_example.jsonl" \
  --policy "$E/seed_policy.json" --audit csv
sed '4s/"actor":"rep2"/"actor":"gm"/' "$E/worked_example.jsonl" >"$T/edited.jsonl"
expect replay-tampered 1 "event #4 (version 4): its hash does not match its content" -- \
  "$S" approvals replay --events "$T/edited.jsonl" --policy "$E/seed_policy.json"
head -3 "$E/worked_example.jsonl" >"$T/open.jsonl"
expect pending 0 "AP-2001,C-2001,director,pending" -- "$S" approvals pending --user dir1 --events "$T/open.jsonl" \
  --policy "$E/seed_policy.json"
# The log on stdin; rep2 holds dir1's delegation from 1767610800 to 1767776400.
expect pending-stdin 0 "AP-2001,C-2001,director,pending,,3" -- sh -c \
  "\"$S\" approvals pending --user dir1 --policy \"$E/seed_policy.json\" < \"$T/open.jsonl\""
expect pending-delegate 0 '[{"contract":"C-2001","instance":"AP-2001","node":"director","on_behalf_of":"dir1","version":3}]' -- \
  "$S" approvals pending --user rep2 --events "$T/open.jsonl" --policy "$E/seed_policy.json" --at 1767700000 --format json
expect pending-delegate-expired 0 "[]" -- \
  "$S" approvals pending --user rep2 --events "$T/open.jsonl" --policy "$E/seed_policy.json" --at 1767776400 --format json
expect unknown-sub 2 "unknown approvals command 'frobnicate'" -- "$S" approvals frobnicate
exit $fail
