"""Join codes: short, easy to read aloud, case-insensitive."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: letters and digits that sound or look alike when read aloud or written down.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 6


def new_code() -> str:
    """A random code of LENGTH characters (about 2^28 possibilities)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(typed: str) -> str:
    """What a student typed, reduced to the stored form: upper case, no spaces or dashes."""
    return re.sub(r"[\s\-_.]", "", typed).upper()


def display_code(code: str) -> str:
    """ABCDEF as ABC-DEF, easier to read out."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"
