"""The writes that touch several rows, each in one transaction (cards, prelims, mains).

A write the rules refuse raises `WriteRefused` (or one of its per-page refinements) and
changes nothing; `quizzes.views.responses.answer_refusals` is the one place that turns it
into a 4xx response.
"""


class WriteRefused(Exception):
    """A refused write: nothing was changed. `message` is shown to the learner as it is,
    `code` says why in a word (for JSON callers and tests), `status` is the HTTP status."""

    status = 400
    code = "refused"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
