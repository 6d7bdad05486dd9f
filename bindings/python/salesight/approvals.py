"""Contract approval routing (the C++ engine through the C ABI).

    from salesight import approvals
    engine = approvals.Engine(policy=open("seed_policy.json").read(),
                              directory=open("org.json").read())
    engine.route({"id": "C-1", "initiator": "rep1", "attributes": {"amount": "50000.00"}})
    inst = approvals.Instance()
    engine.apply(inst, {"kind": "submitted", "key": "k1", "actor": "rep1",
                        "contract": {"id": "C-1", "attributes": {"amount": 60000}}})
    inst.pending("fin1"), inst.state(), inst.log()
    engine.replay(inst.log())

Dicts in, dicts out; numbers given as strings ("49999.99") stay exact. A
refused command is an answer ({"accepted": False, "reason": ...}), not an
exception; invalid input raises the package's SalesightError subclasses.
"""
import json

from . import _salesight


def _text(value):
    return value if isinstance(value, str) else json.dumps(value)


class Instance:
    """One approval instance: a fold over its hash-chained event log."""

    def __init__(self, _handle=None):
        self._h = _handle if _handle is not None else _salesight.ApprovalInstance()

    def pending(self, user):
        """True when `user` may act on the instance now."""
        return self._h.pending(user)

    def state(self):
        return json.loads(self._h.state())

    def log(self):
        """The event log as JSON lines (str)."""
        return self._h.log()


class Engine:
    """A policy (JSON, optionally its table from DMN XML) and an org directory."""

    def __init__(self, policy, directory, dmn=None, allow_findings=False):
        self._h = _salesight.ApprovalEngine(_text(policy), _text(directory), dmn, allow_findings)

    def findings(self):
        return [line for line in self._h.findings().splitlines() if line]

    def route(self, contract):
        return json.loads(self._h.route(_text(contract)))

    def apply(self, instance, command):
        return json.loads(self._h.apply(instance._h, _text(command)))

    def replay(self, log):
        return Instance(self._h.replay(log))
