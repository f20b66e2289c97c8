"""The ``zonemap`` command: load, check, serve; extract and review drafts of new plan documents."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from geo.errors import DataError, DataProblem, WriteError, excerpt
from webmap.settings import get_settings


def _read(args):
    from projects.dataset import read_dataset

    settings = get_settings()
    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir
    seeds = Path(args.seeds_dir) if args.seeds_dir else settings.seeds_dir
    try:
        return read_dataset(data_dir, seeds, max_vertices=settings.load_max_vertices), data_dir, seeds
    except (DataError, KeyboardInterrupt):
        raise
    except Exception as exc:  # a case the checks do not know yet: still a message, not a traceback
        if os.environ.get("ZONEMAP_DEBUG"):
            raise
        raise DataError([DataProblem(str(data_dir), None, None, f"unexpected {type(exc).__name__} while reading the data: "
                                     f"{excerpt(str(exc), 200)} (ZONEMAP_DEBUG=1 shows the traceback)")]) from None


def cmd_load(args) -> int:
    """Validate everything in data/, then replace the database in one transaction."""
    from projects.store import write_dataset

    settings = get_settings()
    try:
        ds, data_dir, seeds = _read(args)
    except DataError as exc:
        print(f"zonemap load: nothing written. {exc}", file=sys.stderr)
        return 1
    url = args.database_url or settings.database_url
    try:
        counts = write_dataset(url, ds)
    except WriteError as exc:
        print(f"zonemap load: nothing changed: {exc}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items() if k in (
        "plans", "layouts", "zones", "streets", "projects", "mentions", "industries", "project_zones"))
    print(f"zonemap load: {summary} → {_safe_url(url)}")
    if seeds is None:
        print("zonemap load: warning: plan documents not found, quotes were not checked (set ZONEMAP_SEEDS_DIR)", file=sys.stderr)
    return 0


def cmd_check(args) -> int:
    """Validate without writing; print the consistency report; non-zero on errors."""
    from projects.report import consistency_report

    try:
        ds, data_dir, seeds = _read(args)
    except DataError as exc:
        print(f"zonemap check: {exc}", file=sys.stderr)
        return 1
    report, errors = consistency_report(ds, seeds_checked=seeds is not None)
    print(report)
    return 1 if errors else 0


def cmd_serve(args) -> int:
    """Serve the app on 127.0.0.1:$PORT."""
    import uvicorn

    from projects.store import clean_stale_files

    settings = get_settings()
    port = args.port if args.port is not None else settings.port
    for path in clean_stale_files(settings.database_url):  # left by a load that was killed
        print(f"zonemap serve: removed the stale temporary file {path}", file=sys.stderr)
    workers = args.workers or settings.workers or default_workers()
    # Several worker processes (one event loop each) share the port; every worker keeps its own
    # engine, map page cache and export cache, keyed by the data fingerprint, so none can serve
    # stale data after a reload.
    # proxy_headers=False: whose X-Forwarded-* headers count is decided by ZONEMAP_TRUSTED_PROXIES
    # alone (webmap.middleware.PublicURL). uvicorn's own handling, on for 127.0.0.1 by default,
    # would honour X-Forwarded-Proto from any local client and swap the client address for
    # X-Forwarded-For before that check (a client could pose as a trusted proxy, and a real proxy
    # on loopback would no longer be recognised).
    uvicorn.run("webmap.app:create_app", factory=True, host=settings.host, port=port, workers=workers,
                log_level="info", access_log=not args.no_access_log, proxy_headers=False)
    return 0


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)

def cmd_extract(args) -> int:
    """Draft catalog entries for a new plan document (nothing is loaded: the draft waits for review)."""
    from projects.extract.draft import check_writable, extract, write_draft
    from projects.extract.errors import ExtractError

    settings = get_settings()
    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir
    out = Path(args.out) if args.out else data_dir / "catalog" / f"draft-{args.plan}.yaml"
    try:
        check_writable(out)  # before the work, not after it
        if args.write_utf8:
            check_writable(Path(args.write_utf8))
        if out.exists() and not args.force:
            raise ExtractError(f"{out} exists (it may hold review decisions): choose another --out, or --force to replace it")
        result = extract(Path(args.document), args.plan, data_dir / "catalog", district=args.district,
                         replacing=out if args.force else None)
        for note in result.document.notes:
            print(f"note: {note}", file=sys.stderr)
        if result.document.encoding != "utf-8" or result.document.raw.startswith("\ufeff"):
            print("note: the loader checks quotes against UTF-8 documents: save the document as UTF-8 "
                  f"in the plan documents folder ({settings.seeds_dir or 'ZONEMAP_SEEDS_DIR'}) before `zonemap load`", file=sys.stderr)
        if args.write_utf8:
            from projects.extract.draft import write_atomic

            write_atomic(Path(args.write_utf8), result.document.raw)
            result.draft["plans"][0]["source_file"] = Path(args.write_utf8).name
            print(f"note: UTF-8 copy written to {args.write_utf8}; the plan's source_file names it", file=sys.stderr)
        write_draft(out, result, args.plan)
    except ExtractError as exc:
        print(f"zonemap extract: nothing written. {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    print(f"zonemap extract: {counts} → {out} ({result.seconds:.1f} s)")
    print(f"next: zonemap review {out}")
    return 0


def cmd_review(args) -> int:
    """Walk a draft's pending entries: accept, edit, reject, skip; each decision saved at once."""
    import os

    from projects.extract.errors import ExtractError
    from projects.extract.review import Review

    settings = get_settings()
    seeds = Path(args.seeds_dir) if args.seeds_dir else settings.seeds_dir
    editor = None if args.inline else (os.environ.get("VISUAL") or os.environ.get("EDITOR"))
    try:
        session = Review(Path(args.file), seeds, ask=input, say=print, editor=editor)
        counts = session.run()
    except ExtractError as exc:
        print(f"zonemap review: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nzonemap review: stopped; every decision so far is saved", file=sys.stderr)
        return 130
    return 0 if not counts.get("pending") else 3


def _safe_url(url: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(url).render_as_string(hide_password=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zonemap", description="Dalian's district plans on a map.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, help_ in (
        ("load", cmd_load, "validate data/ and (re)build the database"),
        ("check", cmd_check, "validate data/ without writing and print a consistency report"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--data-dir", help="data folder (default: the repository's data/)")
        p.add_argument("--seeds-dir", help="folder of the plan documents (default: ../shared/seeds)")
        if name == "load":
            p.add_argument("--database-url", help="overrides DATABASE_URL")
        p.set_defaults(func=func)
    p = sub.add_parser("extract", help="draft catalog entries for a new plan document (for review)")
    p.add_argument("document", help="the plan document: plain text (UTF-8; GBK and a BOM are converted)")
    p.add_argument("--plan", required=True, help="the new plan's id, an ASCII slug such as xigang-work-report-2017")
    p.add_argument("--out", help="draft file (default: data/catalog/draft-<plan>.yaml)")
    p.add_argument("--district", help="the plan's district as written (default: from the document's title)")
    p.add_argument("--data-dir", help="data folder whose catalog the draft is matched against (default: data/)")
    p.add_argument("--write-utf8", metavar="FILE", help="also write the document as UTF-8 to FILE (for a GBK document)")
    p.add_argument("--force", action="store_true", help="replace an existing draft file")
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("review", help="review a draft: accept, edit or reject each entry")
    p.add_argument("file", help="the draft file written by zonemap extract")
    p.add_argument("--seeds-dir", help="folder of the plan documents, to check quotes (default: ../shared/seeds)")
    p.add_argument("--inline", action="store_true", help="edit fields inline even when $EDITOR is set")
    p.set_defaults(func=cmd_review)
    p = sub.add_parser("serve", help="serve the map and API on 127.0.0.1:$PORT")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int, help="worker processes (default: ZONEMAP_WORKERS, else one per core)")
    p.add_argument("--no-access-log", action="store_true", help="do not log every request")
    p.set_defaults(func=cmd_serve)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
