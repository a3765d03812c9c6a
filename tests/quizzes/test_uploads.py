"""Handwritten answer pages: what is accepted, what is refused (and then nothing is stored),
metadata stripping, who can fetch a page, and deletion with the account."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader, PdfWriter

from quizzes import uploads
from quizzes.models import AnswerPage, MainsAnswer
from tests.factories import MainsQuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    root = tmp_path / "private-media"
    settings.MEDIA_ROOT = root
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return root


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def jpeg(*, size=(60, 80), exif=True) -> bytes:
    img = Image.new("RGB", size, "white")
    out = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x010F] = "SpyCam"  # Make
        info[0x0131] = "GeoTagger 1.0"  # Software
        img.save(out, "JPEG", exif=info.tobytes())
    else:
        img.save(out, "JPEG")
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (40, 50), 255).save(out, "PNG")
    return out.getvalue()


def pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": "Asha Secret"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str, data: bytes, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def post(client, question, files, *, text="", action="submit"):
    data = {
        "text": text,
        "opened_at": f"{time.time() - 60:.3f}",
        "base_seconds": 0,
        "action": action,
        "pages": files,
    }
    return client.post(reverse("quizzes:mains-write", args=[question.pk]), data)


def test_handwritten_answer_uploaded_instead_of_typing(learner_client, learner, private_media):
    question = MainsQuestionFactory()
    files = [upload("p1.jpg", jpeg()), upload("p2.png", png(), "image/png")]
    response = post(learner_client, question, files)
    answer = MainsAnswer.objects.get(learner=learner)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert answer.submitted_at is not None and answer.text == ""
    pages = list(answer.pages.all())
    assert [(p.order, p.kind) for p in pages] == [(1, "jpeg"), (2, "png")]
    assert len(stored_files(private_media)) == 2
    # The learner's file names are not kept.
    assert all("p1" not in p.file.name and "p2" not in p.file.name for p in pages)
    html = learner_client.get(reverse("quizzes:mains-answer", args=[answer.pk])).content.decode()
    assert reverse("quizzes:mains-page", args=[answer.pk, pages[0].pk]) in html


def test_images_are_re_encoded_without_exif(learner_client, learner):
    raw = jpeg()
    assert b"SpyCam" in raw
    post(learner_client, MainsQuestionFactory(), [upload("page.jpg", raw)], text="See page.")
    page = AnswerPage.objects.get()
    data = page.file.read()
    assert b"SpyCam" not in data and b"GeoTagger" not in data
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG"
        assert not img.getexif()


def test_pdf_is_accepted_with_its_pages_counted_and_metadata_dropped(learner_client, learner):
    post(learner_client, MainsQuestionFactory(), [upload("scan.pdf", pdf(3), "application/pdf")])
    page = AnswerPage.objects.get()
    assert (page.kind, page.page_count) == ("pdf", 3)
    data = page.file.read()
    assert b"Asha Secret" not in data
    assert len(PdfReader(io.BytesIO(data)).pages) == 3


def bomb() -> bytes:
    """A tiny PNG that claims to be 20000×20000 pixels (400 MP)."""
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("notes.jpg", b"Just text pretending to be a JPEG", "image/jpeg")], "not a JPEG, PNG"),
        ([("page.exe.png", b"MZ\x90\x00binary", "image/png")], "not a JPEG, PNG or PDF"),
        ([("empty.jpg", b"", "image/jpeg")], "the file is empty"),
        ([("long.pdf", "pdf50", "application/pdf")], "the PDF has 50 pages"),
        ([("bomb.png", "bomb", "image/png")], "megapixels"),
        ([("big.jpg", "big", "image/jpeg")], "at most 10 MB together"),
        ([("broken.jpg", b"\xff\xd8\xff\xe0 truncated", "image/jpeg")], "damaged"),
        ([("broken.pdf", b"%PDF-1.7 nothing else", "application/pdf")], "damaged"),
        ([(f"p{i}.png", "png", "image/png") for i in range(5)], "at most 4 files"),
        ([("a.pdf", "pdf3", "application/pdf"), ("b.pdf", "pdf2", "application/pdf")],
         "at most 4 pages"),
    ],
)  # fmt: skip
def test_bad_uploads_are_refused_with_a_message_and_nothing_stored(
    learner_client, learner, private_media, files, message
):
    makers = {
        "pdf50": lambda: pdf(50),
        "pdf3": lambda: pdf(3),
        "pdf2": lambda: pdf(2),
        "bomb": bomb,
        "png": png,
        "big": lambda: b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024),
    }
    question = MainsQuestionFactory()
    prepared = [
        upload(name, makers[data]() if isinstance(data, str) else data, ctype)
        for name, data, ctype in files
    ]
    response = post(learner_client, question, prepared, text="My typed part.")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html, html[-4000:]
    assert "My typed part." in html  # the text is kept in the box
    assert not MainsAnswer.objects.exists()
    assert not AnswerPage.objects.exists()
    assert stored_files(private_media) == []


def test_pages_are_capped_across_saves_of_one_draft(learner_client, learner, private_media):
    question = MainsQuestionFactory()
    post(learner_client, question, [upload("a.pdf", pdf(3), "application/pdf")], action="save")
    response = post(learner_client, question, [upload("b.jpg", jpeg()), upload("c.jpg", jpeg())])
    assert response.status_code == 400
    assert "at most 4 pages" in response.content.decode()
    assert AnswerPage.objects.count() == 1 and len(stored_files(private_media)) == 1
    assert post(learner_client, question, [upload("b.jpg", jpeg())]).status_code == 302
    assert AnswerPage.objects.count() == 2


def test_only_the_owner_and_staff_can_fetch_a_page(
    learner_client, learner, other_learner, staff_user, client
):
    post(learner_client, MainsQuestionFactory(), [upload("p.jpg", jpeg())])
    page = AnswerPage.objects.get()
    url = reverse("quizzes:mains-page", args=[page.answer_id, page.pk])
    response = learner_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    client.force_login(other_learner)
    assert client.get(url).status_code == 404
    client.force_login(staff_user)
    assert client.get(url).status_code == 200
    wrong_answer = reverse("quizzes:mains-page", args=[page.answer_id + 1, page.pk])
    assert client.get(wrong_answer).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_pdf_pages_are_downloaded_not_shown_inline(learner_client, learner):
    post(learner_client, MainsQuestionFactory(), [upload("s.pdf", pdf(1), "application/pdf")])
    page = AnswerPage.objects.get()
    response = learner_client.get(reverse("quizzes:mains-page", args=[page.answer_id, page.pk]))
    assert response["Content-Disposition"].startswith("attachment;")


def test_media_root_is_not_served(learner_client, learner, settings):
    post(learner_client, MainsQuestionFactory(), [upload("p.jpg", jpeg())])
    name = AnswerPage.objects.get().file.name
    assert learner_client.get(f"/media/{name}").status_code == 404
    assert learner_client.get(f"/{name}").status_code == 404


def test_deleting_the_account_deletes_the_files(
    learner_client, learner, private_media, django_capture_on_commit_callbacks
):
    post(
        learner_client,
        MainsQuestionFactory(),
        [upload("p.jpg", jpeg()), upload("q.png", png(), "image/png")],
    )
    assert len(stored_files(private_media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(
            reverse("delete-account"), {"password": "correct-horse-battery-9"}
        )
    assert response.status_code == 302
    assert stored_files(private_media) == []
    assert not AnswerPage.objects.exists()


def test_check_upload_reads_the_type_from_content_not_the_name():
    # A real PNG named .jpg is a PNG; a JPEG named .pdf is a JPEG.
    cleaned = uploads.check_upload([upload("x.jpg", png(), "image/jpeg"), upload("y.pdf", jpeg())])
    assert [c.kind for c in cleaned] == ["png", "jpeg"]
