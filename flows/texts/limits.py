"""Length limits of the generated texts: the one place they are set."""

from __future__ import annotations

# No source gives the dispute field's length (domain-sources §1.7): a short text fits any
# field, a full one is for the chat or an appeal. Both keep the key numbers in the first lines.
MAX_SHORT = 500
MAX_FULL = 2000
# The Russian copy is pasted into the same kind of field on aliexpress.ru.
MAX_RU = MAX_FULL

# Caps on single values, so that one long answer cannot crowd the facts out.
MAX_ITEM = 120
MAX_OFFICE = 80
MAX_NUMBER = 40
MAX_INSIDE = 200
MAX_STORE = 60
# Below this many characters a shortened free text says too little to keep.
MIN_WORDS = 40
