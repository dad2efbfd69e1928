package io.conlimit.lab;

/**
 * A child JVM that creates a lab (server somaxconn 128), prints {@code lab-ready <srv-ns> <cli-ns>} and
 * waits for stdin to close, 120 s at most: the tests kill it (SIGKILL: leftovers for LabCleaner) or stop
 * it (SIGTERM: the shutdown hook must remove the lab).
 */
public final class LabTestHolder {
    private LabTestHolder() {
    }

    public static void main(String[] args) throws Exception {
        LabNetwork lab = LabNetwork.create(LabSpec.builder().runId(args[0])
                .serverSysctl("net.core.somaxconn", "128").build());
        System.out.println("lab-ready " + lab.server().name() + " " + lab.client().name());
        System.out.flush();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(120_000); // bounded lifetime if the test never ends us
            } catch (InterruptedException e) {
                return;
            }
            System.exit(4);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        while (System.in.read() >= 0) {
            // wait for end of input
        }
        lab.close();
    }
}
