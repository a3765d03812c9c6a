"""Forms of the mentor queue (/staff/mains/): its filters, and the evaluation of one answer."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from quizzes.forms.mains import CleanTextField
from quizzes.models import MainsAnswer
from quizzes.services.mains import MAX_FEEDBACK_CHARS

VERDICT_CHOICES = [("covered", "Covered"), ("partial", "Partly"), ("missed", "Missed")]
STATE_CHOICES = [("waiting", "Waiting for evaluation"), ("evaluated", "Evaluated")]


class QueueFilterForm(forms.Form):
    """?state=waiting|evaluated&topic=<slug>&question=<id>; unknown values are a 400."""

    state = forms.ChoiceField(choices=STATE_CHOICES, required=False, widget=forms.RadioSelect)
    topic = forms.ChoiceField(required=False)
    question = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args, topics, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "All topics")] + [(t.slug, t.title) for t in topics]
        self.fields["question"].choices = [("", "All questions")] + [
            (q.pk, f"{q.topic.title} · {q.marks} marks · {q.text[:70]}") for q in questions
        ]

    def clean_state(self) -> str:
        return self.cleaned_data.get("state") or "waiting"


def _marks_field(label: str, top: int, *, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(top),
        decimal_places=1,
        help_text=f"Out of {top}, in steps of 0.5.",
        widget=forms.NumberInput(
            attrs={"step": "0.5", "min": "0", "max": str(top), "inputmode": "decimal"}
        ),
    )


class EvaluationForm(forms.Form):
    """A verdict for every key point, marks, structure marks and comments."""

    def __init__(self, *args, key_points, marks: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.point_fields = []
        for n, point in enumerate(key_points, start=1):
            name = f"point_{point.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"{n}. {point.text}",
                choices=VERDICT_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": "Judge this key point."},
            )
            self.point_fields.append((point, name))
        self.fields["score"] = _marks_field(f"Marks out of {marks}", marks, required=True)
        self.fields["structure_score"] = _marks_field(
            f"Structure out of {MainsAnswer.STRUCTURE_MARKS}",
            MainsAnswer.STRUCTURE_MARKS,
            required=False,
        )
        self.fields["structure_score"].help_text = (
            "Introduction, body by dimension, conclusion or way forward. "
            + self.fields["structure_score"].help_text
        )
        self.fields["comments"] = CleanTextField(
            label="Comments for the learner",
            required=False,
            max_length=MAX_FEEDBACK_CHARS,
            widget=forms.Textarea(attrs={"rows": 7}),
            help_text="Plain text: what worked, what to add, how to structure it next time.",
        )

    def clean_score(self):
        score = self.cleaned_data["score"]
        if score is not None and score * 2 != int(score * 2):
            raise forms.ValidationError("Give marks in steps of 0.5.")
        return score

    def point_rows(self):
        """(key point, bound radio field) in the points' order, for the template."""
        return [(point, self[name]) for point, name in self.point_fields]

    def rubric(self) -> dict[int, str]:
        return {point.pk: self.cleaned_data[name] for point, name in self.point_fields}
