package io.conlimit.target.servers;

import io.conlimit.target.BacklogReport;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerStats;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The machine-parsable lines a server prints. Keys and their order are a contract other tools parse:
 * <pre>serving kind=K address=H:P workers=W queue=Q backlog.requested=R backlog.passed=N
 * backlog.effective=E|unknown backlog.source=ss|unavailable somaxconn=S|unknown hold=HOLD stats=H:P|none</pre>
 * (one line), and on stop
 * <pre>stopped kind=K address=H:P accepted=A in_service=I served=S closed=C queued=Q</pre>
 */
public final class StartLine {
    private StartLine() {
    }

    public static String serving(ServerConfig config, InetSocketAddress address, int workersShown, BacklogReport b,
                                 Optional<InetSocketAddress> stats) {
        return "serving kind=" + config.kind().cliName()
                + " address=" + Addresses.format(address)
                + " workers=" + workersShown
                + " queue=" + config.queue()
                + " backlog.requested=" + b.requested()
                + " backlog.passed=" + b.passed()
                + " backlog.effective=" + (b.effective() < 0 ? "unknown" : Integer.toString(b.effective()))
                + " backlog.source=" + (b.effective() < 0 ? "unavailable" : "ss")
                + " somaxconn=" + (b.somaxconn() < 0 ? "unknown" : Integer.toString(b.somaxconn()))
                + " hold=" + config.hold()
                + " stats=" + stats.map(Addresses::format).orElse("none");
    }

    public static String stopped(ServerConfig config, InetSocketAddress address, ServerStats s) {
        return "stopped kind=" + config.kind().cliName()
                + " address=" + Addresses.format(address)
                + " accepted=" + s.accepted()
                + " in_service=" + s.inService()
                + " served=" + s.served()
                + " closed=" + s.closed()
                + " queued=" + s.queued();
    }
}
