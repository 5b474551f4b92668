"""The cluster test (issue 25, item 7): the portal as a larger deployment runs it, under load,
with an app node, a worker and the Redis master killed, and nothing acknowledged lost.

tests/cluster/stack.py stands up PostgreSQL behind PgBouncer (transaction mode), Redis with
Sentinel, a Redis of its own for the task queue, moto's S3, two gunicorn nodes behind nginx and
two workers. 40 people (4 at a time) send an entry with 2 photos each through nginx with the real
form (tests/cluster/people.py); every fifth presses submit a second time after the receipt came,
and anyone who gets an error presses again. Meanwhile: SIGKILL to one app node (its whole process
group) after 8 receipts, SIGKILL to one worker in the middle of sending a mail after 16, SIGKILL
to the Redis master after 24 (Sentinel promotes the replica).

Afterwards: every person got a receipt; each entry is stored once, with the reference on its
receipt and its photos, each photo's three renditions in the bucket; every message of the outbox
was handed to the mail server exactly once. The counts are printed in one block (on stderr,
which pytest-xdist's workers share with the run's output).

The cluster always uses PostgreSQL, also on the SQLite run (a database of its own on
127.0.0.1:5432, TEST_POSTGRES_URL): PgBouncer and a cluster of app nodes need a database server.
Every wait is bounded; the whole test takes 50–100 s on 2 cores (asserted below 4 minutes).
"""

import collections
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest

from tests.cluster import audit, people
from tests.cluster.stack import Cluster, kill_group

ENTRIES, PHOTOS, AT_ONCE = 40, 2, 4
PRESS_TWICE_EVERY = 5
KILL_NODE_AT, KILL_REDIS_AT, KILL_WORKER_AT = 8, 16, 24  # receipts given before each fault
LOAD_SECONDS = 150  # the submitters' bound
DRAIN_SECONDS = 100  # every mail out: a task lost with the node is swept up by send_outbox, every minute
WHOLE_SECONDS = 240
MAIL_DELAY = {"doomed": 1.5, "other": 0.05}  # seconds a send takes: the doomed worker is caught in one


@pytest.fixture
def cluster(tmp_path):
    began = time.monotonic()
    running = Cluster(
        tmp_path,
        worker_env=[{"MAIL_DELAY": MAIL_DELAY["doomed"]}, {"MAIL_DELAY": MAIL_DELAY["other"]}],
    ).start()
    running.began = began
    try:
        yield running
    finally:
        running.stop()


def until(check, seconds, what, pause=0.1):
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(pause)


class PoolWatch(threading.Thread):
    """The most PgBouncer clients and server connections seen at once (its admin console, every 0.5 s)."""

    def __init__(self, cluster):
        super().__init__(daemon=True)
        self.cluster, self.halt = cluster, threading.Event()
        self.clients = self.servers = 0

    def run(self):
        while not self.halt.wait(0.5):
            try:
                pools = [row for row in self.cluster.bouncer.admin("SHOW POOLS") if row["database"] == self.cluster.database]
            except psycopg2.Error:  # a sample missed is no matter
                continue
            for row in pools:
                self.clients = max(self.clients, row.get("cl_active", 0) + row.get("cl_waiting", 0))
                servers = sum(row.get(name, 0) for name in ("sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login"))
                self.servers = max(self.servers, servers)

    def stop(self):
        self.halt.set()
        self.join(timeout=10)


def kill_node_mid_request(node, seconds=15):
    """SIGKILL to the node's process group while one of its gunicorn workers is busy (its CPU time
    moved by 20 ms or more within 60 ms: a post's photos being processed), or after `seconds` in
    any case. True if one was busy. A request cut off so reaches the submitter as nginx's 502."""
    deadline = time.monotonic() + seconds
    before = node.cpu_ticks()
    busy = False
    while time.monotonic() < deadline and not busy:
        time.sleep(0.06)
        now = node.cpu_ticks()
        busy = any(count - before.get(pid, count) >= 2 for pid, count in now.items())
        before = now
    node.kill()
    return busy


def kill_worker_mid_send(cluster, worker, seconds=40):
    """SIGKILL to `worker`'s process group while it is in a send (a mark of its own without its
    mail line, under half the send's time old), or after `seconds` in any case. True if mid-send."""
    deadline = time.monotonic() + seconds
    mid_send = False
    while time.monotonic() < deadline and not mid_send:
        sent = set(audit.mail_lines(cluster.mail_log))
        for mark in audit.marks(cluster.mail_marks):
            try:
                ours = os.getpgid(mark["pid"]) == worker.process.pid
            except ProcessLookupError:
                continue
            fresh = time.time() - mark["at"] < MAIL_DELAY["doomed"] / 3
            if ours and fresh and (mark["to"][0], mark["subject"]) not in sent:
                mid_send = True
                break
        else:
            time.sleep(0.05)
    kill_group(worker.process)
    return mid_send


def report(request, lines):
    """The counts, readable in CI's log: on the terminal without xdist, on stderr in its workers."""
    text = "\n".join(["", "cluster test:", *(f"  {line}" for line in lines), ""])
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None and not hasattr(request.config, "workerinput"):
            reporter.write_line(text)
        else:
            sys.__stderr__.write(text + "\n")
            sys.__stderr__.flush()
    for line in lines:
        request.node.user_properties.append(("cluster", line))


def test_nothing_acknowledged_is_lost_when_a_node_a_worker_and_the_redis_master_die(cluster, request):
    from bench.load import photo_bytes

    photos = photo_bytes(4, size=(480, 360))
    marker = f"集群{uuid.uuid4().hex[:6]}"
    tally = people.Tally()
    doomed_node, survivor_node = cluster.nodes
    doomed_worker, survivor_worker = cluster.workers
    watch = PoolWatch(cluster)
    watch.start()
    faults = {}
    load_began = time.monotonic()
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        futures = [
            pool.submit(
                people.submit,
                cluster.port,
                index,
                marker,
                photos,
                tally,
                per_entry=PHOTOS,
                press_twice=index % PRESS_TWICE_EVERY == PRESS_TWICE_EVERY - 1,
            )
            for index in range(ENTRIES)
        ]

        def receipts(count):
            """True once `count` people have their receipt; a person who ended without one fails the test."""
            ended = [future.result() for future in futures if future.done()]
            assert [o for o in ended if o.state != "acknowledged"] == []
            return tally.acknowledged >= count

        try:
            until(lambda: receipts(KILL_NODE_AT), LOAD_SECONDS, f"{KILL_NODE_AT} receipts")
            faults["node_mid_request"] = kill_node_mid_request(doomed_node)
            faults["node"] = tally.acknowledged
            until(lambda: receipts(KILL_REDIS_AT), LOAD_SECONDS, f"{KILL_REDIS_AT} receipts")
            killed, faults["redis"] = time.monotonic(), tally.acknowledged
            cluster.redis.master.kill()
            cluster.redis.wait_promoted()
            faults["failover"] = time.monotonic() - killed
            until(lambda: receipts(KILL_WORKER_AT), LOAD_SECONDS, f"{KILL_WORKER_AT} receipts")
            faults["worker"] = tally.acknowledged
            faults["worker_mid_send"] = kill_worker_mid_send(cluster, doomed_worker)
        finally:
            outcomes = [future.result(timeout=LOAD_SECONDS) for future in futures]
    load_seconds = time.monotonic() - load_began

    # Every message of the outbox handed to the mail server, then a moment for any second send.
    def all_sent():
        messages = audit.outbox(cluster.direct_url)
        delivered = set(audit.mail_lines(cluster.mail_log))
        return messages if all(row[3] == "sent" and (row[1], row[2]) in delivered for row in messages) else None

    drain_began = time.monotonic()
    messages = until(all_sent, DRAIN_SECONDS, "every queued mail to be sent", pause=0.5)
    drain_seconds = time.monotonic() - drain_began
    time.sleep(3)
    # The killed worker's task, leased for TASK_RETRY (10 s), was taken up again and acknowledged.
    queue = cluster.queue.client()
    until(lambda: queue.hlen("django_q:portal:payloads") == 0, 30, "every task of the queue acknowledged", pause=0.5)
    watch.stop()
    messages = audit.outbox(cluster.direct_url)
    lines = collections.Counter(audit.mail_lines(cluster.mail_log))
    stored = audit.entries(cluster.direct_url, marker)
    kept_photos = audit.photos(cluster.direct_url)
    bucket = cluster.s3.keys()

    acknowledged = [outcome for outcome in outcomes if outcome.state == "acknowledged"]
    queued = {(to, subject) for _event, to, subject, *_rest in messages}
    duplicates = sum(count - 1 for count in lines.values() if count > 1)
    entry_ids = [rows[0][0] for rows in stored.values()]
    photo_files = [files for pk in entry_ids for files in kept_photos.get(pk, [])]
    missing = [name for files in photo_files for name in files if name not in bucket]
    orphans = bucket - {name for rows in kept_photos.values() for files in rows for name in files}
    retried = [outcome for outcome in outcomes if outcome.presses > 1]
    twice = [outcome for outcome in outcomes if outcome.pressed_twice]
    report(
        request,
        [
            f"{ENTRIES} entries × {PHOTOS} photos, {AT_ONCE} submitters at once through nginx to 2 app nodes; "
            f"load {load_seconds:.0f} s, whole test {time.monotonic() - cluster.began:.0f} s",
            f"faults: app node SIGKILLed after {faults['node']} receipts "
            f"({'while serving' if faults['node_mid_request'] else 'idle'}); Redis master SIGKILLed after {faults['redis']}, "
            f"replica promoted in {faults['failover']:.1f} s; a worker SIGKILLed after {faults['worker']} "
            f"({'in the middle of a send' if faults['worker_mid_send'] else 'not caught mid-send'})",
            f"acknowledged {len(acknowledged)} of {ENTRIES}; stored {sum(len(rows) for rows in stored.values())} "
            f"({len(stored)} distinct); photos {len(photo_files)}, renditions missing from the bucket {len(missing)}, "
            f"objects of no photo in it {len(orphans)} "
            "(written by a request that died)",
            f"errors seen by submitters {tally.error_count} {dict(sorted(tally.errors.items()))}; posts pressed again "
            f"after an error {len(retried)}; second presses after a receipt {len(twice)}",
            f"mails queued {len(messages)}, delivered {sum(1 for key in queued if lines[key])}, duplicates {duplicates}, "
            f"not in the outbox {sum(count for key, count in lines.items() if key not in queued)}; "
            f"all out {drain_seconds:.0f} s after the load",
            f"PgBouncer: at most {watch.clients} clients on {watch.servers} server connections (pool {cluster.pool_size})",
        ],
    )

    # Every person got a receipt, and each entry is stored once, as its receipt says.
    assert [(o.index, o.state, o.detail) for o in outcomes if o.state != "acknowledged"] == []
    assert sorted(stored) == sorted(o.org_name for o in outcomes)
    assert {name: len(rows) for name, rows in stored.items() if len(rows) != 1} == {}, "an entry stored twice"
    for outcome in outcomes:
        ((_pk, reference, token, status),) = stored[outcome.org_name]
        assert (reference, token, status) == (outcome.reference, outcome.token, "submitted"), outcome
    # A second press of a page whose entry is stored answers with that entry's receipt.
    assert len(twice) == ENTRIES // PRESS_TWICE_EVERY
    assert {o.index: o.second_answer for o in twice} == {o.index: f"302 /track/{o.token}/receipt/" for o in twice}
    # Its photos, each photo's renditions in the bucket (no app node's disk holds any).
    assert {pk: len(kept_photos.get(pk, [])) for pk in entry_ids} == {pk: PHOTOS for pk in entry_ids}
    assert missing == []
    assert len(set(photo_files)) == len(photo_files) and all(len(set(files)) == 3 for files in photo_files)
    for node in ("node-a", "node-b"):
        media = cluster.folder / node / "media"
        assert not media.exists() or not any(path.is_file() for path in media.rglob("*")), f"{node} kept media on its disk"
    # Every message of the outbox delivered exactly once: the receipt and the call mailbox's
    # notice of every entry.
    mailed = collections.Counter((row[5], row[0]) for row in messages)
    presses = {o.org_name: o.presses for o in outcomes}
    unmailed = {
        (name, f"presses {presses[name]}"): [mailed[rows[0][0], event] for event in ("received", "mailbox_notice")]
        for name, rows in stored.items()
        if [mailed[rows[0][0], event] for event in ("received", "mailbox_notice")] != [1, 1]
    }
    assert unmailed == {}, "entries stored without their receipt and mailbox notice queued once: [received, notice]"
    assert len(messages) == 2 * ENTRIES
    assert {key: lines[key] for key in queued if lines[key] != 1} == {}
    assert set(lines) == queued
    # The faults happened, and the rest of the cluster lived through them.
    assert faults["node"] < faults["redis"] < ENTRIES, "a fault came after the load"
    assert cluster.redis.master_port() == cluster.redis.replica.port
    assert any(cluster.redis.replica.client().scan_iter("cluster:*")), "the portal did not use the promoted replica"
    assert doomed_node.process.poll() is not None and doomed_worker.process.poll() is not None
    assert survivor_node.process.poll() is None, survivor_node.output()[-3000:]
    assert survivor_worker.process.poll() is None, survivor_worker.output()
    assert time.monotonic() - cluster.began < WHOLE_SECONDS
