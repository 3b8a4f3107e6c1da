"""`python -m payment_agent start`: validate the configuration, then run the worker.

The configuration is read in every process (the worker and each job's), from the environment
over `agent/.env.local`; a problem stops the worker at start with every problem named.
"""

from __future__ import annotations

import logging
import os
import sys

from dotenv import load_dotenv
from livekit.agents import JobContext, cli

from .config import AgentConfig, ConfigError, load_config
from .worker import agent_dir, production_dependencies, with_webhook_client, worker_options

logger = logging.getLogger("payment_agent")


def configuration() -> AgentConfig:
    load_dotenv(os.path.join(agent_dir(), ".env.local"), override=False)
    return load_config(os.environ)


async def entrypoint(ctx: JobContext) -> None:
    config = configuration()
    await with_webhook_client(config, ctx, lambda webhooks: production_dependencies(config, webhooks))


def main() -> None:
    try:
        config = configuration()
    except ConfigError as error:
        print(f"payment-agent: {error}", file=sys.stderr)
        sys.exit(2)
    if len(sys.argv) == 1:
        sys.argv.append("start")
    cli.run_app(worker_options(config, entrypoint))


if __name__ == "__main__":
    main()
