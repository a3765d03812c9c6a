"""The read side of quizzes: one module per page family, each function named for what it
returns and documented with the page it serves and the indexes it relies on.

today (home page panel) · cards (review session, decks) · prelims (home, attempt, result) ·
mains (question list, write, answer) · progress (dashboard) · history · export · staff.
The learner's profile (exam date, time zone, limits) comes from the `profiles` app. Views
parse the request, call a selector or a service (quizzes/services/, the writes), and render.
"""
