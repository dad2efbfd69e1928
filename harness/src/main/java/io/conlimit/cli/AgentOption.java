package io.conlimit.cli;

import picocli.CommandLine.Option;

/** {@code --agent HOST:PORT}: the conlimit agent on the server's machine, for run, sysinfo and fleet k8s (a mixin: one declaration). */
final class AgentOption {
    @Option(names = "--agent", paramLabel = "HOST:PORT",
            description = "A conlimit agent on the server's machine: its kernel is read instead of this machine's (for run: the "
                    + "accept queue and drop counters beside the run; for shards: also the clock they align on).")
    String agent;
}
