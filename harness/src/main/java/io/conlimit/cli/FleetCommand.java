package io.conlimit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code conlimit fleet}: a fleet of shards on other machines (today: Kubernetes). */
@Command(name = "fleet",
        mixinStandardHelpOptions = true,
        subcommands = {FleetK8sCommand.class},
        description = {"A load from several client machines at once: N shards of one scenario, started together, merged "
                + "into one result (docs/fleet.md).", "", "Exit codes: 0 ok, 2 usage or configuration error."})
public final class FleetCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "conlimit fleet needs a subcommand: k8s");
    }
}
