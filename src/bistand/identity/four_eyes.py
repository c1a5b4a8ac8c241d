"""Four eyes: a second approval counts only when it comes from another person than the first.

The one rule behind a caseworker's decision draft approved by a colleague (`casework.workspace`), a
decision stored with its approver (`decisions.services`) and a payment file released by a second finance
user (`payments.files`). Each place says in its own words why it refused; who counts as "another person"
is decided here.
"""

from __future__ import annotations

from typing import Any


def is_another_person(first_id: int | None, user: Any) -> bool:
    """Whether `user` may give the second approval after the person with id `first_id`.

    An approval by nobody yet (`first_id` None) leaves anyone signed in free to go first; an anonymous user
    never counts as a person here.
    """
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return False
    return first_id is None or user.pk != first_id
