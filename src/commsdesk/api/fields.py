"""Parameter types shared by the routers: record ids a database can hold, text without NUL
characters (PostgreSQL refuses them), page numbers an offset can hold, and form data."""

from __future__ import annotations

from typing import Annotated

from ninja import Path, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, Field

MAX_ID = 2**63 - 1  # the largest BigAutoField: a larger id is a 422, not a database overflow


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Id = Annotated[int, Path(ge=1, le=MAX_ID, examples=[1])]
OptionalId = Annotated[int | None, Field(None, ge=1, le=MAX_ID)]
IdItem = Annotated[int, Field(ge=1, le=MAX_ID)]  # an id inside a list


def form_data(values: dict, *, joined: tuple[str, ...] = ()) -> dict:
    """Schema values as the web form posts them: the `joined` lists as comma-separated text (the
    form's code and tag fields read text), None as an empty field."""
    data = {}
    for name, value in values.items():
        if value is None:
            data[name] = ""
        elif name in joined:
            data[name] = ", ".join(value)
        else:
            data[name] = value
    return data


class Pages(PageNumberPagination):
    """ninja's page-number pagination with a page number a database offset can hold."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=100, description="At most 100; default 100")
