"""The ``zonemap`` command: load, check, serve; extract and review drafts of new plan documents;
import edits made in a GIS, revert them, list a feature's history."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from geo.errors import DataError, DataProblem, WriteError, excerpt
from webmap.settings import REPO_ROOT, get_settings


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


def cmd_synth(args) -> int:
    """Build a synthetic dataset (the real data plus N generated projects) into a database of its own."""
    import time

    from projects.store import write_dataset
    from projects.synth import synthesize

    if args.projects < 0:
        print("zonemap synth: --projects must be 0 or more", file=sys.stderr)
        return 2
    settings = get_settings()
    url = args.database_url or f"sqlite:///{REPO_ROOT / 'var' / f'synth-{args.projects}.sqlite'}"
    if url == settings.database_url:
        print(f"zonemap synth: {_safe_url(url)} is the service's own database (DATABASE_URL); "
              "give a database of its own with --database-url", file=sys.stderr)
        return 2
    try:
        ds, _, _ = _read(args)
    except DataError as exc:
        print(f"zonemap synth: nothing written. {exc}", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    ds = synthesize(ds, args.projects, seed=args.seed)
    t1 = time.perf_counter()
    try:
        counts = write_dataset(url, ds)
    except WriteError as exc:
        print(f"zonemap synth: nothing changed: {exc}", file=sys.stderr)
        return 1
    t2 = time.perf_counter()
    print(f"zonemap synth: {counts['projects']} projects ({args.projects} synthetic), {counts['mentions']} mentions, "
          f"{counts['project_zones']} project↔zone pairs → {_safe_url(url)} "
          f"(generated in {t1 - t0:.1f} s, written in {t2 - t1:.1f} s)")
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


def _edit_dirs(args):
    settings = get_settings()
    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir
    seeds = Path(args.seeds_dir) if args.seeds_dir else settings.seeds_dir
    return settings, data_dir, seeds


def _finish_edit(args, plan, name: str) -> int:
    """Print the diff; apply unless a dry run; load the database when asked."""
    from projects import edits
    from projects.store import write_dataset

    if plan.empty:
        print(f"zonemap {name}: " + edits.describe(plan.summary(), True))
        return 0
    if not args.dry_run:
        edits.apply(plan)
    print(edits.describe(plan.summary(), args.dry_run))
    if args.dry_run:
        print(f"zonemap {name}: dry run, nothing written; run again without --dry-run to apply")
        return 0
    print(f"zonemap {name}: change {plan.change['id']} written to data/ (data/changes/ holds the record)")
    if args.load:
        settings = get_settings()
        url = args.database_url or settings.database_url
        write_dataset(url, plan.dataset)
        print(f"zonemap {name}: database reloaded → {_safe_url(url)}")
    else:
        print(f"zonemap {name}: run `zonemap load` for the service to serve it")
    return 0


def cmd_import(args) -> int:
    """Bring features edited in a GIS back into data/: diff, validate, apply all or nothing, log."""
    from projects import edits

    settings, data_dir, seeds = _edit_dirs(args)
    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as exc:
        print(f"zonemap import: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        source = edits.read_source(content, path.name, args.layer, crs=args.crs, source_layer=args.source_layer)
        plan = edits.plan_import(data_dir, seeds, args.layer, source, author=args.author, note=args.note,
                                 via="zonemap import", accuracy_m=args.accuracy_m, confidence=args.confidence,
                                 db_url=args.database_url or settings.database_url)
        return _finish_edit(args, plan, "import")
    except edits.EditError as exc:
        print(f"zonemap import: nothing written. {exc}", file=sys.stderr)
        return 1
    except edits.EditConflict as exc:
        print(f"zonemap import: nothing written. {exc}", file=sys.stderr)
        return 1


def cmd_revert(args) -> int:
    """Undo one logged change (itself logged as a change)."""
    from projects import edits

    settings, data_dir, seeds = _edit_dirs(args)
    try:
        plan = edits.plan_revert(data_dir, seeds, args.change, author=args.author, note=args.note, via="zonemap revert",
                                 db_url=args.database_url or settings.database_url)
        return _finish_edit(args, plan, "revert")
    except edits.UnknownChange:
        print(f"zonemap revert: no change {args.change!r} in {data_dir / 'changes'}", file=sys.stderr)
        return 1
    except (edits.EditError, edits.EditConflict) as exc:
        print(f"zonemap revert: nothing written. {exc}", file=sys.stderr)
        return 1


def cmd_history(args) -> int:
    """A feature's changes, from the change log in data/changes/ (newest first)."""
    from projects import changelog

    _, data_dir, _ = _edit_dirs(args)
    problems = []
    changes = changelog.read_changes(data_dir, problems)
    for p in problems:
        print(f"zonemap history: {p}", file=sys.stderr)
    rows = [r for r in changelog.change_rows(changes) if args.feature in (None, r["feature_id"])]
    reverted = {(r["reverts"], r["feature_id"]): r["change_id"] for r in rows if r["reverts"]}
    for r in sorted(rows, key=lambda r: int(r["change_id"]), reverse=True):
        extra = f" (reverts {r['reverts']})" if r["reverts"] else ""
        extra += f" (reverted by {reverted[(r['change_id'], r['feature_id'])]})" if (r["change_id"], r["feature_id"]) in reverted else ""
        moved = f", moved {r['moved_m']:g} m" if r["moved_m"] is not None else ""
        print(f"{r['change_id']}  {r['time']}  {r['author']}  {r['layer']}/{r['feature_id']}  {r['action']}{moved}{extra}: {r['note']}")
    if not rows:
        print("no changes" + (f" of {args.feature}" if args.feature else ""))
    return 1 if problems else 0


def _safe_url(url: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(url).render_as_string(hide_password=True)


def _edit_options(p: argparse.ArgumentParser) -> None:
    """The options ``import`` and ``revert`` share: preview, reload, where the data and database are."""
    p.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    p.add_argument("--load", action="store_true", help="reload the database after applying")
    p.add_argument("--data-dir", help="data folder (default: the repository's data/)")
    p.add_argument("--seeds-dir", help="folder of the plan documents (default: ../shared/seeds)")
    p.add_argument("--database-url", help="overrides DATABASE_URL (for --load)")


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
    p = sub.add_parser("synth", help="build a synthetic dataset (real data + N projects) for benchmarks")
    p.add_argument("--projects", type=int, required=True, help="how many synthetic projects to add")
    p.add_argument("--database-url", help="where to write it (default: var/synth-N.sqlite; never DATABASE_URL)")
    p.add_argument("--seed", type=int, default=1, help="random seed (the same seed gives the same data)")
    p.add_argument("--data-dir", help="data folder (default: the repository's data/)")
    p.add_argument("--seeds-dir", help="folder of the plan documents (default: ../shared/seeds)")
    p.set_defaults(func=cmd_synth)
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
    p = sub.add_parser("import", help="bring features edited in a GIS (GeoJSON or GeoPackage) back into data/")
    p.add_argument("file", help="a GeoJSON or GeoPackage file (e.g. the GeoPackage export, edited in QGIS)")
    p.add_argument("--layer", required=True, choices=("zones", "corridors", "streets", "projects"), help="the layer the features belong to")
    p.add_argument("--note", required=True, help="why: the reason of the change (kept in the change log and the placement)")
    p.add_argument("--author", required=True, help="who made the change")
    p.add_argument("--crs", help="the file's coordinates when it does not say, or says WGS84 wrongly: 4490, 3857, 4549, 4550, "
                   "gcj02 (Amap, Tencent), bd09 (Baidu)")
    p.add_argument("--source-layer", help="the GeoPackage layer to read (default: the one named like --layer)")
    p.add_argument("--accuracy-m", type=float, help="the accuracy in metres of the features that move or are placed (default: "
                   "as given in the file, else kept; required for a newly placed project)")
    p.add_argument("--confidence", choices=("high", "medium", "low"), help="the confidence of the features that move or are "
                   "placed (default: as given in the file, else kept)")
    _edit_options(p)
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("revert", help="undo one logged change (the revert is logged too)")
    p.add_argument("change", help="the change id (the number in data/changes/NNNN-…json)")
    p.add_argument("--note", required=True, help="why it is reverted")
    p.add_argument("--author", required=True, help="who reverts it")
    _edit_options(p)
    p.set_defaults(func=cmd_revert)
    p = sub.add_parser("history", help="the logged changes of a feature (or all), newest first")
    p.add_argument("feature", nargs="?", help="a zone, street or project id")
    p.add_argument("--data-dir", help="data folder (default: the repository's data/)")
    p.add_argument("--seeds-dir", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_history)
    p = sub.add_parser("serve", help="serve the map and API on 127.0.0.1:$PORT")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int, help="worker processes (default: ZONEMAP_WORKERS, else one per core)")
    p.add_argument("--no-access-log", action="store_true", help="do not log every request")
    p.set_defaults(func=cmd_serve)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ModuleNotFoundError as exc:
        # An environment older than pyproject.toml (a dependency added since it was installed):
        # say what to do instead of a traceback.
        if os.environ.get("ZONEMAP_DEBUG"):
            raise
        print(f"zonemap {args.command}: the Python package {exc.name!r} is not installed in this environment "
              f"({sys.prefix}); pyproject.toml asks for it — run `make venv` (or pip install -e '.[test]') "
              "and try again (ZONEMAP_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
