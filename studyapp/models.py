"""No models: the learner's profile lives in the `profiles` app.

`validate_timezone` stays importable here because studyapp's first migration names it.
"""

from profiles.models import validate_timezone

__all__ = ["validate_timezone"]
