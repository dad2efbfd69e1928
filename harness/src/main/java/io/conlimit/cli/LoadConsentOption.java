package io.conlimit.cli;

import io.conlimit.run.LoadConsent;
import picocli.CommandLine.Option;

/** {@code --i-own-the-target}: consent to load a target that is not on this machine (docs/run.md#load-safety). */
final class LoadConsentOption {
    @Option(names = LoadConsent.FLAG,
            description = "Consent to send more than " + LoadConsent.SMALL_LOAD + " connections to a target that is not on "
                    + "this machine (one of its addresses, a container or namespace of this kernel): you own it or may load it.")
    boolean consent;

    LoadConsent observer() {
        return new LoadConsent(consent);
    }
}
