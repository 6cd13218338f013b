"""English: the reference every other language mirrors key for key."""

from __future__ import annotations

PHRASES: dict[str, str] = {
    "nothing_found": (
        "Sorry, I couldn't find anything in this store that matches that. "
        "Could you tell me a little more about what you're looking for?"
    ),
}
