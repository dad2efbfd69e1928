package io.conlimit.target.cli;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;

/**
 * Runs an action on SIGINT and SIGTERM instead of letting the JVM exit with 130/143, so that serve and the
 * agent can stop cleanly and exit 0. Uses sun.misc.Signal (module jdk.unsupported) by reflection; when that is
 * missing, says why and serve relies on its shutdown hook alone.
 */
public final class Signals {
    private Signals() {
    }

    /** @return empty when installed, else why not */
    public static Optional<String> onTermination(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            action.run();
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            case "toString" -> "conlimit serve signal handler";
                            default -> null;
                        };
                    });
            for (String name : List.of("INT", "TERM")) {
                Object sig = signal.getConstructor(String.class).newInstance(name);
                signal.getMethod("handle", signal, handlerType).invoke(null, sig, handler);
            }
            return Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.of("cannot handle SIGINT/SIGTERM (" + io.conlimit.text.PlainErrors.message(e) + "): a signal ends the JVM through its shutdown hook");
        }
    }
}
