"""Mermaid diagrams drawn from the flows themselves: `python -m flows.diagram` rewrites them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flows.conditions import AnyOf, Is
from flows.questions import Flow, Group, Question, always
from flows.registry import FLOWS

HERE = Path(__file__).resolve().parent


def condition_label(condition: Callable[[Any], bool]) -> str | None:
    """A condition as people read it; None when the step always applies."""
    if condition is always:
        return None
    if isinstance(condition, Is | AnyOf):
        return str(condition)
    return getattr(condition, "__name__", "condition").strip("_").replace("_", " ")


def mermaid(flow: Flow) -> str:
    """Top to bottom, each step a node; a step not always asked is dashed, with its rule."""
    lines = ["flowchart TD", f"    start([{flow.name}])"]
    previous = "start"
    for index, step in enumerate(flow.steps):
        node = f"s{index}"
        label = condition_label(step.when)
        rule = f"<br/><i>only if {label}</i>" if label else ""
        lines.append(f'    {node}["{_describe(step)}{rule}"]')
        if label:
            lines.append(f"    style {node} stroke-dasharray: 4 3")
        lines.append(f"    {previous} --> {node}")
        previous = node
    lines.append(f"    {previous} --> done([texts])")
    return "\n".join(lines) + "\n"


def _describe(step: Question | Group) -> str:
    if isinstance(step, Group):
        inner = ", ".join(question.field for question in step.questions)
        return f"{step.key}: repeated ({inner}), then {step.more.key}"
    optional = " (optional)" if step.optional else ""
    return f"{step.key}: {step.kind}{optional}"


def path_for(flow: Flow) -> Path:
    return HERE / f"{flow.name}.mmd"


def main() -> None:
    for flow in FLOWS.values():
        path_for(flow).write_text(mermaid(flow), encoding="utf-8")


if __name__ == "__main__":
    main()
