from django.urls import path

from quizzes.views import (
    card_study,
    cards,
    items,
    mains,
    mentor,
    own_cards,
    prelims,
    progress,
    search,
    series,
    staff,
    study,
    uploads,
)

app_name = "quizzes"

urlpatterns = [
    # Notes and search (issue: study loop)
    path("topics/", study.topic_list, name="topic-list"),
    path("topics/<slug:slug>/", study.topic_detail, name="topic-detail"),
    path("topics/<slug:slug>/studied/", study.topic_studied, name="topic-studied"),
    path("search/", search.search, name="search"),
    # Flashcards (FSRS)
    path("cards/", cards.deck_list, name="cards"),
    path("cards/<int:pk>/", items.card_detail, name="card-detail"),
    path("cards/review/", cards.review, name="review"),
    path("cards/review/rate/", cards.rate, name="review-rate"),
    path("cards/review/undo/", cards.undo, name="review-undo"),
    path("cards/<int:pk>/mark/", card_study.mark, name="card-mark"),
    path("cards/marked/", card_study.marked, name="cards-marked"),
    path("cards/custom/", card_study.custom, name="cards-custom"),
    path("cards/mine/", own_cards.own_card_index, name="own-cards"),
    path("cards/mine/add/", own_cards.own_card_add, name="own-card-add"),
    path("cards/mine/<int:pk>/edit/", own_cards.own_card_edit, name="own-card-edit"),
    path("cards/mine/<int:pk>/delete/", own_cards.own_card_remove, name="own-card-delete"),
    # Prelims practice and mock tests
    path("prelims/", prelims.home, name="prelims"),
    path("prelims/start/", prelims.start, name="prelims-start"),
    path("prelims/attempts/<int:pk>/", prelims.attempt, name="attempt"),
    path("prelims/attempts/<int:pk>/answer/", prelims.answer, name="attempt-answer"),
    path("prelims/attempts/<int:pk>/submit/", prelims.submit, name="attempt-submit"),
    path("prelims/attempts/<int:pk>/result/", prelims.result, name="attempt-result"),
    path("prelims/questions/<int:pk>/", items.question_detail, name="question-detail"),
    path("prelims/questions/<int:pk>/bookmark/", prelims.bookmark, name="bookmark"),
    # Test series: fixed papers everyone takes
    path("tests/", series.series, name="series"),
    path("tests/<slug:slug>/", series.paper, name="paper"),
    path("tests/<slug:slug>/start/", series.paper_start, name="paper-start"),
    # Mains answer writing
    path("mains/", mains.question_list, name="mains"),
    path("mains/<int:pk>/write/", mains.write, name="mains-write"),
    path("mains/<int:pk>/autosave/", mains.autosave, name="mains-autosave"),
    path("mains/answers/<int:pk>/", mains.answer_detail, name="mains-answer"),
    path("mains/answers/<int:pk>/assess/", mains.assess, name="mains-assess"),
    path("mains/answers/<int:pk>/feedback/", mains.feedback, name="mains-feedback"),
    path("mains/answers/<int:pk>/pages/<int:page>/", uploads.page_file, name="mains-page"),
    # Progress and staff review
    path("progress/", progress.dashboard, name="progress"),
    path("progress/history/", progress.history, name="history"),
    path("progress/export/", progress.export, name="export"),
    path("staff/learners/", staff.learner_list, name="staff-learners"),
    path("staff/learners/<int:pk>/", staff.learner_detail, name="staff-learner"),
    path("staff/mains/", mentor.queue, name="mentor-queue"),
    path("staff/mains/<int:pk>/", mentor.evaluate, name="mentor-evaluate"),
]
