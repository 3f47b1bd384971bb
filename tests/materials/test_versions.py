"""Versions of a material: every change of words is a new numbered version, restore adds one,
and the diff between two versions is word by word and escaped."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commsdesk.materials import versions, workflow
from commsdesk.materials.models import Material, MaterialVersion, Status
from tests.materials.library_fixtures import edit, write

pytestmark = pytest.mark.django_db


def test_the_first_save_is_version_one_and_each_change_of_words_adds_one(team, member):
    material = write(team, member, body="First words.")
    assert material.version == 1
    edit(material, member, body="Second words.", note="Reworded")
    edit(material, member, title="A new title")

    material.refresh_from_db()
    assert material.version == 3
    assert [(v.number, v.title, v.body, v.note) for v in material.versions.order_by("number")] == [
        (1, "Our mission", "First words.", "Written"),
        (2, "Our mission", "Second words.", "Reworded"),
        (3, "A new title", "Second words.", ""),
    ]
    assert {v.author for v in material.versions.all()} == {member}


def test_changing_only_tags_or_the_review_date_adds_no_version(team, member):
    material = write(team, member)
    material.tags = ["climate"]
    assert versions.save(material, author=member) is None
    material.refresh_from_db()
    assert material.version == 1
    assert material.tags == ["climate"]
    assert material.versions.count() == 1


def test_restore_adds_a_version_with_the_old_words_and_keeps_history(team, member):
    material = write(team, member, body="Original.")
    edit(material, member, body="Changed.")

    restored = versions.restore(material, 1, author=member)

    assert restored.number == 3
    assert restored.body == "Original."
    assert restored.note == "Restored version 1"
    material.refresh_from_db()
    assert material.body == "Original."
    assert [v.body for v in material.versions.order_by("number")] == [
        "Original.",
        "Changed.",
        "Original.",
    ]


def test_restoring_a_version_that_never_existed_fails_and_changes_nothing(team, member):
    material = write(team, member)
    with pytest.raises(MaterialVersion.DoesNotExist):
        versions.restore(material, 7, author=member)
    material.refresh_from_db()
    assert material.version == 1


def test_an_edit_started_from_an_older_version_is_refused_not_saved_over(team, member):
    material = write(team, member, body="One.")
    stale_copy = Material.objects.get(pk=material.pk)
    edit(material, member, body="Two, by a colleague.")

    stale_copy.body = "Three, by me."
    with pytest.raises(versions.VersionConflict) as raised:
        versions.save(stale_copy, author=member, based_on=1)
    assert raised.value.current == 2
    material.refresh_from_db()
    assert material.body == "Two, by a colleague."
    assert material.version == 2


def test_editing_an_approved_material_sends_it_back_to_draft_and_keeps_the_approved_version(
    team, member
):
    material = write(team, member)
    workflow.apply(material, "approve", member)
    assert material.approved_version == 1

    edit(material, member, body="New words.")

    material.refresh_from_db()
    assert material.status == Status.DRAFT
    assert material.approved_version == 1
    assert material.version == 2


def test_the_diff_marks_whole_words_added_and_removed():
    html = versions.diff("We reach 60 million readers.", "We reach 65 million readers daily.")
    assert html == "We reach <del>60</del><ins>65</ins> million readers<ins> daily</ins>."


def test_the_diff_escapes_user_text_before_marking_it():
    html = versions.diff("Hello", 'Hello <script>alert("x")</script> & <b onclick=x>')
    assert "<script>" not in html
    assert "<b onclick" not in html
    assert "&lt;script&gt;" in html
    assert "&amp;" in html
    assert html.startswith("Hello<ins>")


def test_the_diff_keeps_emoji_and_accents_whole():
    html = versions.diff("Café 👩🏽‍💻 ok", "Cafés 👩🏽‍💻 ok")
    assert "<del>Café</del><ins>Cafés</ins>" in html
    assert "👩🏽‍💻" in html


def _side(diff_html: str, drop: str) -> str:
    """One side of a diff: the other side's marked words dropped, tags removed, unescaped."""
    kept = re.sub(rf"<{drop}>.*?</{drop}>", "", diff_html, flags=re.DOTALL)
    return html_lib.unescape(re.sub(r"</?(ins|del)>", "", kept))


WORDS = st.lists(
    st.sampled_from(
        ["we", "care", "60", "65", "<b>", "&", "é", "👩🏽‍💻", "中文", " ", "\n", ",", "."]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(old=WORDS, new=WORDS)
def test_a_diff_always_reads_back_as_both_versions(old, new):
    marked = versions.diff(old, new)
    assert _side(marked, "ins") == old
    assert _side(marked, "del") == new
    assert "<b>" not in re.sub(r"</?(ins|del)>", "", marked)  # user text is always escaped
