"""An Enterprise Gateway process proxy whose kernels take a while to come up.

Loaded by the Enterprise Gateway under test (its own venv), through the
``process_proxy`` stanza of a kernelspec, as a cluster's proxy would be: the
gateway answers ``POST /api/kernels`` only once the kernel is launched, so
a client waits as it would for a kernel scheduled on a busy cluster.
"""

from __future__ import annotations

import asyncio
import os

from enterprise_gateway.services.processproxies.processproxy import LocalProcessProxy


class SlowProcessProxy(LocalProcessProxy):
    async def launch_process(self, kernel_cmd, **kwargs):
        await asyncio.sleep(float(os.environ.get("SLOW_LAUNCH_SECONDS", "3")))
        return await super().launch_process(kernel_cmd, **kwargs)
