package io.peat.tck.selftest;

import io.peat.tck.TransportTck;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Finds the kit's clauses by reflection over the clause groups (interfaces) {@link TransportTck} implements. */
final class KitClauses {
    private KitClauses() {
    }

    /**
     * @param prefix the start of the clause method names, e.g. {@code required_T3_2_}
     * @return the clause methods whose names start with it, by name; empty when none is written yet
     */
    static List<Method> named(String prefix) {
        List<Method> found = new ArrayList<>();
        for (Class<?> group : TransportTck.class.getInterfaces()) {
            for (Method m : group.getDeclaredMethods()) {
                if (m.isDefault() && m.getName().startsWith(prefix)) {
                    found.add(m);
                }
            }
        }
        found.sort(Comparator.comparing(Method::getName));
        return found;
    }
}
