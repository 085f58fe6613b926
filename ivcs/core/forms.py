"""Form helpers shared by the domains' pages."""

from __future__ import annotations

from typing import Any, ClassVar


class ChosenLabelsMixin:
    """`form.chosen`: for long multi-selects (countries, sectors), the options chosen, named, to show
    beside the list so that they are not lost in 250 lines. Name the fields in `long_lists`."""

    long_lists: ClassVar[tuple[str, ...]] = ()

    @property
    def chosen(self) -> dict[str, str]:
        form: Any = self
        out = {}
        for name in self.long_lists:
            if name not in form.fields:
                continue
            values = {str(v) for v in (form[name].value() or [])}
            labels: list[str] = []
            for value, label in form.fields[name].choices:
                group = label if isinstance(label, list | tuple) else [(value, label)]
                labels += [str(lab).removeprefix("— ") for val, lab in group if str(val) in values]
            out[name] = ", ".join(labels)
        return out
