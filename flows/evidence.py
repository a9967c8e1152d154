"""What a piece of evidence can show; the user labels each item with one tap."""

from __future__ import annotations

LABELS = ("unpacking_video", "label", "item", "act", "tracking", "listing", "seller_chat")
