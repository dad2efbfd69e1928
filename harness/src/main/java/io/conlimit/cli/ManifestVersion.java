package io.conlimit.cli;

import io.conlimit.util.BuildVersion;
import picocli.CommandLine;

/** picocli's {@code --version}: conlimit's version from the jar's manifest, the Java runtime and the OS. */
public final class ManifestVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"conlimit " + BuildVersion.version(), "Java " + Runtime.version() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version")};
    }
}
