"""What a conversation remembers between two lines: one small record a turn takes and returns.

The answer read last (what "why?" and "since when?" lean on), the reader's words that got it (what
"no, I meant ..." corrects), the numbered list on screen (what "2" picks from), a question askbot
has just asked ("Did you mean ...?", "Whose answer?"), the interview ``/use`` chose, what has been
read, and how sure the last reply was. Plain values only (ids and text, never entries), so a web
front end keeps one per visitor as JSON (``as_dict``, ``from_dict``) and a test writes one by hand;
the chat keeps one in its ``Conversation``. ``askbot ask`` starts from the empty one every time.

No ``from __future__ import annotations``, as in ``model``: a ``NamedTuple`` compiles string
annotations when the class is made, which every ``askbot ask`` would pay.
"""

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

#: A question askbot has just asked: "Did you mean ...?" or "Whose answer ...?".
Pending = Literal["choices", "whose"]


class State(NamedTuple):
    """One conversation between two lines; the empty ``State()`` is a conversation not begun."""

    #: The id of the entry whose answer the reader read last: a line that leans on something
    #: ("is it working?") leans on it.
    last: str | None = None
    #: The reader's line that got that answer (or the choices on screen): a repair ("no, I meant
    #: the funding one") asks it again without the answer it rejects.
    asked: str | None = None
    #: The ids of the numbered list in askbot's last reply, in order; a number picks from it and
    #: from no older list. Empty when the last reply showed none.
    listed: tuple[str, ...] = ()
    #: The question askbot has just asked, which the next line may answer ("yes", "both").
    pending: Pending | None = None
    #: The title of the interview the conversation is narrowed to (``/use NAME``), or ``None``
    #: for every interview loaded.
    interview: str | None = None
    #: The ids of the answers read, in the order first read: "Related" lists unread ones first,
    #: "more" goes on to one.
    read: tuple[str, ...] = ()
    #: Whether the reader is reading the interview in order (``/read``): "next" is then the next
    #: question in the interview, not the next related one.
    in_order: bool = False
    #: What the last reply was ("answer", "meta", "choices", "unknown", ...) and the matcher's
    #: confidence in it (0-100; ``None`` when it was not the matcher's): the chat's toolbar.
    decision: str | None = None
    confidence: float | None = None

    def reading(self, entry_id: str, *, asked: str | None = None) -> "State":
        """This state once the reader has read ``entry_id``'s answer (got by ``asked``, or by a
        pick when ``None``: a repair then corrects the question before it)."""
        read = self.read if entry_id in self.read else (*self.read, entry_id)
        return self._replace(last=entry_id, asked=self.asked if asked is None else asked, read=read)

    def as_dict(self) -> dict[str, Any]:
        """The state as JSON values (lists for tuples), for a front end to keep between requests."""
        return {name: list(value) if isinstance(value, tuple) else value for name, value in self._asdict().items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "State":
        """The state ``as_dict`` gave. A value of the wrong kind (a tampered cookie) raises
        ``ValueError`` naming the field; ids askbot no longer knows are harmless: a turn ignores them.

        >>> State.from_dict(State(last="a", read=("a",)).as_dict()) == State(last="a", read=("a",))
        True
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a conversation state is a mapping, not {type(data).__name__}")
        unknown = sorted(set(data) - set(cls._fields))
        if unknown:
            raise ValueError(f"unknown conversation state field: {unknown[0]}")
        values: dict[str, Any] = {}
        for name, value in data.items():
            values[name] = _checked(name, value)
        return cls(**values)


def _checked(name: str, value: Any) -> Any:
    """``value`` as field ``name`` holds it, or ``ValueError``."""
    if name in ("listed", "read"):
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            raise ValueError(f"conversation state field {name} must be a list of ids")
        return tuple(value)
    if name == "in_order":
        if not isinstance(value, bool):
            raise ValueError("conversation state field in_order must be true or false")
        return value
    if name == "pending":
        if value not in (None, "choices", "whose"):
            raise ValueError("conversation state field pending must be null, 'choices' or 'whose'")
        return value
    if name == "confidence":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError("conversation state field confidence must be a number or null")
        return None if value is None else float(value)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"conversation state field {name} must be text or null")
    return value
