package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.conlimit.evidence.AgentClient;
import io.conlimit.kernel.KernelInfo;
import io.conlimit.kernel.SynRetrySchedule;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code conlimit sysinfo}: the settings that decide a listen-backlog experiment, and the SYN retry schedule. */
@Command(name = "sysinfo",
        mixinStandardHelpOptions = true,
        description = {
                "Shows the settings that decide a backlog experiment, and the SYN retry schedule.",
                "Reads this side (this process's network namespace) or an agent's side: kernel version, somaxconn,",
                "tcp_max_syn_backlog, syncookies, tcp_abort_on_overflow, SYN retries, linear timeouts, port range, tcp_tw_reuse, open-file limit;",
                "and the SYN retry schedule those sysctls produce (when a client retransmits, when connect() fails)."})
public final class SysinfoCommand implements Callable<Integer> {
    @CommandLine.Mixin
    AgentOption agentOption = new AgentOption();

    @CommandLine.Mixin
    AgentTokenOption agentTokenOption = new AgentTokenOption();

    /** The old name of --agent-token, kept working. */
    @Option(names = "--token", paramLabel = "T", hidden = true)
    String token;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> info;
        String side;
        if (agentOption.agent != null) {
            side = "agent " + agentOption.agent;
            try {
                info = AgentClient.builder(agentOption.agent).token(AgentTokens.resolve(agentTokenOption.agentToken != null ? agentTokenOption.agentToken : token)).build().sysinfo();
            } catch (IOException e) {
                spec.commandLine().getErr().println("conlimit sysinfo: " + e.getMessage());
                return ExitCodes.RUN_INCOMPLETE;
            }
        } else {
            side = "local (this process's network namespace)";
            info = new LinkedHashMap<>(KernelInfo.collect().toMap());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> sysctls = (Map<String, Object>) info.getOrDefault("sysctls", Map.of());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("side", side);
        result.put("kernel_version", info.get("kernel_version"));
        result.put("sysctls", sysctls);
        result.put("open_files_limit", info.get("open_files_limit"));
        String scheduleError = null;
        SynRetrySchedule schedule = null;
        try {
            schedule = SynRetrySchedule.fromSysctlMap(sysctls);
            result.put("syn_retry_schedule", schedule.toMap());
        } catch (IllegalArgumentException e) {
            scheduleError = e.getMessage();
            result.put("syn_retry_schedule", Map.of("error", scheduleError));
        }
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
            return ExitCodes.OK;
        }
        out.println("conlimit sysinfo: " + side);
        row(out, "kernel", String.valueOf(info.get("kernel_version")));
        for (Map.Entry<String, Object> e : sysctls.entrySet()) {
            row(out, e.getKey(), String.valueOf(e.getValue()));
        }
        Object files = info.get("open_files_limit");
        if (files instanceof Map<?, ?> f) {
            row(out, "open files (soft / hard)", f.get("soft") + " / " + f.get("hard"));
        }
        out.println();
        if (schedule != null) {
            out.println(schedule.describe());
            out.println("A client here whose SYNs are dropped (full accept queue, firewall) sees connect() latencies cluster at");
            out.println("these times (plus the RTT), and ETIMEDOUT at the last one unless its own timeout ends it sooner.");
        } else {
            out.println("SYN retry schedule unknown: " + scheduleError);
        }
        return ExitCodes.OK;
    }

    private static void row(PrintWriter out, String name, String value) {
        out.println(String.format("  %-34s %s", name, value));
    }
}
