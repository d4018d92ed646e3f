"""The pack loader: a good pack loads into the model; every kind of defect is reported, at its
file:field, all at once."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

import pytest

from app.content.loader import PackError, Problem, load_pack, validate_pack
from packbuilder import MINIMAL_MEDIA, pack_files, write_pack, write_text

EX = "exhibits/gutian-meeting.yaml"
ROUTE = "routes/gutian-walk.yaml"
QUIZ = "quizzes/basics.yaml"


def problems_for(tmp_path: Path, change: Callable[[dict[str, Any]], None] | None = None,
                 after: Callable[[Path], None] | None = None) -> list[Problem]:
    files = pack_files()
    if change:
        change(files)
    root = write_pack(tmp_path / "pack", files)
    if after:
        after(root)
    return validate_pack(root)


def assert_problem(problems: list[Problem], file: str, field: str, text: str) -> None:
    hits = [p for p in problems if p.file == file and p.field == field and text in p.message]
    assert hits, f"no {file}:{field}: …{text}… in:\n" + "\n".join(map(str, problems))


# -- the good pack --------------------------------------------------------------------------

def test_minimal_pack_loads_into_the_model(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "pack"))
    assert pack.root == (tmp_path / "pack").resolve()
    assert pack.info.id == "test-pack" and pack.info.version == "1.0.0"
    assert pack.info.languages == ("zh", "en") and pack.info.default_language == "zh"
    assert pack.info.publisher == {"zh": "测试出版方"}  # plain string → default language
    assert pack.info.tags == {"gutian": {"zh": "古田会议", "en": "Gutian Meeting"}}
    assert pack.info.map == "map.png" and pack.media_path("map.png").is_file()
    assert [h.id for h in pack.halls] == ["fujian", "longyan", "shanghang"]
    assert pack.hall("fujian").parent is None and pack.hall("shanghang").parent == "longyan"
    assert pack.hall("longyan").map_pos == (0.3, 0.6)
    ex = pack.exhibit("gutian-meeting")
    assert ex.hall == "shanghang" and ex.title["en"] == "The Gutian Meeting"
    assert ex.period == {"zh": "1929"} and ex.tags == ("gutian",)
    assert ex.media[0].file == "photos/gutian.png" and ex.media[0].kind == "image"
    assert ex.media[0].caption["en"] == "The meeting site"
    assert ex.narration == {"zh": "audio/gutian-zh.wav"}
    assert isinstance(ex.media, tuple) and isinstance(pack.exhibits, tuple)
    route = pack.routes[0]
    assert route.duration_min == 90 and route.stops[0].exhibit == "gutian-meeting"
    assert route.stops[1].site.name == {"zh": "古田会议旧址"}
    assert route.stops[1].site.map_pos == (0.26, 0.71)
    quiz = pack.quizzes[0]
    assert quiz.time_limit_s == 60 and quiz.pick == 2 and quiz.hall == "fujian"
    single, multi, tf = quiz.questions
    assert single.answer == (1,) and len(single.options) == 3 and single.exhibit == "gutian-meeting"
    assert multi.answer == (0, 1)
    assert tf.options == ({"zh": "正确", "en": "True"}, {"zh": "错误", "en": "False"})
    assert tf.answer == (0,)
    assert validate_pack(tmp_path / "pack") == []


def test_false_answer_optional_fields_and_halls_wrapper(tmp_path: Path) -> None:
    def change(f: dict) -> None:
        f["halls.yaml"] = {"halls": f["halls.yaml"]}  # a `halls:` key is accepted too
        q = f[QUIZ]
        q["questions"][2]["answer"] = False
        del q["time_limit_s"], q["pick"], q["hall"]

    files = pack_files()
    change(files)
    pack = load_pack(write_pack(tmp_path / "p", files))
    quiz = pack.quizzes[0]
    assert quiz.questions[2].answer == (1,)
    assert quiz.time_limit_s == 120 and quiz.pick is None and quiz.hall is None
    assert len(pack.halls) == 3


def test_optional_folders_may_be_absent(tmp_path: Path) -> None:
    files = {k: v for k, v in pack_files().items() if not k.startswith(("routes/", "quizzes/"))}
    pack = load_pack(write_pack(tmp_path / "p", files))
    assert pack.routes == () and pack.quizzes == ()


def test_pack_root_given_through_a_link_is_fine(tmp_path: Path) -> None:
    real = write_pack(tmp_path / "fujian-1.0.0")
    (tmp_path / "current").symlink_to(real, target_is_directory=True)
    assert load_pack(tmp_path / "current").info.id == "test-pack"


# -- one broken thing at a time -------------------------------------------------------------

def _set(path: str, *keys: Any, value: Any) -> Callable[[dict], None]:
    def change(f: dict) -> None:
        target = f[path]
        for k in keys[:-1]:
            target = target[k]
        target[keys[-1]] = value
    return change


def _delete(path: str, *keys: Any) -> Callable[[dict], None]:
    def change(f: dict) -> None:
        target = f[path]
        for k in keys[:-1]:
            target = target[k]
        del target[keys[-1]]
    return change


CASES = [
    # unknown references
    ("exhibit hall", _set(EX, "hall", value="nowhere"), EX, "hall", "unknown hall 'nowhere'"),
    ("hall parent", _set("halls.yaml", 2, "parent", value="longyna"),
     "halls.yaml", "halls[2].parent", "unknown hall 'longyna' (did you mean 'longyan'?)"),
    ("route hall", _set(ROUTE, "hall", value="xx"), ROUTE, "hall", "unknown hall 'xx'"),
    ("route exhibit", _set(ROUTE, "stops", 0, "exhibit", value="gone"),
     ROUTE, "stops[0].exhibit", "unknown exhibit 'gone'"),
    ("question exhibit", _set(QUIZ, "questions", 0, "exhibit", value="gone"),
     QUIZ, "questions[0].exhibit", "unknown exhibit 'gone'"),
    ("quiz hall", _set(QUIZ, "hall", value="gone"), QUIZ, "hall", "unknown hall 'gone'"),
    # missing media
    ("media file", _set(EX, "media", 0, "file", value="photos/none.png"),
     EX, "media[0].file", "missing media file: media/photos/none.png"),
    ("narration file", _set(EX, "narration", value={"zh": "audio/none.wav"}),
     EX, "narration.zh", "missing media file"),
    ("pack map", _set("pack.yaml", "map", value="none.png"), "pack.yaml", "map", "missing media"),
    ("media/ prefix", _set(EX, "media", 0, "file", value="media/photos/gutian.png"),
     EX, "media[0].file", "write 'photos/gutian.png'"),
    ("letter case", _set(EX, "media", 0, "file", value="photos/Gutian.PNG"),
     EX, "media[0].file", "case-sensitive"),
    ("kind mismatch", _set(EX, "media", 0, "kind", value="video"),
     EX, "media[0].file", "looks like an image, not video"),
    ("sound as image", lambda f: f[EX]["media"].append({"file": "audio/gutian-zh.wav",
                                                         "kind": "image"}),
     EX, "media[1].file", "looks like audio or video, not image"),
    # duplicate ids
    ("hall id", _set("halls.yaml", 2, "id", value="longyan"),
     "halls.yaml", "halls[2].id", "duplicate hall id 'longyan'"),
    ("exhibit id", _set("exhibits/changting.yaml", "id", value="gutian-meeting"),
     EX, "id", "duplicate exhibit id 'gutian-meeting' (first defined at exhibits/changting.yaml:id)"),
    ("route id", lambda f: f.__setitem__("routes/z-copy.yaml", dict(f[ROUTE])),
     "routes/z-copy.yaml", "id", f"duplicate route id 'gutian-walk' (first defined at {ROUTE}:id)"),
    ("quiz id", lambda f: f.__setitem__("quizzes/z-copy.yaml", dict(f[QUIZ])),
     "quizzes/z-copy.yaml", "id", "duplicate quiz id 'basics'"),
    ("question id", _set(QUIZ, "questions", 1, "id", value="q1"),
     QUIZ, "questions[1].id", "duplicate question id 'q1'"),
    # answers
    ("single out of range", _set(QUIZ, "questions", 0, "answer", value=3),
     QUIZ, "questions[0].answer", "answer index 3 is out of range: the options are numbered 0 to 2"),
    ("negative index", _set(QUIZ, "questions", 0, "answer", value=-1),
     QUIZ, "questions[0].answer", "out of range"),
    ("multi out of range", _set(QUIZ, "questions", 1, "answer", value=[0, 5]),
     QUIZ, "questions[1].answer", "answer index 5 is out of range"),
    ("single with two answers", _set(QUIZ, "questions", 0, "answer", value=[0, 1]),
     QUIZ, "questions[0].answer", "exactly one answer, got 2"),
    ("multi with one answer", _set(QUIZ, "questions", 1, "answer", value=[0]),
     QUIZ, "questions[1].answer", "at least 2 right options, got 1"),
    ("multi with an int", _set(QUIZ, "questions", 1, "answer", value=1),
     QUIZ, "questions[1].answer", "expected a list of 0-based option indices"),
    ("multi repeated", _set(QUIZ, "questions", 1, "answer", value=[1, 1]),
     QUIZ, "questions[1].answer", "listed twice"),
    ("truefalse with a number", _set(QUIZ, "questions", 2, "answer", value=1),
     QUIZ, "questions[2].answer", "expected true or false"),
    ("truefalse with options", _set(QUIZ, "questions", 2, "options", value=["对", "错"]),
     QUIZ, "questions[2].options", "takes no options"),
    ("single without options", _delete(QUIZ, "questions", 0, "options"),
     QUIZ, "questions[0].options", "missing required field"),
    ("one option", _set(QUIZ, "questions", 0, "options", value=["只有一个"]),
     QUIZ, "questions[0].options", "at least 2 options"),
    ("answer is text", _set(QUIZ, "questions", 0, "answer", value="B"),
     QUIZ, "questions[0].answer", "expected the 0-based index"),
    ("bad question type", _set(QUIZ, "questions", 0, "type", value="singel"),
     QUIZ, "questions[0].type", "(did you mean 'single'?)"),
    # paths that leave the pack
    ("dot-dot", _set(EX, "media", 0, "file", value="../pack.yaml"),
     EX, "media[0].file", "'..' would leave"),
    ("nested dot-dot", _set(EX, "media", 0, "file", value="photos/../../halls.yaml"),
     EX, "media[0].file", "'..' would leave"),
    ("absolute", _set(EX, "media", 0, "file", value="/etc/hostname"),
     EX, "media[0].file", "absolute paths are not allowed"),
    ("drive letter", _set(EX, "media", 0, "file", value="C:/photos/gutian.png"),
     EX, "media[0].file", "drive letters are not allowed"),
    ("backslash", _set(EX, "media", 0, "file", value="photos\\gutian.png"),
     EX, "media[0].file", "backslashes are not allowed"),
    ("map escapes", _set("pack.yaml", "map", value="../../map.png"), "pack.yaml", "map", "'..'"),
    ("narration escapes", _set(EX, "narration", value={"zh": "/tmp/a.wav"}),
     EX, "narration.zh", "absolute"),
    # wrong types
    ("duration text", _set(ROUTE, "duration_min", value="ninety"),
     ROUTE, "duration_min", "expected a whole number, got text 'ninety'"),
    ("duration zero", _set(ROUTE, "duration_min", value=0), ROUTE, "duration_min", "less than 1"),
    ("title list", _set(EX, "title", value=["a", "b"]),
     EX, "title", "expected text or a mapping {language: text}, got a list"),
    ("tags text", _set(EX, "tags", value="gutian"), EX, "tags", "expected a list"),
    ("media not list", _set(EX, "media", value={"file": "a.png"}), EX, "media", "expected a list"),
    ("map_pos range", _set("halls.yaml", 1, "map_pos", value=[1.5, 0.2]),
     "halls.yaml", "halls[1].map_pos", "outside the map"),
    ("map_pos shape", _set("halls.yaml", 1, "map_pos", value=[0.5]),
     "halls.yaml", "halls[1].map_pos", "expected [x, y]"),
    ("halls mapping", lambda f: f.__setitem__("halls.yaml", {"fujian": {}}),
     "halls.yaml", "halls", "expected a list of halls, got a mapping"),
    ("exhibit is a list", lambda f: f.__setitem__(EX, [1, 2]),
     EX, "", "expected one exhibit"),
    ("hall level", _set("halls.yaml", 1, "level", value="town"),
     "halls.yaml", "halls[1].level", "expected one of province | city | county"),
    ("schema text", _set("pack.yaml", "schema", value="one"), "pack.yaml", "schema", "whole number"),
    ("time limit", _set(QUIZ, "time_limit_s", value=1.5), QUIZ, "time_limit_s", "whole number"),
    ("boolean text", _set(EX, "summary", value=True), EX, "summary", "expected text"),
    ("empty text", _set(EX, "summary", value=" "), EX, "summary", "must not be empty"),
    ("bad id", _set(EX, "id", value="古田 会议"), EX, "id", "not a valid id"),
    # missing required / unknown fields
    ("missing summary", _delete(EX, "summary"), EX, "summary", "missing required field"),
    ("missing hall name", _delete("halls.yaml", 1, "name"),
     "halls.yaml", "halls[1].name", "missing required field"),
    ("missing route stops", _delete(ROUTE, "stops"), ROUTE, "stops", "missing required field"),
    ("missing pack id", _delete("pack.yaml", "id"), "pack.yaml", "id", "missing required field"),
    ("missing site intro", _delete(ROUTE, "stops", 1, "site", "intro"),
     ROUTE, "stops[1].site.intro", "missing required field"),
    ("typo", lambda f: f[EX].__setitem__("titel", "x"), EX, "titel",
     "unknown field (did you mean 'title'?)"),
    ("typo in media", lambda f: f[EX]["media"][0].__setitem__("caption_en", "x"),
     EX, "media[0].caption_en", "unknown field"),
    ("typo in question", lambda f: f[QUIZ]["questions"][0].__setitem__("answers", 1),
     QUIZ, "questions[0].answers", "did you mean 'answer'"),
    ("typo in pack", lambda f: f["pack.yaml"].__setitem__("languange", ["zh"]),
     "pack.yaml", "languange", "unknown field"),
    # languages
    ("text language", _set(EX, "title", value={"zh": "古田", "fr": "Gutian"}),
     EX, "title.fr", "language 'fr' is not in the pack's languages (zh, en)"),
    ("narration language", _set(EX, "narration", value={"ja": "audio/gutian-zh.wav"}),
     EX, "narration.ja", "language 'ja'"),
    ("option language", _set(QUIZ, "questions", 0, "options", 1, value={"de": "1929"}),
     QUIZ, "questions[0].options[1].de", "language 'de'"),
    ("bad language code", _set("pack.yaml", "languages", value=["zh", "English"]),
     "pack.yaml", "languages[1]", "not a language code"),
    ("language twice", _set("pack.yaml", "languages", value=["zh", "zh"]),
     "pack.yaml", "languages[1]", "listed twice"),
    # pack.yaml values
    ("pack id", _set("pack.yaml", "id", value="Test_Pack"), "pack.yaml", "id", "not a valid pack id"),
    ("version", _set("pack.yaml", "version", value="1.0"), "pack.yaml", "version", "not a semver"),
    ("version number", _set("pack.yaml", "version", value=1.0), "pack.yaml", "version", "semver"),
    # hall tree
    ("cycle", lambda f: (f["halls.yaml"][1].__setitem__("parent", "shanghang")),
     "halls.yaml", "halls[1].parent", "parent chain loops: longyan → shanghang → longyan"),
    ("self parent", _set("halls.yaml", 1, "parent", value="longyan"),
     "halls.yaml", "halls[1].parent", "parent chain loops: longyan → longyan"),
    ("two provinces", _set("halls.yaml", 1, "level", value="province"),
     "halls.yaml", "halls[1].level", "a second province hall (the first is 'fujian')"),
    ("province with parent", _set("halls.yaml", 0, "parent", value="longyan"),
     "halls.yaml", "halls[0].parent", "the province hall has no parent"),
    ("no province", _set("halls.yaml", 0, "level", value="city"),
     "halls.yaml", "halls", "no province hall"),
    ("city without parent", _delete("halls.yaml", 1, "parent"),
     "halls.yaml", "halls[1].parent", "a city hall needs a parent"),
    ("no halls", lambda f: f.__setitem__("halls.yaml", []), "halls.yaml", "halls", "no halls"),
    # quizzes and routes
    ("empty quiz", _set(QUIZ, "questions", value=[]), QUIZ, "questions", "empty quiz"),
    ("pick zero", _set(QUIZ, "pick", value=0), QUIZ, "pick", "0 is less than 1"),
    ("empty route", _set(ROUTE, "stops", value=[]), ROUTE, "stops", "must not be empty"),
    ("stop with both", _set(ROUTE, "stops", 0, "site", value={"name": "a", "intro": "b"}),
     ROUTE, "stops[0]", "a stop is either"),
    ("stop with neither", _set(ROUTE, "stops", 0, value={}), ROUTE, "stops[0]", "a stop is either"),
    # missing files
    ("no pack.yaml", lambda f: f.pop("pack.yaml"), "pack.yaml", "", "file is missing"),
    ("no halls.yaml", lambda f: f.pop("halls.yaml"), "halls.yaml", "", "file is missing"),
]


@pytest.mark.parametrize("change,file,field,text", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_defect_is_reported_at_its_field(tmp_path: Path, change, file, field, text) -> None:
    assert_problem(problems_for(tmp_path, change), file, field, text)


def test_multi_answer_indices_come_back_sorted(tmp_path: Path) -> None:
    files = pack_files()
    files[QUIZ]["questions"][1]["answer"] = [2, 0]
    assert load_pack(write_pack(tmp_path / "p", files)).quizzes[0].questions[1].answer == (0, 2)


# -- YAML files themselves ------------------------------------------------------------------

def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    def after(root: Path) -> None:
        write_text(root, "exhibits/broken.yaml", "id: broken\nhall: fujian\ntitle: [unclosed\n"
                                                  "summary: x\n")
    problems = problems_for(tmp_path, after=after)
    hits = [p for p in problems if p.file == "exhibits/broken.yaml"]
    assert len(hits) == 1 and hits[0].field.startswith("line ")
    assert "invalid YAML" in hits[0].message
    assert int(hits[0].field.split()[1]) in (3, 4, 5)


def test_duplicate_yaml_key_is_refused_with_its_line(tmp_path: Path) -> None:
    def after(root: Path) -> None:
        text = (root / EX).read_text(encoding="utf-8")
        (root / EX).write_text(text + "hall: fujian\n", encoding="utf-8")
    problems = problems_for(tmp_path, after=after)
    assert_problem(problems, EX, f"line {len((tmp_path / 'pack' / EX).read_text().splitlines())}",
                   "key 'hall' is written twice")


def test_empty_file_and_oversized_file(tmp_path: Path) -> None:
    def after(root: Path) -> None:
        write_text(root, "routes/empty.yaml", "# nothing yet\n")
        write_text(root, "exhibits/huge.yaml", "id: huge\nbody: " + "很" * (2 * 1024 * 1024) + "\n")
    problems = problems_for(tmp_path, after=after)
    assert_problem(problems, "routes/empty.yaml", "", "the file is empty")
    assert_problem(problems, "exhibits/huge.yaml", "", "larger than 4 MB")


def test_newer_schema_is_refused_naming_both_numbers_and_nothing_else(tmp_path: Path) -> None:
    def change(f: dict) -> None:
        f["pack.yaml"]["schema"] = 2
        f["pack.yaml"]["hologram"] = "new in schema 2"
        f[EX]["hall"] = "nowhere"
    problems = problems_for(tmp_path, change)
    assert [str(p) for p in problems] == [
        "pack.yaml:schema: schema 2 is newer than this kiosk supports (1); update the kiosk software"
    ]


# -- links and special files ----------------------------------------------------------------

@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlinks_anywhere_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(MINIMAL_MEDIA["map.png"])

    def after(root: Path) -> None:
        (root / "media" / "evil.png").symlink_to(outside)  # file link out of the pack
        (root / "media" / "photos2").symlink_to(root / "media" / "photos")  # dir link inside
        (root / "exhibits" / "alias.yaml").symlink_to(root / EX)  # YAML link inside
        (root / "media" / "dangling.png").symlink_to(root / "nope")

    files = pack_files()
    files[EX]["media"].append({"file": "evil.png", "kind": "image"})
    files[EX]["media"].append({"file": "photos2/gutian.png", "kind": "image"})
    root = write_pack(tmp_path / "pack", files)
    after(root)
    problems = validate_pack(root)
    for link in ("media/evil.png", "media/photos2", "exhibits/alias.yaml", "media/dangling.png"):
        assert_problem(problems, link, "", "is a symbolic link")
    # the links are not followed: what they point at is missing from the pack
    assert_problem(problems, EX, "media[1].file", "missing media file: media/evil.png")
    assert_problem(problems, EX, "media[2].file", "missing media file: media/photos2/gutian.png")
    # the linked YAML was not read, so there is no duplicate id
    assert not [p for p in problems if "duplicate" in p.message]


def test_a_fifo_and_hidden_files_are_not_read(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack")
    os.mkfifo(root / "exhibits" / "pipe.yaml")  # reading it would block forever
    (root / "exhibits" / "._gutian-meeting.yaml").write_bytes(b"\x00\x05\x16\x07 macOS junk")
    assert validate_pack(root) == []


# -- many problems at once ------------------------------------------------------------------

def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    def change(f: dict) -> None:
        f["pack.yaml"]["version"] = "one"
        f["halls.yaml"][2]["parent"] = "nowhere"
        f[EX]["media"][0]["file"] = "../escape.png"
        f[EX]["titel"] = "typo"
        f["exhibits/changting.yaml"]["id"] = "gutian-meeting"
        f[ROUTE]["stops"][0]["exhibit"] = "gone"
        f[QUIZ]["questions"][0]["answer"] = 7
        f[QUIZ]["pick"] = 0

    def after(root: Path) -> None:
        write_text(root, "quizzes/broken.yaml", "id: x\n  title: y\n")
        (root / "media" / "map.png").unlink()

    files = pack_files()
    change(files)
    root = write_pack(tmp_path / "pack", files)
    after(root)
    with pytest.raises(PackError) as info:
        load_pack(root)
    lines = str(info.value).splitlines()
    expected = [
        "pack.yaml:version:", "pack.yaml:map: missing media file", "halls.yaml:halls[2].parent:",
        f"{EX}:media[0].file:", f"{EX}:titel:", f"{EX}:id: duplicate exhibit id",
        f"{ROUTE}:stops[0].exhibit:", f"{ROUTE}:stops[2].exhibit: unknown exhibit 'changting'",
        f"{QUIZ}:questions[0].answer:", f"{QUIZ}:pick:",
        "quizzes/broken.yaml:line 2: invalid YAML",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)
    assert len(info.value.problems) == len(lines) == len(expected)
    # grouped by file in reading order: pack, halls, exhibits, routes, quizzes
    files_in_order = [p.file for p in info.value.problems]
    assert files_in_order.index("halls.yaml") < files_in_order.index(EX) < files_in_order.index(QUIZ)


def test_problem_prints_as_file_field_message() -> None:
    assert str(Problem("halls.yaml", "halls[3].parent", "unknown hall 'xx'")) == \
        "halls.yaml:halls[3].parent: unknown hall 'xx'"
    assert str(Problem("pack.yaml", "", "file is missing")) == "pack.yaml: file is missing"


def test_a_path_that_is_not_a_pack_folder(tmp_path: Path) -> None:
    assert "no such folder" in str(validate_pack(tmp_path / "absent")[0])
    archive = tmp_path / "x.hpack"
    archive.write_bytes(b"PK")
    assert "not a pack folder" in validate_pack(archive)[0].message


def test_plain_text_goes_to_the_first_language(tmp_path: Path) -> None:
    files = pack_files()
    files["pack.yaml"]["languages"] = ["en", "zh"]
    pack = load_pack(write_pack(tmp_path / "p", files))
    assert pack.info.publisher == {"en": "测试出版方"}
    assert pack.exhibit("changting").summary == {"en": "长汀是中央苏区的经济中心。"}


def test_common_yaml_mistakes_get_a_hint(tmp_path: Path) -> None:
    def after(root: Path) -> None:
        write_text(root, "exhibits/colon.yaml", "id: colon\nsummary: Note: this breaks\n")
        write_text(root, "exhibits/tab.yaml", "id: tab\nmedia:\n\t- file: a.png\n")
        text = (root / "halls.yaml").read_text(encoding="utf-8")
        (root / "halls.yaml").write_text(
            text.replace("address: 福建省龙岩市", "address: {zh: 福建省龙岩市, en: Longyan, Fujian}"),
            encoding="utf-8")
    problems = problems_for(tmp_path, after=after)
    assert_problem(problems, "exhibits/colon.yaml", "line 2", "must be put in quotes")
    assert_problem(problems, "exhibits/tab.yaml", "line 3", "indent with spaces, not tabs")
    assert_problem(problems, "halls.yaml", "halls[1].address.Fujian", "put that text in quotes")


def test_a_broken_file_does_not_cause_follow_on_reference_errors(tmp_path: Path) -> None:
    def after(root: Path) -> None:
        write_text(root, EX, "id: gutian-meeting\ntitle: [\n")  # referred to by route and quiz
        write_text(root, "halls.yaml", "- id: fujian\n  level: [province\n")
    problems = problems_for(tmp_path, after=after)
    assert [p.file for p in problems] == ["halls.yaml", EX], problems


def test_a_file_saved_in_gbk_is_refused_and_a_utf8_bom_is_fine(tmp_path: Path) -> None:
    def after(root: Path) -> None:
        (root / "routes" / "gbk.yaml").write_bytes("id: 古田\n".encode("gbk"))
        text = (root / EX).read_text(encoding="utf-8")
        (root / EX).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    problems = problems_for(tmp_path, after=after)
    assert [str(p) for p in problems] == [
        "routes/gbk.yaml: not valid UTF-8 text (invalid leading UTF-8 octet at byte 4); "
        "save the file as UTF-8"]


def test_pick_above_the_question_count_loads_and_a_round_uses_every_question(tmp_path: Path) -> None:
    import random

    from app.quiz.round import QuizRound

    files = pack_files()
    files[QUIZ]["pick"] = 10
    quiz = load_pack(write_pack(tmp_path / "p", files)).quizzes[0]
    assert quiz.pick == 10
    assert len(QuizRound(quiz, rng=random.Random(3)).questions) == len(quiz.questions)
