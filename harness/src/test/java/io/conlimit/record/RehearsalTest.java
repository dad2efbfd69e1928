package io.conlimit.record;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RehearsalTest {
    private static List<Path> scratchFolders() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("conlimit-rehearsal")).toList();
        }
    }

    @Test
    void leavesNoScratchFolderBehind() throws IOException {
        List<Path> before = scratchFolders();
        Rehearsal.run(1_000_000);
        Rehearsal.run(0); // every start late: one cluster over the whole rehearsal
        Rehearsal.run(Long.MAX_VALUE); // no start late
        assertEquals(before, scratchFolders());
    }
}
