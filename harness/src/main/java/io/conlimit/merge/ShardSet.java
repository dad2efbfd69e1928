package io.conlimit.merge;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The shards of one fleet run, checked: the same scenario (name, whole load), the same N, each index 0..N-1
 * exactly once. Sorted by index; the merged epoch is the earliest shard's.
 */
record ShardSet(List<ShardFolder> shards, long epochUnixNanos) {

    /** @throws MergeException with a plain sentence when the folders are not one fleet's shards */
    static ShardSet load(List<Path> folders) {
        if (folders.isEmpty()) {
            throw new MergeException("no shard folders given");
        }
        List<ShardFolder> list = new ArrayList<>();
        for (Path p : folders) {
            list.add(ShardFolder.load(p));
        }
        ShardFolder first = list.get(0);
        int n = first.count();
        for (ShardFolder s : list) {
            if (s.count() != n) {
                throw new MergeException(s.folder() + " is shard " + s.index() + " of " + s.count() + " but " + first.folder()
                        + " is shard " + first.index() + " of " + n + ": not the same fleet");
            }
            if (!s.summary().path("name").asText().equals(first.summary().path("name").asText())) {
                throw new MergeException(s.folder() + " ran '" + s.summary().path("name").asText() + "' but " + first.folder()
                        + " ran '" + first.summary().path("name").asText() + "': not the same scenario");
            }
            if (!Objects.equals(s.shard().get("whole_phases"), first.shard().get("whole_phases"))) {
                throw new MergeException(s.folder() + " and " + first.folder() + " split different loads (summary.json "
                        + "shard.whole_phases differ): not the same scenario");
            }
            if (!Objects.equals(s.shard().get("start_at"), first.shard().get("start_at"))) {
                throw new MergeException(s.folder() + " started at " + text(s.shard().get("start_at")) + " but " + first.folder()
                        + " at " + text(first.shard().get("start_at")) + ": not the same fleet run");
            }
        }
        ShardFolder[] byIndex = new ShardFolder[n];
        for (ShardFolder s : list) {
            if (s.index() < 0 || s.index() >= n) {
                throw new MergeException(s.folder() + ": shard index " + s.index() + " is not 0.." + (n - 1));
            }
            if (byIndex[s.index()] != null) {
                throw new MergeException(s.folder() + " and " + byIndex[s.index()].folder() + " are both shard " + s.index()
                        + " of " + n);
            }
            byIndex[s.index()] = s;
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (byIndex[i] == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new MergeException("shard" + (missing.size() == 1 ? " " : "s ") + missing + " of " + n + " missing: give all "
                    + n + " shard folders (a merged result without them would undercount the load)");
        }
        List<ShardFolder> sorted = List.of(byIndex);
        long epoch = sorted.stream().min(Comparator.comparingLong(ShardFolder::epochUnixNanos)).orElseThrow().epochUnixNanos();
        return new ShardSet(sorted, epoch);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "once (no --start-at)" : n.asText();
    }

    /** A shard's epoch after the merged epoch, ns (>= 0): add to its record times to align them. */
    long offsetNanos(ShardFolder s) {
        return s.epochUnixNanos() - epochUnixNanos;
    }

    int count() {
        return shards.size();
    }
}
