package io.conlimit.util;

/** conlimit's version from the jar's manifest (Implementation-Version), "dev" when run from classes. */
public final class BuildVersion {
    private BuildVersion() {
    }

    public static String version() {
        String v = BuildVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
