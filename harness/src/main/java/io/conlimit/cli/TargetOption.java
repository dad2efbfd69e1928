package io.conlimit.cli;

import picocli.CommandLine.Option;

/** {@code --target HOST:PORT}: the server to load, for run and fleet k8s (a mixin: one declaration). */
final class TargetOption {
    @Option(names = "--target", paramLabel = "HOST:PORT",
            description = "The server to load; it replaces a scenario file's target (run without FILE or --target loads an embedded blocking-pool).")
    String target;
}
