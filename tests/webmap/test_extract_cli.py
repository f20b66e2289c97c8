"""zonemap extract + review + load, as a person runs them: bad input, the review in a terminal,
and a document the catalog has never seen taken all the way to the API (the hold-out test)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from fastapi.testclient import TestClient

from projects.dataset import normalise_text
from projects.extract.draft import write_atomic
from projects.extract.holdout import without_plan
from webmap.app import create_app
from webmap.cli import main as zonemap
from webmap.settings import Settings
from zmtest import DATA_DIR, MINI_SEEDS, run_zonemap, without_root_powers

ZONEMAP = [sys.executable, "-m", "webmap.cli"]
SMALL_DOC = """西岗区2017年重点项目推进计划
一、重点项目
甲地块改造项目竣工投入使用。黑咀子码头及周边地块改造项目开工建设。
二、重点区域
香炉礁物流园区进入成熟期，推进森林动物园表演场项目建设。
"""


def run(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*ZONEMAP, *map(str, args)], capture_output=True, text=True, timeout=300, **kw)


@pytest.fixture
def small(tmp_path, mini_copy):
    """A short new document beside the mini plan, and the mini data folder to extract it against."""
    seeds = tmp_path / "seeds"
    shutil.copytree(MINI_SEEDS, seeds)
    (seeds / "small-2017.txt").write_text(SMALL_DOC, encoding="utf-8")
    return seeds, mini_copy


# --- bad input: a clear message, nothing written -----------------------------------------------------

@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    ("今天天气很好。我们去公园散步，然后回家吃饭。\n".encode("utf-8"), "no project found"),
])
def test_bad_documents_are_refused_and_nothing_is_written(tmp_path, mini_copy, capsys, content, message):
    doc = tmp_path / "doc.txt"
    doc.write_bytes(content)
    out = tmp_path / "draft.yaml"
    assert zonemap(["extract", str(doc), "--plan", "new-plan", "--data-dir", str(mini_copy), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "nothing written" in err and message in err and str(doc) in err
    assert not out.exists() and not list(tmp_path.glob(".draft.yaml.*"))


def test_plan_ids_and_existing_drafts_are_checked(small, tmp_path, capsys):
    seeds, data = small
    doc = seeds / "small-2017.txt"
    assert zonemap(["extract", str(doc), "--plan", "Not A Slug", "--data-dir", str(data)]) == 1
    assert "ASCII slug" in capsys.readouterr().err
    assert zonemap(["extract", str(doc), "--plan", "mini-plan", "--data-dir", str(data)]) == 1
    assert "already has this plan" in capsys.readouterr().err
    out = tmp_path / "draft.yaml"
    out.write_text("# decisions\n", encoding="utf-8")
    assert zonemap(["extract", str(doc), "--plan", "small-2017", "--data-dir", str(data), "--out", str(out)]) == 1
    assert "exists" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "# decisions\n"
    # --force replaces a draft in the catalog folder whose plan entry was already accepted: the
    # draft being replaced is not the catalog (else its own plan would be "already there").
    args = ["extract", str(doc), "--plan", "small-2017", "--data-dir", str(data)]
    assert zonemap(args) == 0
    draft = data / "catalog" / "draft-small-2017.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("review: pending", "review: accepted", 1), encoding="utf-8")
    assert zonemap(args) == 1 and "exists" in capsys.readouterr().err
    assert zonemap([*args, "--force"]) == 0, capsys.readouterr().err
    assert "review: accepted" not in draft.read_text(encoding="utf-8")


def test_gbk_document_is_converted_with_a_note(small, tmp_path, capsys):
    seeds, data = small
    gbk = tmp_path / "small-gbk.txt"
    gbk.write_bytes(SMALL_DOC.encode("gbk"))
    utf8 = seeds / "small-gbk-utf8.txt"
    out = tmp_path / "draft.yaml"
    assert zonemap(["extract", str(gbk), "--plan", "small-gbk", "--data-dir", str(data), "--out", str(out),
                    "--write-utf8", str(utf8)]) == 0
    err = capsys.readouterr().err
    assert "GBK" in err and "UTF-8" in err
    assert utf8.read_text(encoding="utf-8") == SMALL_DOC
    draft = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert draft["plans"][0]["source_file"] == "small-gbk-utf8.txt"
    assert any(p["name_zh"].startswith("黑咀子码头") for p in draft["projects"])


def test_a_gbk_document_left_unconverted_is_named_by_the_loader(small, tmp_path):
    seeds, data = small
    (seeds / "small-gbk.txt").write_bytes(SMALL_DOC.encode("gbk"))
    assert run("extract", seeds / "small-gbk.txt", "--plan", "small-gbk", "--data-dir", data).returncode == 0
    draft = data / "catalog" / "draft-small-gbk.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("review: pending", "review: accepted"), encoding="utf-8")
    r = run("load", "--data-dir", data, "--seeds-dir", seeds, "--database-url", f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "catalog/draft-small-gbk.yaml: small-gbk: field 'source_file': small-gbk.txt is not UTF-8 text" in r.stderr


def test_missing_document_and_outputs_that_cannot_be_written(small, tmp_path, capsys):
    seeds, data = small
    doc = seeds / "small-2017.txt"

    def extract(document, out):
        code = zonemap(["extract", str(document), "--plan", "small-2017", "--data-dir", str(data), "--out", str(out)])
        return code, capsys.readouterr().err

    code, err = extract(tmp_path / "missing.txt", tmp_path / "d.yaml")
    assert code == 1 and "missing.txt: no such file" in err
    code, err = extract(doc, tmp_path)  # a folder, not a file
    assert code == 1 and "is a folder" in err
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    code, err = extract(doc, tmp_path / "plain" / "d.yaml")  # inside a file
    assert code == 1 and "is not a folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "plain", "seeds"]  # the fixture's and ours
    assert not list((data / "catalog").glob("draft-*"))


def test_an_unwritable_folder_is_named_before_any_work(small, tmp_path):
    seeds, data = small
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        # In its own process, without root's power over permissions when the tests run as root.
        r = run_zonemap("extract", str(seeds / "small-2017.txt"), "--plan", "small-2017", "--data-dir", str(data),
                        "--out", str(locked / "d.yaml"), preexec_fn=without_root_powers)
        assert r.returncode == 1 and "not writable" in r.stderr and not list(locked.iterdir()), r.stdout + r.stderr
    finally:
        locked.chmod(0o755)


def test_drafts_get_ordinary_permissions_and_keep_a_files_own(small, tmp_path):
    seeds, data = small
    out = tmp_path / "d.yaml"
    args = ["extract", str(seeds / "small-2017.txt"), "--plan", "small-2017", "--data-dir", str(data), "--out", str(out)]
    umask = os.umask(0o022)
    try:
        assert zonemap(args) == 0
        assert out.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
        out.chmod(0o640)
        assert zonemap([*args, "--force"]) == 0
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(umask)


def test_an_interrupted_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "draft.yaml"
    path.write_text("review: kept\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(path, "review: accepted\n\ud800")  # cannot be encoded: fails mid-write
    assert path.read_text(encoding="utf-8") == "review: kept\n"
    assert [p.name for p in tmp_path.iterdir()] == ["draft.yaml"]


# --- the draft, the review, the load -----------------------------------------------------------------

def test_draft_matches_the_catalog_and_waits_for_review(small, databases):
    seeds, data = small
    r = run("extract", seeds / "small-2017.txt", "--plan", "small-2017", "--data-dir", data)
    assert r.returncode == 0, r.stderr
    draft_path = data / "catalog" / "draft-small-2017.yaml"
    draft = yaml.safe_load(draft_path.read_text(encoding="utf-8"))
    # 甲地块改造项目 is the catalog's plot-a: a new mention of it, not a new project.
    [mention] = [m for m in draft["mentions"] if m["project"] == "plot-a"]
    assert mention["match"]["by"] == "name" and mention["status_words"] == "竣工投入使用"
    # The plan's only part is its task list: its sentences are targets (projects.status.classify),
    # so 竣工投入使用 aims at completed and attests planned.
    assert draft["plans"][0]["parts"] == [{"section": "一、重点项目", "part": "plan", "year": 2017},
                                          {"section": "二、重点区域", "part": "plan", "year": 2017}]
    assert (mention["proposed"]["statement"], mention["proposed"]["status"], mention["proposed"]["target_status"]) == (
        "target", "planned", "completed")
    assert mention["review"] == "pending" and mention["quote"] in SMALL_DOC
    new = {p["name_zh"]: p for p in draft["projects"]}
    assert new["黑咀子码头及周边地块改造项目"]["kind"] == "plot_redevelopment"
    assert new["黑咀子码头及周边地块改造项目"]["mentions"][0]["status_words"] == "开工建设"
    assert all(e["review"] == "pending" and 0 < e["confidence"] <= 1 for e in [*draft["projects"], *draft["mentions"]])
    # The loader refuses the whole folder while anything is pending, naming file, entry and field.
    url = databases.new_url()
    r = run("load", "--data-dir", data, "--seeds-dir", seeds, "--database-url", url)
    assert r.returncode == 1 and "nothing written" in r.stderr
    assert "catalog/draft-small-2017.yaml: mention of plot-a: field 'review': draft entry not reviewed yet" in r.stderr


def test_review_with_piped_answers_keeps_each_decision(small):
    seeds, data = small
    assert run("extract", seeds / "small-2017.txt", "--plan", "small-2017", "--data-dir", data).returncode == 0
    path = data / "catalog" / "draft-small-2017.yaml"
    n = len(re.findall(r"^\s*review: pending", path.read_text(encoding="utf-8"), re.M))
    # plan: edit inline then accept; next: reject; next: skip; then quit.
    answers = "e\ntitle_en=Xigang 2017 Key Projects\n\na\nr\ns\nq\n"
    r = run("review", path, "--seeds-dir", seeds, "--inline", input=answers, env={**os.environ, "EDITOR": ""})
    assert r.returncode == 3, r.stderr  # entries still pending
    assert f"[1/{n}]" in r.stdout and f"[2/{n}]" in r.stdout and f"[3/{n}]" in r.stdout
    assert f"1 accepted, 1 rejected, {n - 2} pending" in r.stdout
    draft = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert draft["plans"][0]["review"] == "accepted" and draft["plans"][0]["title_en"] == "Xigang 2017 Key Projects"
    assert path.read_text(encoding="utf-8").startswith("# Draft catalog entries")


def test_review_merges_a_new_project_into_a_catalog_project(small):
    """A new project the reviewer knows is in the catalog: its mentions become that project's."""
    from projects.extract.review import Review

    seeds, data = small
    assert run("extract", seeds / "small-2017.txt", "--plan", "small-2017", "--data-dir", data).returncode == 0
    path = data / "catalog" / "draft-small-2017.yaml"
    screens: list[str] = []
    ids = iter(["no-such-project", "park-c"])  # a wrong id first: refused, asked again

    def ask(prompt: str) -> str:
        if prompt.startswith("catalog project id"):
            return next(ids)
        screen = screens[-1]
        if "new project" in screen and "黑咀子码头" in screen and "[m]erge" in prompt:
            return "m"
        return "q" if "mention of catalog project park-c" in screen else "s"

    Review(path, seeds, ask=ask, say=screens.append).run()
    out = "\n".join(screens)
    assert "no project 'no-such-project' in the catalog beside this draft" in out
    assert "merged: 1 mention(s) of park-c added for review" in out
    assert "merged by the reviewer from the new project '黑咀子码头及周边地块改造项目'" in out  # reviewed in the same session
    draft = yaml.safe_load(path.read_text(encoding="utf-8"))
    [project] = [p for p in draft["projects"] if p["name_zh"] == "黑咀子码头及周边地块改造项目"]
    assert project["review"] == "rejected" and project["proposed"]["merged_into"] == "park-c"
    [mention] = [m for m in draft["mentions"] if m["project"] == "park-c"]
    assert mention["review"] == "pending" and mention["status_words"] == "开工建设" and mention["quote"] in SMALL_DOC


def test_review_edits_in_the_editor_and_refuses_a_bad_quote(small, tmp_path):
    seeds, data = small
    assert run("extract", seeds / "small-2017.txt", "--plan", "small-2017", "--data-dir", data).returncode == 0
    path = data / "catalog" / "draft-small-2017.yaml"
    editor = tmp_path / "editor.py"
    # An "editor" that breaks the first quote it sees: accepting must then fail.
    editor.write_text("import re, sys\np = sys.argv[1]\ns = open(p, encoding='utf-8').read()\n"
                      "s = re.sub(r'quote: .*', 'quote: 不在文中的引文', s, count=1)\nopen(p, 'w', encoding='utf-8').write(s)\n",
                      encoding="utf-8")
    answers = "s\n" + "s\n" * 2 + "e\na\nr\nq\n"  # skip plan and two more, edit the next, try to accept, reject
    r = run("review", path, "--seeds-dir", seeds, input=answers, env={**os.environ, "EDITOR": f"{sys.executable} {editor}"})
    assert "cannot accept" in r.stdout and "not a verbatim quote" in r.stdout
    assert "1 rejected" in r.stdout


def test_held_out_document_reaches_the_api(tmp_path, seeds, databases):
    """The done-when test: a document the catalog has not seen goes extract → review → load → API and map."""
    plan = "xigang-work-report-2016"
    data = tmp_path / "data"
    without_plan(DATA_DIR, data, plan, seeds)
    document = seeds / "002_fc2554f0bbfd893b.txt"
    # Held out: nothing in the catalog names the plan, and no project keeps a name only it writes.
    catalog_text = "".join(f.read_text(encoding="utf-8") for f in (data / "catalog").glob("*.yaml"))
    assert plan not in catalog_text and "002_fc2554f0bbfd893b" not in catalog_text
    held = normalise_text(document.read_text(encoding="utf-8"))
    others = "".join(normalise_text(f.read_text(encoding="utf-8")) for f in seeds.glob("00[0134]_*.txt"))
    for f in (data / "catalog").glob("*.yaml"):
        for p in yaml.safe_load(f.read_text(encoding="utf-8")).get("projects") or []:
            for name in [p["name_zh"], *(p.get("aliases") or [])]:
                assert not (normalise_text(name) in held and normalise_text(name) not in others), (p["id"], name)
    r = run("extract", document, "--plan", plan, "--data-dir", data)
    assert r.returncode == 0, r.stderr
    path = data / "catalog" / f"draft-{plan}.yaml"

    # A real terminal: accept everything the checks allow, reject the first new project, give the
    # second an English name (inline edit), then accept it.
    child = pexpect.spawn(ZONEMAP[0], [*ZONEMAP[1:], "review", str(path), "--seeds-dir", str(seeds), "--inline"],
                          encoding="utf-8", timeout=60, env={**os.environ, "EDITOR": ""})
    rejected, edited, seen, total, failed = None, None, set(), 0, False
    while True:
        i = child.expect([r"\[(\d+)/(\d+)\] ([^\r\n]*)", r"cannot accept", pexpect.EOF])
        if i == 2:
            break
        if i == 1:
            failed = True
            continue
        n, total, header = int(child.match.group(1)), int(child.match.group(2)), child.match.group(3)
        seen.add(n)
        child.expect(r"\[\?\] > ")
        screen = child.before
        if failed or (rejected is None and header.startswith("new project")):
            rejected = rejected or header.split()[2]
            failed = False
            child.sendline("r")
        elif edited is None and header.startswith("new project"):
            assert "sentence: " in screen and "why: " in screen and "confidence" in header
            edited = header.split()[2]
            child.sendline("e")
            child.expect("edit> ")
            child.sendline("name_en=Reviewed Name")
            child.expect("edit> ")
            child.sendline("")
            child.expect(rf"\[{n}/{total}\] ")  # the entry again, as edited
            child.expect(r"\[\?\] > ")
            assert "English Reviewed Name" in child.before
            child.sendline("a")
        else:
            child.sendline("a")
    child.close()
    assert seen == set(range(1, total + 1)) and rejected and edited
    draft = yaml.safe_load(path.read_text(encoding="utf-8"))
    states = [e["review"] for section in ("plans", "layouts", "streets", "projects", "mentions") for e in draft.get(section) or []]
    assert "pending" not in states and states.count("accepted") > 50

    url = databases.new_url()
    r = run("load", "--data-dir", data, "--seeds-dir", seeds, "--database-url", url)
    assert r.returncode == 0, r.stderr
    with TestClient(create_app(Settings(database_url=url)), raise_server_exceptions=False) as client:
        served = client.get("/api/projects", params={"plan": plan})
        assert served.status_code == 200
        ids = {f["properties"]["id"] for f in served.json()["features"]}
        assert client.get(f"/api/projects/{edited}").json()["properties"]["name_en"] == "Reviewed Name"
        feed = client.get("/map/projects.json").json()  # what the map draws
    accepted_new = {p["id"] for p in draft["projects"] if p["review"] == "accepted"}
    accepted_catalog = {m["project"] for m in draft["mentions"] if m["review"] == "accepted"}
    assert accepted_new <= ids and accepted_catalog <= ids
    assert ids == accepted_new | accepted_catalog  # nothing else claims this plan, nothing unreviewed
    assert rejected not in ids
    assert "heizuizi-wharf-redevelopment" in ids  # a catalog project, matched by name from another document
    col, code = feed["fields"].index("plans"), feed["codes"]["plan"].index(plan)
    on_map = {row[0] for row in feed["projects"] if code in row[col]}
    assert on_map == ids


@pytest.fixture(autouse=True)
def _no_editor(monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)


def test_help_lists_the_commands():
    r = run("--help")
    assert "extract" in r.stdout and "review" in r.stdout
    assert Path(ZONEMAP[0]).exists()
