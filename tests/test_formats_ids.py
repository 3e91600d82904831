"""Unique ids for questions of one name: the same ids as ever, found without trying every suffix again."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.formats.convert import Converter
from quizapp.formats.service import import_text, read_items


class _CountingSet(set):
    """A set that counts membership tests: the work of finding a free id."""

    lookups = 0

    def __contains__(self, key: object) -> bool:
        self.lookups += 1
        return super().__contains__(key)


def test_ids_for_many_questions_of_one_name_take_linear_work() -> None:
    converter = Converter("T", {})
    converter.ids = _CountingSet()
    for item in read_items("Up? {T}\n\n" * 3000, "gift").items:
        converter.convert(item)
    ids = [question["id"] for question in converter.result.questions]
    assert ids == ["up", *(f"up-{number}" for number in range(2, 3001))]
    # Trying every suffix again for each question would take about 4.5 million.
    assert converter.ids.lookups < 3 * 3000


class _OldIds:
    """The plain way to make ids unique, counting up from -2 for each question: the ids must be the ones it gives."""

    def __init__(self) -> None:
        self.ids: set[str] = set()

    def unique(self, base: str) -> str:
        key, number = base, 2
        while key in self.ids:
            key = f"{base[:95]}-{number}"
            number += 1
        self.ids.add(key)
        return key

    def release(self, key: str) -> None:
        self.ids.discard(key)


_LONG = "x" * 95
BASES = st.sampled_from(["a", "a-2", "a-3", "a-2-2", "a-02", "a-1", "b", _LONG, _LONG + "y", _LONG + "-2",
                         _LONG + "zzzzz", _LONG[:94] + "-3"])
STEPS = st.lists(st.tuples(st.booleans(), BASES, st.integers(min_value=0, max_value=50)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(steps=STEPS)
def test_ids_are_the_ones_counting_up_from_two_gives(steps: list[tuple[bool, str, int]]) -> None:
    converter, old, issued = Converter("T", {}), _OldIds(), []
    for release, base, which in steps:
        if release and issued:
            key = issued.pop(which % len(issued))
            converter._release(key)
            old.release(key)
        else:
            key = converter._unique(base)
            assert key == old.unique(base)
            issued.append(key)


def test_the_id_of_a_question_left_out_goes_to_the_next_of_that_name() -> None:
    # The second question's choices are the same, so it is left out and "x-2" is free again.
    imported = import_text("::x:: Q {=a ~b}\n\n::x:: Q {=a ~a}\n\n::x:: R {=a ~b}\n\n::x:: S {=a ~b}\n", "gift",
                           "b", "B")
    assert [question["id"] for question in imported.questions] == ["x", "x-2", "x-3"]
