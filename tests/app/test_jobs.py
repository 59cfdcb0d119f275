"""The application layer's queue rules, without Qt: supersede, interrupt, and what Cancel stops."""

from __future__ import annotations

import itertools

import pytest

from sbv2_studio.app.jobs import (
    COMPARE,
    EXPORT,
    IMPORT,
    KEPT_ON_CANCEL,
    LOAD,
    READ_AHEAD,
    REMOVE,
    RETRY,
    SCAN,
    STREAM,
    SYNTH,
    UNCANCELLABLE,
    Job,
    JobQueue,
)  # fmt: skip

_ids = itertools.count(1)


def job(kind: str, text: str = "") -> Job:
    return Job(next(_ids), kind, text=text)


def test_a_new_speech_request_replaces_the_waiting_ones_of_either_kind():
    q = JobQueue()
    load, a, b = job(LOAD), job(SYNTH, "A"), job(STREAM, "B")
    for j in (load, a, b):
        q.put(j)
    assert [j.text for j in q.waiting() if j.kind in (SYNTH, STREAM)] == ["B"]  # A was replaced by B
    assert a.cancelled and not load.cancelled
    c = job(SYNTH, "C")
    assert q.put(c) == [b]  # the superseded jobs are handed back, to say so to the person
    assert q.waiting() == [load, c]


def test_a_new_load_replaces_a_waiting_load_but_not_other_jobs():
    q = JobQueue()
    first, export, second = job(LOAD), job(EXPORT), job(LOAD)
    q.put(first), q.put(export)
    assert q.put(second) == [first]
    assert q.waiting() == [export, second]
    assert q.put(job(COMPARE)) == [] and q.put(job(COMPARE)) == []  # comparisons queue up


def test_reading_ahead_never_keeps_another_job_waiting():
    """Work done ahead of the person's request is replaced by a newer text's and dropped by any other job: the
    request it prepares for must not queue behind it (nor a load, nor another program's request)."""
    q = JobQueue()
    old, new = job(READ_AHEAD, "old"), job(READ_AHEAD, "new")
    q.put(old)
    assert q.put(new) == [old] and old.cancelled and q.waiting() == [new]
    request = job(STREAM, "new")
    assert q.put(request) == [new] and new.cancelled and q.waiting() == [request]
    later = job(READ_AHEAD, "later")
    q.put(later)
    assert q.put(job(LOAD)) == [later]  # any kind of job
    assert READ_AHEAD not in KEPT_ON_CANCEL  # and Cancel stops it


def test_jobs_run_in_order_and_the_running_one_is_known():
    q = JobQueue()
    jobs = [job(SCAN), job(LOAD), job(SYNTH, "x")]
    for j in jobs:
        q.put(j)
    taken = []
    while (j := q.take()) is not None:
        assert q.running is j
        taken.append(j)
        q.done(j)
        assert q.running is None
    assert taken == jobs and len(q) == 0


def test_cancel_drops_the_waiting_work_and_flags_the_running_job():
    q = JobQueue()
    running, waiting = job(SYNTH, "A"), [job(SYNTH, "B"), job(EXPORT), job(COMPARE)]
    q.put(running)
    assert q.take() is running
    for j in waiting:
        q.put(j)
    dropped, flagged = q.cancel()
    assert dropped == waiting and all(j.cancelled for j in waiting)
    assert flagged is running and running.cancelled and len(q) == 0


def test_cancel_keeps_a_voice_switch_the_picker_already_shows():
    q = JobQueue()
    speaking, switch, later = job(STREAM, "long"), job(LOAD), job(SYNTH, "later")
    q.put(speaking)
    q.take()
    q.put(switch)
    q.put(later)
    dropped, flagged = q.cancel()
    assert flagged is speaking and dropped == [later]
    assert q.waiting() == [switch] and not switch.cancelled  # the next request is spoken by the new voice
    q.done(speaking)
    assert q.take() is switch
    assert q.cancel() == ([], None) and not switch.cancelled  # a running load finishes too


@pytest.mark.parametrize("kind", sorted(UNCANCELLABLE))
def test_jobs_that_change_state_finish_once_running(kind):
    q = JobQueue()
    running = job(kind)
    q.put(running)
    q.take()
    q.put(job(SYNTH, "later"))
    dropped, flagged = q.cancel()
    assert flagged is None and not running.cancelled  # a half-done import or removal would lose files
    assert [j.text for j in dropped] == ["later"]
    assert {SCAN, IMPORT, REMOVE, RETRY} == UNCANCELLABLE


def test_a_new_stream_interrupts_the_one_still_speaking_but_not_other_work():
    q = JobQueue()
    speaking = job(STREAM, "long")
    q.put(speaking)
    q.take()
    assert q.interrupting(STREAM) is speaking
    assert q.interrupting(SYNTH) is None  # a whole request waits its turn
    speaking.cancelled = True
    assert q.interrupting(STREAM) is None  # already being stopped
    q.done(speaking)
    q.put(exporting := job(EXPORT))
    q.take()
    assert q.running is exporting and q.interrupting(STREAM) is None
