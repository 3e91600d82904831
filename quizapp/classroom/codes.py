"""Join codes: short, easy to read aloud, case-insensitive."""

from __future__ import annotations

import re
import secrets
import unicodedata

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: letters and digits that sound or look alike when read aloud or written down.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 6


def new_code() -> str:
    """A random code of LENGTH characters (about 2^28 possibilities)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


# A code read off the board and typed on a Cyrillic (Kazakh or Russian) keyboard comes out in the Cyrillic letters
# drawn like its Latin ones: the same on screen, another code to the computer.
_LATIN_LOOKALIKES = str.maketrans("АВСЕНКМОРТХУҮ", "ABCEHKMOPTXYY")
# Any dash a phone or word processor puts in place of the hyphen (‐ ‑ ‒ – — ―, and the minus sign) is a separator too.
_SEPARATORS = re.compile(r"[\s\-_.\u2010-\u2015\u2212]")


def normalise_code(typed: str) -> str:
    """What a student typed, reduced to the stored form: upper case, no spaces or dashes, Latin letters."""
    # NFKC first: the full-width letters and digits of East Asian keyboards become the plain ones.
    plain = _SEPARATORS.sub("", unicodedata.normalize("NFKC", typed)).upper()
    return plain.translate(_LATIN_LOOKALIKES)


def display_code(code: str) -> str:
    """ABCDEF as ABC-DEF, easier to read out."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"
