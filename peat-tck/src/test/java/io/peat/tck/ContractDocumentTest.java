package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.tck.runner.ClauseId;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * CONTRACT.md and the README say what the kit does, in the kit's own words and counts: every clause
 * of the kit is listed in CONTRACT.md with its id, whether it is required, and its display name's
 * text (which CONTRACT.md may follow with detail); nothing else is listed; and the README's clause and Surefire test counts are the kit's.
 */
class ContractDocumentTest {

    private static final Pattern BULLET = Pattern.compile("^- \\*\\*([TSI]\\d+\\.\\d+) (required|optional)(?: \\([A-Z_, ]+\\))?\\*\\* (.*)$");

    /** One clause as the kit declares it. */
    private record KitClause(String id, boolean required, String text, int surefireTests) {
    }

    /** One clause as CONTRACT.md lists it. */
    private record ListedClause(String id, boolean required, String text) {
    }

    @Test
    @DisplayName("CONTRACT.md lists exactly the kit's clauses, each with its kind, beginning with its display name's text")
    void contractListsTheKitsClauses() throws IOException {
        Map<String, KitClause> kit = kitClauses(TransportTck.class);
        kit.putAll(kitClauses(InteropTck.class));
        Map<String, ListedClause> listed = listedClauses(Files.readString(moduleDir().resolve("CONTRACT.md")));

        List<String> problems = new ArrayList<>();
        for (KitClause c : kit.values()) {
            ListedClause l = listed.get(c.id());
            if (l == null) {
                problems.add(c.id() + " is in the kit but not in CONTRACT.md: " + c.text());
                continue;
            }
            if (l.required() != c.required()) {
                problems.add(c.id() + " is " + (c.required() ? "required" : "optional") + " in the kit and "
                        + (l.required() ? "required" : "optional") + " in CONTRACT.md");
            }
            if (!normalise(l.text()).startsWith(normalise(c.text()))) {
                problems.add(c.id() + " reads differently (CONTRACT.md must begin with the kit's words):\n    kit:      " + c.text()
                        + "\n    CONTRACT: " + l.text());
            }
        }
        listed.keySet().stream().filter(id -> !kit.containsKey(id))
                .forEach(id -> problems.add(id + " is in CONTRACT.md but not in the kit"));
        assertTrue(problems.isEmpty(), problems.size() + " differences between the kit and CONTRACT.md:\n" + String.join("\n", problems));
    }

    @Test
    @DisplayName("README's clause and Surefire test counts are the kit's")
    void readmeCountsAreTheKits() throws IOException {
        Map<String, KitClause> transport = kitClauses(TransportTck.class);
        int clauses = transport.size();
        int tests = transport.values().stream().mapToInt(KitClause::surefireTests).sum();
        String readme = Files.readString(moduleDir().resolveSibling("README.md"));
        String expected = clauses + " clauses, which Surefire counts as " + tests + " tests";
        assertTrue(readme.replaceAll("\\s+", " ").contains(expected),
                "README.md should say '" + expected + "' (the kit's TransportTck has " + clauses + " clauses)");
        Matcher m = Pattern.compile("(\\d+) passed, 0 failed, 0 skipped").matcher(readme);
        int checked = 0;
        while (m.find()) {
            assertEquals(clauses, Integer.parseInt(m.group(1)), "a whole green run in README.md: '" + m.group() + "'");
            checked++;
        }
        assertTrue(checked > 0, "README.md quotes no whole green run ('N passed, 0 failed, 0 skipped')");
    }

    @Test
    @DisplayName("the bullet parser reads ids, kinds and texts (so the checks above can fail)")
    void bulletParserReadsBullets() {
        Map<String, ListedClause> l = listedClauses("""
                - **T9.1 required** One line
                  and its continuation.
                - **T9.2 optional (RESET_CODE_DELIVERED)** `code` here.

                - not a clause
                """);
        assertEquals(Map.of("T9.1", new ListedClause("T9.1", true, "One line and its continuation."),
                "T9.2", new ListedClause("T9.2", false, "`code` here.")), l);
        assertEquals(normalise("one line and its continuation"), normalise(l.get("T9.1").text()));
    }

    private static Map<String, KitClause> kitClauses(Class<?> kit) {
        Map<String, KitClause> clauses = new TreeMap<>();
        for (Method m : kit.getMethods()) {
            DisplayName name = m.getAnnotation(DisplayName.class);
            if (name == null) {
                continue;
            }
            ClauseId id = ClauseId.fromMethodName(m.getName()).orElse(null);
            if (id == null) {
                continue;
            }
            String idText = id.toString();
            String text = name.value();
            assertTrue(text.startsWith(idText + " "), m.getName() + ": display name does not start with " + idText + ": " + text);
            clauses.put(idText, new KitClause(idText, m.getName().startsWith("required_"), text.substring(idText.length() + 1),
                    surefireTests(m)));
        }
        return clauses;
    }

    /** How many tests Surefire counts for a clause method: repetitions, or golden frames for S1.1. */
    private static int surefireTests(Method m) {
        RepeatedTest repeated = m.getAnnotation(RepeatedTest.class);
        if (repeated != null) {
            return repeated.value();
        }
        if (m.getAnnotation(ParameterizedTest.class) != null) {
            assertEquals("required_S1_1_everyMessageTypeEncodesToGoldenBytes", m.getName(), "a parameterized clause this test does not count");
            return (int) WireFormatClauses.goldenFrames().count();
        }
        return 1;
    }

    private static Map<String, ListedClause> listedClauses(String contract) {
        Map<String, ListedClause> listed = new TreeMap<>();
        String[] lines = contract.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = BULLET.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            StringBuilder text = new StringBuilder(m.group(3).trim());
            while (i + 1 < lines.length && lines[i + 1].startsWith("  ") && !lines[i + 1].isBlank()) {
                text.append(' ').append(lines[++i].trim());
            }
            ListedClause prev = listed.put(m.group(1), new ListedClause(m.group(1), m.group(2).equals("required"), text.toString()));
            assertEquals(null, prev, m.group(1) + " is listed twice in CONTRACT.md");
        }
        return listed;
    }

    /** Markdown and case aside, the same words: no backticks or emphasis, one space, no final period. */
    private static String normalise(String text) {
        String s = text.replace("`", "").replace("**", "").replaceAll("\\s+", " ").trim();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.toLowerCase(Locale.ROOT);
    }

    private static Path moduleDir() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("CONTRACT.md")) ? here : here.resolve("peat-tck");
    }
}
