"""The complaint lifecycle as a table: which moves exist, what each demands, who may make
them. Complaints here are unsaved model objects: the rules need no database."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from handlers.complaints.statuses import (
    ACKNOWLEDGED,
    CITIZEN,
    FORWARDED,
    IN_PROGRESS,
    OPEN_STATUSES,
    OUTSIDE_COMPETENCE,
    RECEIVED,
    REJECTED,
    REOPENED,
    RESOLVED,
    RULES,
    STATUSES,
    TRANSITIONS,
    StatusChangeRefused,
    check_change,
    next_statuses,
)
from storage.models import Complaint

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


def complaint(status: str, reopen_until: datetime | None = None) -> Complaint:
    return Complaint(status=status, assigned_service=None, reopen_until=reopen_until)


def allowed(status: str, to: str, actor: str = "Agent", **texts: object) -> bool:
    try:
        check_change(
            complaint(status, reopen_until=texts.pop("reopen_until", None)),
            to,
            actor=actor,
            public_comment=texts.get("comment"),  # type: ignore[arg-type]
            service=texts.get("service"),  # type: ignore[arg-type]
            now=NOW,
        )
    except StatusChangeRefused:
        return False
    return True


def test_the_table_covers_every_status_and_names_only_statuses():
    assert set(TRANSITIONS) == set(STATUSES)
    assert all(set(targets) <= set(STATUSES) for targets in TRANSITIONS.values())
    assert set(RULES) <= set(STATUSES)


def test_the_lifecycle_in_the_commune_rules():
    path = [RECEIVED, ACKNOWLEDGED, FORWARDED, IN_PROGRESS, RESOLVED]
    for current, following in pairwise(path):
        assert following in TRANSITIONS[current], (current, following)
    assert REJECTED in TRANSITIONS[IN_PROGRESS]
    assert TRANSITIONS[RESOLVED] == TRANSITIONS[REJECTED] == (REOPENED,)
    assert IN_PROGRESS in TRANSITIONS[REOPENED]
    assert TRANSITIONS[OUTSIDE_COMPETENCE] == ()


def test_every_open_status_can_be_declared_outside_competence():
    for status in OPEN_STATUSES:
        assert OUTSIDE_COMPETENCE in TRANSITIONS[status], status


def test_only_answered_complaints_can_be_reopened():
    sources = {s for s, targets in TRANSITIONS.items() if REOPENED in targets}
    assert sources == {RESOLVED, REJECTED}


def test_every_status_is_reachable_from_received():
    seen, queue = {RECEIVED}, deque([RECEIVED])
    while queue:
        for following in TRANSITIONS[queue.popleft()]:
            if following not in seen:
                seen.add(following)
                queue.append(following)
    assert seen == set(STATUSES)


def test_moves_outside_the_table_are_refused():
    assert not allowed(RECEIVED, RESOLVED)
    assert not allowed(RESOLVED, IN_PROGRESS)
    assert not allowed(OUTSIDE_COMPETENCE, REOPENED, CITIZEN, reopen_until=NOW)
    assert not allowed(RECEIVED, "archived")


def test_a_rejection_needs_a_reason():
    assert not allowed(IN_PROGRESS, REJECTED)
    assert not allowed(IN_PROGRESS, REJECTED, comment="   ")
    assert allowed(IN_PROGRESS, REJECTED, comment="Déjà traité dans la réclamation TRD-26-2345X")


def test_outside_competence_needs_a_public_comment():
    assert not allowed(ACKNOWLEDGED, OUTSIDE_COMPETENCE)
    assert allowed(ACKNOWLEDGED, OUTSIDE_COMPETENCE, comment="Relève de l'ONEE")


def test_forwarding_needs_a_service():
    assert not allowed(ACKNOWLEDGED, FORWARDED)
    assert allowed(ACKNOWLEDGED, FORWARDED, service="Service de la voirie")


def test_reopening_is_the_citizens_within_the_window():
    window = NOW + timedelta(days=1)
    assert allowed(RESOLVED, REOPENED, CITIZEN, reopen_until=window)
    assert not allowed(RESOLVED, REOPENED, "Agent", reopen_until=window)
    assert not allowed(RESOLVED, REOPENED, CITIZEN, reopen_until=NOW - timedelta(seconds=1))
    assert not allowed(RESOLVED, REOPENED, CITIZEN, reopen_until=None)


def test_citizens_cannot_set_staff_statuses():
    assert not allowed(RECEIVED, ACKNOWLEDGED, CITIZEN)


def test_staff_are_offered_the_next_statuses_but_never_reopening():
    assert next_statuses(RECEIVED) == (ACKNOWLEDGED, REJECTED, OUTSIDE_COMPETENCE)
    assert next_statuses(RESOLVED) == ()
    assert next_statuses(RESOLVED, for_staff=False) == (REOPENED,)


def test_the_refusal_names_its_translated_explanation():
    with pytest.raises(StatusChangeRefused) as refused:
        check_change(
            complaint(IN_PROGRESS),
            REJECTED,
            actor="Agent",
            public_comment=None,
            service=None,
            now=NOW,
        )
    assert refused.value.key == "complaint.refused.reason"
