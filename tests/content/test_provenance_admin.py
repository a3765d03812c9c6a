"""The admin says where a pack item comes from, lets it follow its file, and shows drift."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content import models as m
from content.loader import load_packs
from tests.content.test_loader import edit
from tests.content.test_loader import pack as pack  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(pack, settings):
    settings.CONTENT_PACKS_DIR = pack.parent
    load_packs([pack])
    return pack


def change_page(client, obj) -> str:
    url = reverse(f"admin:content_{obj._meta.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_change_form_names_the_file_and_what_an_edit_does(loaded, staff_client):
    question = m.Question.objects.get(slug="q-single")
    page = change_page(staff_client, question)
    assert "From pack example" in page
    assert "<code>example/prelims/basics.yaml</code>, item <code>q-single</code>" in page
    assert "the next <code>load_content</code> keeps your edit and reports it" in page
    assert "export_content example</code> writes it back to the file" in page
    assert "Changed here since its last load" not in page
    question.explanation = "Edited."
    question.save()
    assert "Changed here since its last load" in change_page(staff_client, question)
    source = m.Source.objects.get(slug="alpha-2025")
    assert "<code>example/pack.yaml</code>, item <code>alpha-2025</code>" in change_page(
        staff_client, source
    )


def test_change_form_of_an_item_made_in_the_admin(loaded, staff_client):
    topic = m.Topic.objects.get(slug="basics")
    card = m.Flashcard.objects.create(
        slug="mine", pack=topic.pack, topic=topic, front="F", back="B"
    )
    assert "Made in the admin</strong> for pack example" in change_page(staff_client, card)


def test_follow_the_pack_file_again_action(loaded, staff_client):
    card = m.Flashcard.objects.get(slug="card-relations-year")
    card.back = "1953"
    card.save()
    assert [d.slug for d in load_packs([loaded]).kept] == ["card-relations-year"]
    response = staff_client.post(
        reverse("admin:content_flashcard_changelist"),
        {"action": "follow_file_again", "_selected_action": [card.pk]},
        follow=True,
    )
    assert "1 item(s) will take their pack file" in response.content.decode()
    assert "Marked to follow the pack file again" in change_page(staff_client, card)
    assert not load_packs([loaded]).kept
    card.refresh_from_db()
    assert (card.back, card.follow_file) == ("1952", False)


def test_drift_report_lists_items_that_differ_with_their_fields(
    loaded, staff_client, django_assert_max_num_queries
):
    pack_obj = m.Pack.objects.get(slug="example")
    url = reverse("admin:content_pack_drift", args=[pack_obj.pk])
    assert 'data-testid="drift-empty"' in staff_client.get(url).content.decode()

    question = m.Question.objects.get(slug="q-single")
    question.explanation = "Edited."
    question.save()
    edit(loaded / "facts" / "basics.yaml", "first held on 30 November", "held on 30 November")
    with django_assert_max_num_queries(40):
        page = staff_client.get(url).content.decode()
    assert "2 items differ" in page
    assert "Changed in the admin: the next load keeps it" in page
    assert "Changed in the files: the next load updates the database" in page
    assert ">q-single</a>" in page and "explanation" in page
    assert ">first-2plus2</a>" in page and "resolution" in page
    changelist = staff_client.get(reverse("admin:content_pack_changelist")).content.decode()
    assert url in changelist


def test_drift_report_query_count_does_not_grow_with_the_pack(
    loaded, staff_client, django_assert_num_queries
):
    url = reverse("admin:content_pack_drift", args=[m.Pack.objects.get(slug="example").pk])
    staff_client.get(url)
    with CaptureQueriesContext(connection) as small:
        staff_client.get(url)
    text = (loaded / "cards" / "basics.yaml").read_text()
    extra = "".join(
        f"\n- id: extra-{i}\n  topic: basics\n  front: Q{i}?\n  back: A{i}.\n"
        f"  facts: [relations-1952]\n"
        for i in range(20)
    )
    (loaded / "cards" / "basics.yaml").write_text(text + extra)
    load_packs([loaded])
    with django_assert_num_queries(len(small.captured_queries)):
        staff_client.get(url)


def test_drift_report_shows_why_files_cannot_be_compared(loaded, staff_client):
    edit(loaded / "facts" / "basics.yaml", "topic: basics", "topic: nowhere")
    url = reverse("admin:content_pack_drift", args=[m.Pack.objects.get(slug="example").pk])
    page = staff_client.get(url).content.decode()
    assert 'data-testid="drift-errors"' in page and "nowhere" in page


def test_drift_report_is_staff_only(loaded, learner_client):
    url = reverse("admin:content_pack_drift", args=[m.Pack.objects.get(slug="example").pk])
    response = learner_client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
