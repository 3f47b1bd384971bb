"""Settings from the environment, in one place, failing loudly on bad values.

Every knob a deployment can turn is read here; nothing else in the project reads os.environ
(except the pipeline, which takes its options as arguments).
"""

from __future__ import annotations

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ImproperlyConfiguredEnv(RuntimeError):
    """A required variable is missing or has a value we cannot read."""


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None:
        if required:
            raise ImproperlyConfiguredEnv(f"{name} must be set in the environment")
        return default or ""
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfiguredEnv(f"{name} must be a whole number, not {value!r}") from exc


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfiguredEnv(f"{name} must be a number, not {value!r}") from exc


def env_list(name: str, default: tuple[str, ...] = ()) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the SQLite database and other local state live (COMMSDESK_DATA_DIR, default ./var)."""
    return Path(env_str("COMMSDESK_DATA_DIR", str(Path.cwd() / "var"))).resolve()
