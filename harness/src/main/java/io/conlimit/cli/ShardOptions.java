package io.conlimit.cli;

import io.conlimit.shard.Shard;
import io.conlimit.shard.StartAt;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code run}'s options for one shard of a fleet: which part of the load, and the common start instant. */
final class ShardOptions {
    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run the I-th of N equal parts of the load (I from 0): a burst's share, every N-th arrival of a rate "
                    + "or ramp, a hold probe's share of max-held. Default: JOB_COMPLETION_INDEX / CONLIMIT_SHARDS when both "
                    + "are set (a Kubernetes Indexed Job's pod). See docs/fleet.md.")
    String shard;

    @Option(names = "--start-at", paramLabel = "INSTANT",
            description = "Release the first phase at this ISO-8601 UTC instant, e.g. 2026-12-05T06:00:00Z (every shard the "
                    + "same): the shard records its real launch and says when it is late. Default: CONLIMIT_START_AT when set.")
    String startAt;

    /** The environment variable {@code conlimit fleet k8s} sets for the start instant. */
    static final String START_ENV = "CONLIMIT_START_AT";

    /** The shard, from --shard or the environment; null for an unsharded run. */
    Shard shard(Map<String, String> env) {
        if (shard != null) {
            return Shard.parse(shard);
        }
        return Shard.fromEnvironment(env);
    }

    /** The start instant, from --start-at or the environment; null to start at once. */
    Instant startAt(Map<String, String> env) {
        String text = startAt != null ? startAt : env.get(START_ENV);
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant i = StartAt.parse(text);
        if (i.isAfter(Instant.now().plusSeconds(StartAt.MAX_WAIT_SECONDS))) {
            throw new IllegalArgumentException("--start-at " + i + " is more than " + StartAt.MAX_WAIT_SECONDS / 3600
                    + " hours away: is the date right?");
        }
        return i;
    }

    /** The flags as given, for run.json. */
    List<String> given() {
        List<String> g = new ArrayList<>();
        if (shard != null) {
            g.addAll(List.of("--shard", shard));
        }
        if (startAt != null) {
            g.addAll(List.of("--start-at", startAt));
        }
        return g;
    }
}
