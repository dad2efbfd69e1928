package io.conlimit.scenario;

import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import io.conlimit.plan.RunPlan;
import io.conlimit.plan.TargetSpec;
import io.conlimit.expect.Expectation;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Scenario YAML -> {@link Scenario}. The file is composed into snakeyaml-engine nodes (each keeps its
 * line and column), the {@code --set} overrides are applied to that tree, then every section is
 * validated; all problems are collected and thrown together as one {@link ScenarioException}.
 */
public final class ScenarioLoader {
    static final List<String> TOP_KEYS = List.of("name", "description", "target", "client", "load", "expect");

    private ScenarioLoader() {
    }

    /** Reads and validates a scenario file. @throws ScenarioException with every problem found */
    public static Scenario load(Path file, List<SetOverride> overrides) {
        String label = file.toString();
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new ScenarioException(List.of(new ScenarioError(label, 0, 0, null,
                        "cannot read the file: it is a directory (expected a scenario file, e.g. scenarios/quickstart.yaml)", null)));
            }
            text = YamlText.decode(label, readBounded(file));
        } catch (IOException e) {
            throw new ScenarioException(List.of(new ScenarioError(label, 0, 0, null,
                    "cannot read the file: " + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
                            : io.conlimit.text.PlainErrors.message(e)), null)));
        }
        return parse(label, text, overrides);
    }

    /**
     * The file's bytes, at most one more than {@link YamlText#MAX_BYTES} (so that YamlText refuses a longer one with
     * its size): a device or a pipe that never ends ({@code /dev/zero}) is never read whole.
     */
    private static byte[] readBounded(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(YamlText.MAX_BYTES + 1);
        }
    }

    /**
     * Validates scenario text.
     *
     * @param label the file name used in messages (and, without .yaml/.yml, the default name)
     */
    public static Scenario parse(String label, String yaml, List<SetOverride> overrides) {
        Problems p = new Problems(label);
        Node root;
        YamlText.checkDepth(label, yaml);
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(label).setMaxAliasesForCollections(50)
                    .setCodePointLimit(YamlText.MAX_BYTES).build();
            root = new Compose(settings).composeString(yaml).orElse(null);
        } catch (MarkedYamlEngineException e) {
            String what = "YAML syntax error: " + (e.getContext() == null ? "" : e.getContext() + ": ") + e.getProblem();
            p.at(e.getProblemMark(), 0, null, what, null);
            throw new ScenarioException(p.errors());
        } catch (YamlEngineException e) {
            p.at(java.util.Optional.empty(), 0, null, "YAML error: " + e.getMessage(), null);
            throw new ScenarioException(p.errors());
        } catch (StackOverflowError e) { // the depth check above should make this unreachable: never a Java error for input
            p.at(java.util.Optional.empty(), 0, null, "YAML nested too deeply for the parser", "a scenario file");
            throw new ScenarioException(p.errors());
        }
        root = Overrides.apply(root, overrides, p);
        Optional<Scenario> s = build(p, root, defaultName(label));
        p.throwIfAny();
        return s.orElseThrow(() -> new IllegalStateException("scenario invalid without an error reported"));
    }

    private static Optional<Scenario> build(Problems p, Node root, String defaultName) {
        if (root == null || Nodes.isNull(root)) {
            p.at(root, "", "the file is empty", "a mapping with target, load (and name, description, client, expect)");
            return Optional.empty();
        }
        if (!(root instanceof MappingNode)) {
            p.at(root, "", "got " + Nodes.describe(root), "a mapping with target, load (and name, description, client, expect)");
            return Optional.empty();
        }
        Optional<MapReader> mr = MapReader.of(p, "", root, TOP_KEYS);
        if (mr.isEmpty()) {
            return Optional.empty();
        }
        MapReader m = mr.get();
        String name = m.string("name").orElse(defaultName);
        if (m.has("name") && (name.isBlank() || name.contains("/") || name.contains("\\") || name.length() > 100)) {
            p.at(m.value("name"), "name", "'" + name + "' cannot name a results folder",
                    "a non-empty name of at most 100 characters without / or \\");
        }
        String description = m.string("description").orElse("");
        Optional<TargetReader.Result> target = Optional.empty();
        if (!m.has("target")) {
            m.missing("target", "embedded: {...}, host + port, or lab: {...}");
        } else {
            target = TargetReader.read(p, "target", m.value("target"));
        }
        String httpHost = target.map(t -> t.target() instanceof TargetSpec.External e ? e.host()
                : ((TargetSpec.Embedded) t.target()).server().bind()).orElse("localhost");
        // a lab serves one of conlimit's own targets, which greet like an embedded one
        ClientOptions clientDefaults = target.map(t -> t.lab() != null ? ClientOptions.defaults().withProbe(new Probe.Banner())
                : ClientOptions.defaults(t.target())).orElse(ClientOptions.defaults());
        Optional<ClientOptions> client = ClientReader.read(p, "client", m.has("client") ? m.value("client") : null, httpHost,
                clientDefaults);
        Optional<List<LoadPhase>> load = Optional.empty();
        if (!m.has("load")) {
            m.missing("load", "a list of phases, e.g. '- burst: 500'");
        } else {
            load = LoadReader.read(p, "load", m.value("load"));
        }
        Optional<List<Expectation>> expect = ExpectReader.read(p, "expect", m.value("expect"), load.orElse(null));
        if (!p.isEmpty() || target.isEmpty() || client.isEmpty() || load.isEmpty() || expect.isEmpty()) {
            return Optional.empty();
        }
        RunPlan plan = new RunPlan(name, target.get().target(), client.get(), load.get());
        return Optional.of(new Scenario(name, description, plan, expect.get(), target.get().lab()));
    }

    static String defaultName(String label) {
        String base = Path.of(label).getFileName() == null ? label : Path.of(label).getFileName().toString();
        return base.replaceFirst("\\.ya?ml$", "");
    }
}
