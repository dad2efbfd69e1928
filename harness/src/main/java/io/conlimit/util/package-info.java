/**
 * The leaf package: helpers every layer may use and that import no other conlimit package (the exit codes, the
 * build's version, "did you mean" suggestions). The layer order is in LayersTest and README.md#layout.
 */
package io.conlimit.util;
