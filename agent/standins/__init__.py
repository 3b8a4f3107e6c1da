"""STAND-INS for the network edge the agent cannot reach here (agent/README.md, "Stand-ins"):
a simulated callee in place of the SIP leg and a scripted model in place of the speech and
model providers. Everything else (the worker, the job, the AgentSession and its tools, the
webhook client) is the production code, unchanged. Never imported by `payment_agent`."""
