"""Text clean-up shared by the parsers: odd spaces, dashes, look-alike letters."""

from __future__ import annotations

import re
import unicodedata

# Telegram clients paste NBSP and thin spaces from the AliExpress app; zero-width ones come too.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"), " ")
_SPACES |= dict.fromkeys(map(ord, "\u200a\u202f\u205f\u3000\t\r"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_CLEAN = str.maketrans(_SPACES | _INVISIBLE | _DASHES)

# Cyrillic capitals that look like Latin ones; a phone keyboard left on Russian types these.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХІЅЈ", "ABEKMHOPCTYXISJ")

_RUNS_OF_SPACES = re.compile(r" {2,}")


def clean(text: str) -> str:
    """NFC text with every kind of space made plain, dashes made '-', ends stripped."""
    return unicodedata.normalize("NFC", text).translate(_CLEAN).strip()


def squeeze(text: str) -> str:
    """`clean` text on one line with single spaces."""
    return _RUNS_OF_SPACES.sub(" ", clean(text).replace("\n", " "))


def folded(text: str) -> str:
    """Lower-case `squeeze` text with ё read as е, for matching Russian words."""
    return squeeze(text).lower().replace("ё", "е")


def latin_upper(text: str) -> str:
    """Upper-case text with Cyrillic look-alike letters replaced by Latin ones."""
    return text.upper().translate(_LOOKALIKES)
