"""The evidence checklist as the user reads it: what is there, what is missing, and why."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Texts
from flows.checklist import ChecklistItem, missing_required


def checklist_text(t: Texts, items: Sequence[ChecklistItem]) -> str:
    lines = [t("results.checklist_title")]
    for item in items:
        mark = "✅" if item.present else ("❗" if item.required else "▫️")
        lines.append(f"{mark} {t(item.title_key)}: {t(item.why_key)}")
    missing = [t(item.title_key) for item in missing_required(list(items))]
    lines.append(
        t("advice.checklist.missing", items=", ".join(missing))
        if missing
        else t("advice.checklist.complete")
    )
    return "\n".join(lines)
