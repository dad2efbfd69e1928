package io.conlimit.cli;

import java.util.function.UnaryOperator;

/**
 * The token a client command sends to a conlimit agent: {@code --agent-token T} when given, else the environment
 * variable {@value #ENV} (so that a scenario's {@code target.agent}, a script or a compose file need not put the token
 * on the command line). The agent itself takes its {@code --token} from the same variable.
 */
final class AgentTokens {
    /** The environment variable both sides read. */
    static final String ENV = "CONLIMIT_AGENT_TOKEN";

    /** Where environment variables come from: System.getenv, replaced in tests. */
    static UnaryOperator<String> environment = System::getenv;

    private AgentTokens() {
    }

    /** {@code flag} when given, else a non-empty {@value #ENV}, else null (no token). */
    static String resolve(String flag) {
        if (flag != null) {
            return flag;
        }
        String v = environment.apply(ENV);
        return v == null || v.isEmpty() ? null : v;
    }
}
