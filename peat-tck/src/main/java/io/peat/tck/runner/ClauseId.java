package io.peat.tck.runner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A clause id such as {@code T3.1} or {@code S2}: a part letter and numbers. Ordered as in
 * CONTRACT.md: part T before part S (other letters after, alphabetically), then numerically
 * ({@code T3.2} before {@code T3.10}). Immutable.
 *
 * @param part the part letter, upper case
 * @param numbers the numbers after it, at least one
 */
public record ClauseId(char part, List<Integer> numbers) implements Comparable<ClauseId> {

    private static final Pattern IN_DISPLAY_NAME = Pattern.compile("^\\s*([A-Za-z])(\\d+(?:\\.\\d+)*)(?=\\s|$|:)");
    private static final Pattern IN_METHOD_NAME = Pattern.compile("^(?:required|optional)_([A-Za-z])(\\d+(?:_\\d+)*)(?=_|$)");
    private static final Pattern SELECTION = Pattern.compile("^([A-Za-z])(\\d+(?:\\.\\d+)*)?$");

    /** Copies the numbers. */
    public ClauseId {
        part = Character.toUpperCase(part);
        numbers = List.copyOf(numbers);
    }

    /**
     * @param displayName a test's display name, e.g. {@code "S2.1 DeltaSync reaches ..."}
     * @return the clause id it starts with
     */
    public static Optional<ClauseId> fromDisplayName(String displayName) {
        Matcher m = IN_DISPLAY_NAME.matcher(displayName);
        return m.find() ? Optional.of(of(m.group(1).charAt(0), m.group(2).split("\\."))) : Optional.empty();
    }

    /**
     * @param methodName a test method's name, e.g. {@code "required_S2_1_deltaSync..."}
     * @return the clause id it carries
     */
    public static Optional<ClauseId> fromMethodName(String methodName) {
        Matcher m = IN_METHOD_NAME.matcher(methodName);
        return m.find() ? Optional.of(of(m.group(1).charAt(0), m.group(2).split("_"))) : Optional.empty();
    }

    /**
     * @param text a selection as given to {@code --select}: {@code T3.1}, {@code S2} or {@code T}
     * @return the selection, as a clause id with possibly no numbers
     * @throws IllegalArgumentException when it is not of that form
     */
    public static ClauseId parseSelection(String text) {
        Matcher m = SELECTION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a clause: give e.g. T3.1, S2 or T");
        }
        char part = m.group(1).charAt(0);
        return m.group(2) == null ? new ClauseId(part, List.of()) : of(part, m.group(2).split("\\."));
    }

    private static ClauseId of(char part, String[] digits) {
        List<Integer> n = new ArrayList<>(digits.length);
        for (String d : digits) {
            n.add(Integer.parseInt(d));
        }
        return new ClauseId(part, n);
    }

    /**
     * @param selection a selection ({@link #parseSelection})
     * @return whether this clause is the selection or lies under it ({@code S2.1} under {@code S2})
     */
    public boolean isUnder(ClauseId selection) {
        return part == selection.part && numbers.size() >= selection.numbers.size()
                && numbers.subList(0, selection.numbers.size()).equals(selection.numbers);
    }

    private int partRank() {
        return switch (part) {
            case 'T' -> 0;
            case 'S' -> 1;
            default -> 2 + part;
        };
    }

    @Override
    public int compareTo(ClauseId o) {
        int c = Integer.compare(partRank(), o.partRank());
        for (int i = 0; c == 0 && i < Math.min(numbers.size(), o.numbers.size()); i++) {
            c = Integer.compare(numbers.get(i), o.numbers.get(i));
        }
        return c != 0 ? c : Integer.compare(numbers.size(), o.numbers.size());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(part);
        for (int i = 0; i < numbers.size(); i++) {
            sb.append(i == 0 ? "" : ".").append(numbers.get(i));
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    /** @return the ids, sorted */
    static List<ClauseId> sorted(List<ClauseId> ids) {
        List<ClauseId> s = new ArrayList<>(ids);
        Collections.sort(s);
        return s;
    }
}
