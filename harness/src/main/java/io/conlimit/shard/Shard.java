package io.conlimit.shard;

import java.util.Map;

/**
 * One of {@code count} equal parts of a run's load, numbered from 0 as Kubernetes numbers an Indexed Job's pods
 * ({@code JOB_COMPLETION_INDEX}). Shard 0 of 1 is the whole load.
 */
public record Shard(int index, int count) {
    /** The environment variable an Indexed Job sets in each pod: the pod's index, 0..completions-1. */
    public static final String INDEX_ENV = "JOB_COMPLETION_INDEX";
    /** The fleet's size, set by the manifests {@code conlimit fleet k8s} renders (Kubernetes has no such variable). */
    public static final String COUNT_ENV = "CONLIMIT_SHARDS";
    /** At most this many shards (a bound, not a measured limit: a fleet is a few to a few hundred pods). */
    public static final int MAX_COUNT = 10_000;

    public Shard {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("the number of shards must be 1.." + MAX_COUNT + ", got " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("shard index must be 0.." + (count - 1) + " for " + count + " shards, got " + index);
        }
    }

    /** "I/N", e.g. "0/4" (0-based). */
    public static Shard parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("--shard takes I/N (the I-th of N parts, I from 0), e.g. 0/4, got '" + text + "'");
        }
        try {
            return new Shard(Integer.parseInt(t.substring(0, slash).trim()), Integer.parseInt(t.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard takes I/N with whole numbers, e.g. 0/4, got '" + text + "'");
        }
    }

    /**
     * The shard an Indexed Job's pod is: {@code JOB_COMPLETION_INDEX} with {@code CONLIMIT_SHARDS}; null when
     * neither is set (an unsharded run).
     * @throws IllegalArgumentException when only one is set or either is not a number
     */
    public static Shard fromEnvironment(Map<String, String> env) {
        String i = env.get(INDEX_ENV);
        String n = env.get(COUNT_ENV);
        if (i == null && n == null) {
            return null;
        }
        if (i == null || n == null) {
            throw new IllegalArgumentException((i == null ? COUNT_ENV + " is set but " + INDEX_ENV + " is not"
                    : INDEX_ENV + " is set but " + COUNT_ENV + " is not") + ": a shard needs both (or give --shard I/N)");
        }
        return parse(i.trim() + "/" + n.trim());
    }

    /** This shard's part of {@code total} things: total/N, the first total%N shards one more. */
    public long share(long total) {
        return total / count + (index < total % count ? 1 : 0);
    }

    public boolean whole() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
