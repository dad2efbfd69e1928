package io.conlimit.cli;

import picocli.CommandLine.Option;

/** {@code --agent-token T}: what a client command sends to the agent (see {@link AgentTokens}), for run and sysinfo. */
final class AgentTokenOption {
    @Option(names = "--agent-token", paramLabel = "T",
            description = "The agent's token (the one it was started with), sent as 'Authorization: Bearer T' (default: the environment variable "
                    + "CONLIMIT_AGENT_TOKEN, when an agent is used).")
    String agentToken;
}
