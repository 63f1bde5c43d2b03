"""Benchmark: what readers feel while the mail server is down or hung, and what arrives after.

Runs the production stack on loopback (gunicorn with 3 workers, db_worker,
DEBUG off, SQLite in a temporary folder; tests/production_stack.py) three times:
with a working SMTP server (aiosmtpd), with a closed port, and with a server that
accepts and never answers (EMAIL_URL timeout 30 s). In each, readers post
comments and shares (each queues an email) while the article page and the
comment POST are timed. An hour of outage is then simulated by moving the retry
schedule's clock (no sleeping), a real SMTP server opens, and the emails that
arrive are counted.

    .venv/bin/python bench/mail_outage.py            # 60 page views, 6 emails a case
    .venv/bin/python bench/mail_outage.py --views 200 --json bench-mail.json
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from tests.production_stack import ARTICLE, ProductionStack, SilentMailServer, free_port  # noqa: E402


class Collector:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def summary(seconds):
    ordered = sorted(seconds)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def readers_write(site, emails):
    """Post comments and shares (half each), from distinct addresses; returns the POST times."""
    comment_fields = site.hidden_inputs(site.get(ARTICLE), "commentform")
    share_fields = site.hidden_inputs(site.get(ARTICLE + "share/"), "shareform")
    time.sleep(3.2)  # older than a person's fastest answer
    times = []
    for n in range(emails):
        if n % 2:
            data = {**share_fields, "name": f"S{n}", "email": f"s{n}@example.test", "to": f"f{n}@example.test"}
            answer = site.post_form(
                ARTICLE + "share/", data | {"message": "", "homepage": ""}, reader_ip=f"10.9.0.{n}"
            )
        else:
            data = {**comment_fields, "body": f"Bench comment {n} {time.time()}", "name": f"Bench {n}"}
            data |= {"email": f"bench{n}@example.test", "url": "", "homepage": ""}
            answer = site.post_form("/comments/post/", data, reader_ip=f"10.8.0.{n}")
        assert answer.status == 303, answer.status
        times.append(answer.seconds)
    return times


def run_case(name, *, email_port, views, emails, collector=None, recover=True):
    site = ProductionStack(tempfile.mkdtemp(prefix="blog-bench-mail-"), email_port=email_port).prepare()
    site.clear_tasks()
    try:
        site.start_web(workers=3)
        worker = site.start_worker()
        for _ in range(5):
            site.get(ARTICLE)  # warm the caches
        with ThreadPoolExecutor(max_workers=2) as pool:
            writing = pool.submit(readers_write, site, emails)
            pages = [site.get(ARTICLE).seconds for _ in range(views)]
            posts = writing.result()
        result = {"case": name, "article": summary(pages), "post": summary(posts), "queued": emails}
        if not recover:  # the hung server keeps its port: the worker is waiting on it
            return result | {"delivered": "-", "worker_alive": worker.poll() is None}
        if collector is None:  # the outage: an hour of retries, then the mail server returns
            site.wait_until_idle(timeout=120)
            for _ in range(5):
                site.move_retry_clock()
                site.wait_until_idle(timeout=120)
            collector = Collector()
            controller = Controller(collector, hostname="127.0.0.1", port=email_port)
            controller.start()
            site.move_retry_clock()
        else:
            controller = None
        site.wait_until_idle(timeout=120)
        deadline = time.monotonic() + 60
        while collector.count < emails and time.monotonic() < deadline:
            time.sleep(0.1)
        if controller:
            controller.stop()
        result |= {"delivered": collector.count, "worker_alive": worker.poll() is None}
        return result
    finally:
        site.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=60)
    parser.add_argument("--emails", type=int, default=6)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    results = []
    working, port = Collector(), free_port()
    controller = Controller(working, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        results.append(
            run_case("mail server up", email_port=port, views=args.views, emails=args.emails, collector=working)
        )
    finally:
        controller.stop()
    results.append(
        run_case("mail server down (closed port)", email_port=free_port(), views=args.views, emails=args.emails)
    )
    with SilentMailServer() as silent:
        # The worker waits 30 s on each attempt; pages and posts must not.
        case = run_case(
            "mail server silent (30 s timeout)",
            email_port=silent.port,
            views=args.views,
            emails=args.emails,
            recover=False,
        )
        results.append(case)

    print(f"{'case':36} {'article median/p95/max ms':>28} {'POST median/p95/max ms':>26}  delivered  worker")
    for row in results:
        article = "/".join(str(v) for v in row["article"].values())
        post = "/".join(str(v) for v in row["post"].values())
        print(
            f"{row['case']:36} {article:>28} {post:>26}  {row['delivered']!s:>3}/{row['queued']:<5} "
            f"{'alive' if row['worker_alive'] else 'EXITED'}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
