#!/usr/bin/env python3
"""Citizens' pages under load: the portal against nginx serving a file.

For each database (SQLite, PostgreSQL) and size (synthetic articles from
`server seed-synthetic`), starts the built server on loopback and measures
with wrk (64 connections by default): home, article, category, search and
the counter beacon, with the page cache on ("cached", as served) and off
("rendered", what a page costs to build). Then serves the same article's
HTML as a static file from nginx with the same load and reports the ratio.
Writes JSON and Markdown to the output folder.

Run it through `bench/run.sh`, which builds what it needs; `--help` lists
the options. Standard library only.
"""

import argparse
import datetime
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
BROWSER = (
    "Mozilla/5.0 (Linux; Android 13; SM-A045F) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)
ARTICLE = "/tin-tuc/bai-thu-nghiem-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def fetch(url, timeout=30):
    request = urllib.request.Request(url, headers={"User-Agent": "cchc-bench"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


class Postgres:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def psql(self, database, sql):
        out = subprocess.run(
            ["psql", f"{self.url}/{database}", "-tAc", sql],
            check=True, capture_output=True, text=True,
        )
        return out.stdout.strip()

    def database_url(self, name):
        return f"{self.url}/{name}"


def article_count(kind, url, pg):
    try:
        if kind == "sqlite":
            path = url.removeprefix("sqlite://").split("?")[0]
            if not os.path.exists(path):
                return None
            with sqlite3.connect(path) as conn:
                return conn.execute("SELECT count(*) FROM article").fetchone()[0]
        name = url.rsplit("/", 1)[1]
        if pg.psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
            return None
        return int(pg.psql(name, "SELECT count(*) FROM article"))
    except (sqlite3.Error, subprocess.CalledProcessError, ValueError):
        return None


def prepare_database(kind, size, options, pg):
    """A database with the demo content and `size` synthetic articles,
    reused from an earlier run unless --fresh."""
    data = pathlib.Path(options.out) / "db"
    data.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        path = data / f"sqlite-{size}.db"
        url = f"sqlite://{path}?mode=rwc"
        if options.fresh:
            for suffix in ("", "-wal", "-shm"):
                pathlib.Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        name = f"{options.prefix}_{size}"
        url = pg.database_url(name)
        if options.fresh:
            pg.psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if pg.psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
            pg.psql("postgres", f"CREATE DATABASE {name}")
    have = article_count(kind, url, pg)
    if have is not None and have >= size:
        log(f"{kind}: reusing a database with {have} articles")
        return url, have
    if have:
        raise SystemExit(f"{url} holds {have} articles, fewer than {size}: run with --fresh")
    log(f"{kind}: writing {size} synthetic articles")
    started = time.monotonic()
    subprocess.run(
        [options.server, "seed-synthetic", str(size)],
        check=True, env={**os.environ, **server_env(url, 0, options, cached=False)},
        stdout=subprocess.DEVNULL,
    )
    log(f"{kind}: seeded in {time.monotonic() - started:.0f} s")
    return url, article_count(kind, url, pg)


def server_env(database_url, port, options, cached):
    return {
        "DATABASE_URL": database_url,
        "LEPTOS_SITE_ADDR": f"127.0.0.1:{port}",
        "LEPTOS_SITE_ROOT": str(options.site),
        "CCHC_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "CCHC_PAGE_CACHE_SECONDS": "10" if cached else "0",
        "CCHC_SEED_DEMO": "true",
        # One load generator on loopback is not one reader: no rate limits.
        "CCHC_RATE_LIMITS": "false",
        "CCHC_EDITOR_DIR": str(ROOT / "target" / "editor"),
        "RUST_LOG": "warn",
    }


class Server:
    def __init__(self, database_url, options, cached):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [options.server],
            env={**os.environ, **server_env(database_url, self.port, options, cached)},
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if fetch(self.base + "/robots.txt", timeout=2)[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise SystemExit("the server did not start")

    def status_kib(self, field):
        """A `/proc/PID/status` figure in KiB (`VmHWM`: peak RSS; `VmRSS`: now)."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return None

    def peak_rss_kib(self):
        return self.status_kib("VmHWM")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wrk(url, options, body=None):
    env = {**os.environ, "BENCH_BODY": body or ""}
    out = subprocess.run(
        ["wrk", f"-t{options.threads}", f"-c{options.connections}",
         f"-d{options.duration}s", "--timeout", "10s",
         "-s", str(ROOT / "bench" / "report.lua"), url],
        check=True, capture_output=True, text=True, env=env,
    ).stdout
    line = next(l for l in out.splitlines() if l.startswith("BENCH "))
    result = json.loads(line[len("BENCH "):])
    seconds = result["duration_us"] / 1e6
    result["rps"] = round(result["requests"] / seconds, 1) if seconds else 0.0
    result["error_count"] = sum(result["errors"].values())
    return result


def category_path(base):
    _, html = fetch(base + "/")
    match = re.search(rb'href="(/chuyen-muc/[a-z0-9-]+)"', html)
    return match.group(1).decode() if match else "/chuyen-muc/tin-tuc"


def nginx_static(article_html, options):
    """Serves `article_html` from nginx on loopback and loads it like ours."""
    work = pathlib.Path(tempfile.mkdtemp(prefix="cchc-nginx-"))
    os.chmod(work, 0o755)
    (work / "www").mkdir()
    os.chmod(work / "www", 0o755)
    page = work / "www" / "article.html"
    page.write_bytes(article_html)
    os.chmod(page, 0o644)
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    conf = work / "nginx.conf"
    conf.write_text(f"""{user}
worker_processes auto;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type text/html;
  client_body_temp_path {work}/body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {work}/www;
  }}
}}
""")
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([binary, "-c", str(conf), "-p", str(work)])
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                fetch(f"http://127.0.0.1:{port}/article.html", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        return wrk(f"http://127.0.0.1:{port}/article.html", options)
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def measure(kind, size, options, pg):
    url, articles = prepare_database(kind, size, options, pg)
    runs = []
    article_html = None
    for mode in options.modes:
        cached = mode == "cached"
        server = Server(url, options, cached)
        started_kib = server.status_kib("VmHWM")
        try:
            targets = [
                ("home", "/", None),
                ("article", ARTICLE, None),
                ("category", category_path(server.base), None),
                ("search", "/tim-kiem?q=can+tho", None),
            ]
            if cached:
                targets.append(("beacon", "/api/luot-truy-cap", ARTICLE))
            for name, path, body in targets:
                if body is None:
                    status, html = fetch(server.base + path)
                    if status != 200:
                        raise SystemExit(f"{path} answered {status}")
                    if name == "article":
                        article_html = html
                log(f"{kind} {size} {mode} {name}")
                result = wrk(server.base + path, options, body)
                # The peak so far: a page that raises it is the one that
                # needed the memory (pages run in this order).
                result.update(database=kind, size=size, articles=articles, mode=mode,
                              page=name, path=path, server_peak_rss_kib=server.peak_rss_kib(),
                              server_started_rss_kib=started_kib)
                runs.append(result)
        finally:
            server.stop()
    return runs, article_html


def markdown(report):
    lines = [
        f"# Page benchmark, {report['meta']['date']}",
        "",
        f"`{report['meta']['command']}` at commit `{report['meta']['commit']}`, "
        f"{report['meta']['profile']} build, wrk {report['meta']['threads']} threads, "
        f"{report['meta']['connections']} connections, {report['meta']['duration']} s each, "
        f"{report['meta']['cpus']} CPUs shared by server and wrk.",
        "",
        "| database | articles | mode | page | req/s | p50 ms | p95 ms | p99 ms | errors | server peak RSS MB so far (after start) |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["runs"]:
        rss = r.get("server_peak_rss_kib")
        rss = f"{rss / 1024:.1f}" if rss else "-"
        if r.get("server_started_rss_kib"):
            rss += f" ({r['server_started_rss_kib'] / 1024:.1f})"
        lines.append(
            f"| {r['database']} | {r['articles']} | {r['mode']} | {r['page']} | {r['rps']:.0f} | "
            f"{r['p50_us'] / 1000:.2f} | {r['p95_us'] / 1000:.2f} | {r['p99_us'] / 1000:.2f} | "
            f"{r['error_count']} | {rss} |")
    n = report["nginx"]
    lines += [
        "",
        f"nginx, the same article's HTML as a static file: {n['rps']:.0f} req/s, "
        f"p50 {n['p50_us'] / 1000:.2f} ms, p99 {n['p99_us'] / 1000:.2f} ms, errors {n['error_count']}.",
        "",
        "| database | articles | article req/s (cached) | ratio to nginx |",
        "|---|---:|---:|---:|",
    ]
    for r in report["ratios"]:
        lines.append(f"| {r['database']} | {r['articles']} | {r['rps']:.0f} | {r['ratio'] * 100:.1f}% |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, help="the built server binary")
    parser.add_argument("--site", required=True, help="the site root (LEPTOS_SITE_ROOT)")
    parser.add_argument("--profile", default="release")
    parser.add_argument("--sizes", default="100,10000,100000")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--modes", default="cached,rendered")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--out", default=str(ROOT / "target" / "bench"))
    parser.add_argument("--results", default=str(ROOT / "bench" / "results"),
                        help="where the JSON and Markdown go")
    parser.add_argument("--prefix", default="cchc_bench",
                        help="PostgreSQL databases are named PREFIX_SIZE")
    parser.add_argument("--fresh", action="store_true", help="re-seed the databases")
    parser.add_argument("--smoke", action="store_true",
                        help="fail unless every run answered without errors")
    options = parser.parse_args()
    options.modes = options.modes.split(",")
    pg = Postgres(options.postgres)
    runs, ratios, article_html = [], [], None
    for kind in options.databases.split(","):
        for size in [int(s) for s in options.sizes.split(",")]:
            more, html = measure(kind, size, options, pg)
            runs += more
            article_html = article_html or html
    log("nginx static")
    nginx = nginx_static(article_html, options)
    for r in runs:
        if r["page"] == "article" and r["mode"] == "cached":
            ratios.append({"database": r["database"], "articles": r["articles"],
                           "rps": r["rps"], "ratio": r["rps"] / nginx["rps"]})
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    report = {
        "meta": {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": commit,
            "command": os.environ.get("BENCH_COMMAND", "bash bench/run.sh"),
            "profile": options.profile,
            "threads": options.threads,
            "connections": options.connections,
            "duration": options.duration,
            "cpus": os.cpu_count(),
        },
        "runs": runs,
        "nginx": nginx,
        "ratios": ratios,
    }
    results = pathlib.Path(options.results)
    results.mkdir(parents=True, exist_ok=True)
    stem = "smoke" if options.smoke else datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (results / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    (results / f"{stem}.md").write_text(markdown(report))
    print(markdown(report))
    if options.smoke:
        bad = [r for r in runs + [nginx] if r["requests"] == 0 or r["error_count"]]
        if bad:
            raise SystemExit(f"smoke run failed: {json.dumps(bad)}")
        log("smoke run passed")


if __name__ == "__main__":
    main()
