package io.conlimit.record;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a child JVM by {@link ShutdownHookTest}: records 100 connections, says where, then idles until it
 * is terminated (at most 60 s). It never calls finish() or close(): only the shutdown hook can.
 */
public final class ShutdownHookChild {
    public static void main(String[] args) throws Exception {
        RunRecording rec = RunRecording.start(Synthetic.options(Path.of(args[0]), "killed", 1000, false,
                new ByteArrayOutputStream(), false), Duration.ofMillis(100));
        for (long id = 0; id < 100; id++) {
            Synthetic.feed(rec, id);
        }
        System.out.println(rec.folder());
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(60_000);
        System.exit(4);
    }
}
