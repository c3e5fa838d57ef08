"""Pure pieces of the transport: the restart policy, error lines, kernel parameters."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tkconsole.kernel.base import RestartPolicy
from tkconsole.kernel.connection import declares_curve
from tkconsole.kernel.server import AuthError, Refused, ServerClient
from tkconsole.models.target import parse_env


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_restart_policy_allows_the_limit_within_the_window_then_again_later():
    clock = Clock()
    policy = RestartPolicy(limit=3, window=60.0, clock=clock)
    assert [policy.allow() for _ in range(4)] == [True, True, True, False]
    clock.now = 30.0
    assert not policy.allow()  # refusals do not count, the window still holds three
    clock.now = 61.0
    assert policy.allow()


@given(st.lists(st.floats(min_value=0, max_value=5, allow_nan=False), max_size=60))
def test_restart_policy_never_allows_more_than_the_limit_in_any_window(gaps):
    clock = Clock()
    policy = RestartPolicy(limit=5, window=60.0, clock=clock)
    allowed = []
    for gap in gaps:
        clock.now += gap
        if policy.allow():
            allowed.append(clock.now)
    for i, start in enumerate(allowed):
        assert sum(1 for t in allowed[i:] if t - start <= 60.0) <= 5


def body(**fields: str) -> bytes:
    return json.dumps(fields).encode()


def test_gateway_refusals_are_not_mistaken_for_a_bad_token():
    client = ServerClient("http://127.0.0.1:1/", "t")
    limit = client.http_error(403, "api/kernels", body(message="Resource Limit"))
    assert isinstance(limit, Refused) and "runs as many kernels as it allows" in str(limit)
    user = client.http_error(
        403, "api/kernels", body(reason="User 'x' is not authorized. Ensure KERNEL_USERNAME is")
    )
    assert isinstance(user, Refused) and "User 'x' is not authorized" in str(user)
    xsrf = client.http_error(403, "api/kernels", body(message="'_xsrf' argument missing"))
    assert isinstance(xsrf, AuthError)  # Jupyter Server's answer to a bad token
    bad_env = client.http_error(400, "api/kernels", body(message="Environment variable 'K' x"))
    assert str(bad_env).endswith("refused to start the kernel: Environment variable 'K' x")


def test_kernel_env_pairs():
    assert parse_env(["KERNEL_USERNAME=me", "KERNEL_X=a=b c", "KERNEL_EMPTY="]) == {
        "KERNEL_USERNAME": "me",
        "KERNEL_X": "a=b c",
        "KERNEL_EMPTY": "",
    }
    with pytest.raises(ValueError, match="needs NAME=VALUE"):
        parse_env(["KERNEL_USERNAME"])


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"supported_encryption": ["curve"]}, True),
        ({"supported_encryption": "Curve"}, True),
        ({"supported_encryption": ["other"]}, False),
        ({"debugger": True}, False),
        ({"supported_encryption": 3}, False),
    ],
)
def test_kernelspec_declares_curve(metadata, expected):
    from jupyter_client.kernelspec import KernelSpec

    assert declares_curve(KernelSpec(argv=["x"], metadata=metadata)) is expected
