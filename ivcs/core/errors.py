"""Domain errors every app may raise and every surface (API, pages) turns into a clear 4xx."""

from __future__ import annotations

from typing import Any, Literal


class UnknownValue(LookupError):
    """An id, code or name the system does not hold. `field` and `value` name the offending input.

    The API answers 404 when the value was part of the path (the resource does not exist) and 422
    when it was a query or body field (the request names something unknown).
    """

    def __init__(self, field: str, value: Any, location: Literal["path", "query", "body"] = "query") -> None:
        super().__init__(f"unknown {field}: {value!r}")
        self.field, self.value, self.location = field, value, location

    def at(self, location: Literal["path", "query", "body"], field: str | None = None) -> UnknownValue:
        """The same error, placed where the request carried the value."""
        return UnknownValue(field or self.field, self.value, location)


class FieldErrors(Exception):
    """Input a domain refuses: a code, a message for the user and the field it concerns (None: the
    request as a whole). When several fields are wrong, the first is raised and `errors` lists all."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.errors: list[Any] = [self]

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message

    def as_details(self) -> list[dict[str, str | None]]:
        return [{"field": e.field, "message": e.message, "type": e.code} for e in self.errors]

    @classmethod
    def many(cls, errors: list[Any]) -> Any:
        """The first of `errors`, carrying them all."""
        first = errors[0]
        first.errors = list(errors)
        return first
