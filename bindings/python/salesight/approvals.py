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
    store = approvals.Store()                     # many instances by id
    engine.store_apply(store, {"kind": "submitted", "instance": "I-2", ...})
    store.pending("dir1"), engine.replay_store(store.log())

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


class Policy:
    """A policy loaded once (JSON, its table optionally from DMN XML)."""

    def __init__(self, policy, dmn=None):
        self._h = _salesight.ApprovalPolicy(_text(policy), dmn)


class Directory:
    """An org directory loaded once (JSON)."""

    def __init__(self, directory):
        self._h = _salesight.ApprovalDirectory(_text(directory))


class Store:
    """Many instances by id: apply commands to any, ask what waits for whom."""

    def __init__(self, _handle=None):
        self._h = _handle if _handle is not None else _salesight.ApprovalStore()

    def pending(self, user, at=0):
        """What waits for `user` across the instances (and, through a delegation
        covering `at` seconds, for the principals they stand in for)."""
        return json.loads(self._h.pending(user, at))

    def state(self, instance):
        return json.loads(self._h.state(instance))

    def log(self):
        """Every event as JSON lines (str), instance after instance."""
        return self._h.log()


def pending(instances, user, at=0):
    """Store.pending over Instance objects the caller keeps itself."""
    return json.loads(_salesight.approval_pending_list([i._h for i in instances], user, at))


class Engine:
    """A policy (JSON, optionally its table from DMN XML) and an org directory,
    given as texts/dicts or as Policy and Directory objects."""

    def __init__(self, policy, directory, dmn=None, allow_findings=False):
        if isinstance(policy, Policy) or isinstance(directory, Directory):
            if not (isinstance(policy, Policy) and isinstance(directory, Directory)) or dmn is not None:
                raise TypeError("give Policy and Directory objects together (the DMN goes to Policy)")
            self._h = _salesight.ApprovalEngine.from_handles(policy._h, directory._h, allow_findings)
        else:
            self._h = _salesight.ApprovalEngine(_text(policy), _text(directory), dmn, allow_findings)

    def findings(self):
        return [line for line in self._h.findings().splitlines() if line]

    def route(self, contract):
        return json.loads(self._h.route(_text(contract)))

    def apply(self, instance, command):
        return json.loads(self._h.apply(instance._h, _text(command)))

    def replay(self, log):
        return Instance(self._h.replay(log))

    def store_apply(self, store, command):
        """Applies a command to the store's instance it names ("instance")."""
        return json.loads(self._h.store_apply(store._h, _text(command)))

    def replay_store(self, log):
        """A Store from a log holding many instances (JSON lines)."""
        return Store(self._h.store_replay(log))
