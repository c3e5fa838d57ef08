"""The ``[kernel] encryption`` setting: a wrong value is reported, the default kept."""

from __future__ import annotations

from tkconsole.models.settings import settings_from_dict


def test_encryption_setting_is_checked():
    got = settings_from_dict({"kernel": {"encryption": "maybe"}})
    assert got.kernel.encryption == "auto"
    assert "must be one of auto, required, off" in got.warnings[0]
