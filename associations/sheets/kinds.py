"""Kinds of sheet other apps add, without associations importing them.

A higher app registers a function on the Wagtail hook ``associations_sheet_kinds``; it returns
``{kind name: SheetKind}`` (or ``{kind name: ResourceClass}``, whose class then carries
``sheet_columns(context)`` and optionally ``sheet_refusal(user, context)``). The pipeline, the
templates and the ``import_sheet`` command merge them with the built-in ``KINDS``."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SheetKind:
    resource: type  # built like the built-in resources: (user=, context=, progress=, total=)
    columns: Callable  # context -> [headers.Column]: the kind's columns (may depend on context)
    refusal: Callable | None = None  # (user, context) -> "" or why the user may not import
    identifying: tuple = ()  # at least one of these fields must have a column
    file_stem: str = ""  # the template's file name stem
    notes: dict = field(default_factory=dict)  # field name -> what to write (template help)


def extra_kinds():
    """The kinds registered by other apps: {name: SheetKind}."""
    from wagtail import hooks

    from associations.sheets import KINDS

    found = {}
    for fn in hooks.get_hooks("associations_sheet_kinds"):
        for name, spec in (fn() or {}).items():
            if name in KINDS:
                continue  # a built-in kind is never replaced
            if not isinstance(spec, SheetKind):
                spec = SheetKind(
                    resource=spec,
                    columns=spec.sheet_columns,
                    refusal=getattr(spec, "sheet_refusal", None),
                )
            found[name] = spec
    return found


def kind_spec(kind):
    """The registered ``SheetKind`` of ``kind``, or ``None`` for a built-in (or unknown) kind."""
    return extra_kinds().get(kind)
