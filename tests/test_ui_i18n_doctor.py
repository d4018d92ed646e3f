"""The admin System status screen in Chinese: every health-check name and detail template of
app/ops/doctor.py has a translation with the same placeholders; the CLI stays English."""
from __future__ import annotations

import re

from app.ops import doctor
from app.ui.translator import load_tables


def test_every_check_name_and_detail_has_a_chinese_translation() -> None:
    zh = load_tables()["zh"]
    sources = [*doctor.NAMES.values(), *doctor.DETAILS.values(), "status"]
    missing = [s for s in sources if s not in zh]
    assert not missing, "add these to app/ui/i18n/doctor.py:\n" + "\n".join(missing)
    for s in sources:
        assert sorted(re.findall(r"%\d", s)) == sorted(re.findall(r"%\d", zh[s])), s
        assert re.search(r"[\u4e00-\u9fff]", zh[s]), f"not Chinese: {zh[s]}"


def test_checks_carry_key_template_and_arguments() -> None:
    c = doctor.check_hub("")
    assert (c.key, c.name, c.detail) == ("hub", "hub", "no hub configured: visit logs travel by USB stick")
    c = doctor.check_disk(doctor.Path("/"))
    assert c.key == "disk" and c.template in doctor.DETAILS.values() and doctor.fill(c.template, c.args) == c.detail
    assert set(c.as_dict()) == {"key", "name", "status", "detail", "template", "args"}
    zh = load_tables()["zh"]
    shown = doctor.fill(zh[c.template], c.args)  # what the screen shows: the QML does the same filling
    assert "剩" in shown and c.args[0] in shown and c.args[1] in shown
    assert doctor.fill("%1 of %2 (%3)", ("a", "b")) == "a of b (%3)"  # a missing argument stays visible
