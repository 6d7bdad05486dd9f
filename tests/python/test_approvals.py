"""salesight.approvals over the C ABI, on the shipped seed policy."""
import json
import os

import pytest

import salesight
from salesight import approvals

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "approvals")


def read(name):
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
        return f.read()


@pytest.fixture(scope="module")
def engine():
    return approvals.Engine(read("seed_policy.json"), read("org.json"))


@pytest.mark.parametrize("amount,chain", [("49999.99", ["small"]), ("50000.00", ["mid"]),
                                          ("200000.00", ["mid"]), ("200000.01", ["large"])])
def test_route_boundaries_json_and_dmn(engine, amount, chain):
    contract = {"id": "C-1", "initiator": "rep1",
                "attributes": {"amount": amount, "discount_pct": 5, "margin_pct": 30, "customer_tier": "A"}}
    via_dmn = approvals.Engine(read("seed_policy.json"), read("org.json"), dmn=read("seed_routing.dmn"))
    route = engine.route(contract)
    assert route["chains"] == chain
    assert via_dmn.route(contract) == route


def test_instance_apply_pending_replay(engine):
    inst = approvals.Instance()
    a = engine.apply(inst, {"kind": "submitted", "instance": "I-1", "key": "k1", "actor": "rep1",
                            "contract": {"id": "C-1", "attributes": {"amount": "60000"}}})
    assert a["accepted"] and a["version"] == 1
    assert inst.pending("fin1") and inst.pending("dir1") and not inst.pending("rep1")
    refused = engine.apply(inst, {"kind": "approved", "key": "k2", "actor": "rep2"})
    assert not refused["accepted"] and "not an approver" in refused["reason"]
    assert engine.apply(inst, {"kind": "approved", "key": "k3", "actor": "fin1", "expected_version": 1})["accepted"]
    conflict = engine.apply(inst, {"kind": "approved", "key": "k4", "actor": "dir1", "expected_version": 1})
    assert conflict["conflict"]
    done = engine.apply(inst, {"kind": "approved", "key": "k5", "actor": "dir1", "expected_version": 2})
    assert [x["name"] or x["value"] for x in done["actions"]] == [
        "countersigned", "approved", "schedule delivery", "issue invoice", "contract approved"]
    state = inst.state()
    assert state["status"] == "approved"
    again = engine.replay(inst.log())
    assert again.state() == state
    edited = inst.log().replace('"actor":"fin1"', '"actor":"dir1"')
    with pytest.raises(salesight.SalesightError, match="hash does not match"):
        engine.replay(edited)


def test_findings_refused_unless_allowed():
    policy = json.loads(read("seed_policy.json"))
    policy["decision"]["rules"].pop()  # nothing routes amounts over 200,000
    with pytest.raises(salesight.SalesightError, match="gap: amount > 200000"):
        approvals.Engine(policy, read("org.json"))
    e = approvals.Engine(policy, read("org.json"), allow_findings=True)
    assert e.findings() == ["gap: amount > 200000: matches no rule"]


def submit(n, amount):
    return {"kind": "submitted", "instance": f"I-{n}", "key": f"s{n}", "actor": "rep1",
            "contract": {"id": f"C-{n}", "attributes": {"amount": amount}}}


def test_store_pending_across_instances_delegation_and_replay():
    engine = approvals.Engine(approvals.Policy(read("seed_policy.json")), approvals.Directory(read("org.json")))
    store = approvals.Store()
    assert engine.store_apply(store, submit(1, "60000"))["accepted"]
    assert engine.store_apply(store, submit(2, "100"))["accepted"]
    unknown = engine.store_apply(store, {"kind": "approved", "instance": "I-9", "key": "x", "actor": "dir1"})
    assert not unknown["accepted"] and "no instance 'I-9'" in unknown["reason"]
    assert [(p["instance"], p["on_behalf_of"]) for p in store.pending("dir1")] == [("I-1", ""), ("I-2", "")]
    assert [p["instance"] for p in store.pending("fin1")] == ["I-1"]
    assert engine.store_apply(store, {"kind": "delegated", "instance": "I-2", "key": "d", "actor": "dir1",
                                      "target": "fin1", "at": 100, "until": 1000})["accepted"]
    assert [(p["instance"], p["on_behalf_of"]) for p in store.pending("fin1", at=500)] == [("I-1", ""), ("I-2", "dir1")]
    assert [p["instance"] for p in store.pending("fin1", at=1000)] == ["I-1"]
    again = engine.replay_store(store.log())
    assert again.pending("fin1", at=500) == store.pending("fin1", at=500)
    assert again.state("I-2")["status"] == "pending"
    with pytest.raises(salesight.SalesightError, match="no instance 'I-7'"):
        again.state("I-7")
    # Instances the caller keeps: the same rows.
    inst = approvals.Instance()
    engine.apply(inst, submit(3, "100"))
    assert [p["instance"] for p in approvals.pending([inst], "dir1")] == ["I-3"]
    with pytest.raises(TypeError):
        approvals.Engine(approvals.Policy(read("seed_policy.json")), read("org.json"))
