package io.conlimit.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (Implementation-Version), "dev" when run from classes. */
public final class ManifestVersion implements CommandLine.IVersionProvider {
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"conlimit " + version(), "Java " + Runtime.version() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version")};
    }
}
