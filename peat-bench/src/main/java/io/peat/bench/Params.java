package io.peat.bench;

import java.util.Map;

/** Typed reads of a trial's string parameters, with a message naming the missing or bad one. */
final class Params {
    private final Map<String, String> values;

    Params(Map<String, String> values) {
        this.values = values;
    }

    String string(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("trial parameter '" + key + "' is missing (have " + values.keySet() + ")");
        }
        return v;
    }

    long number(String key) {
        try {
            return Long.parseLong(string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("trial parameter '" + key + "' is not a whole number: " + values.get(key), e);
        }
    }

    int integer(String key) {
        return Math.toIntExact(number(key));
    }
}
