package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportDiscovery;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * T1 provider (CONTRACT.md): the transport's {@link SyncTransportProvider} is registered for
 * {@link java.util.ServiceLoader} on the class path and the module path, can be instantiated, and
 * names itself uniquely and stably without throwing.
 */
public interface ProviderClauses extends TckSupport {

    /** The service file a provider must be listed in. */
    String SERVICE_FILE = "META-INF/services/" + SyncTransportProvider.class.getName();

    @Test
    @DisplayName("T1.1 The provider is registered in META-INF/services/io.peat.spi.SyncTransportProvider and, when its jar has a"
            + " module-info, the module provides the same class")
    default void required_T1_1_providerIsRegisteredAsAService() throws Exception {
        Class<?> type = fixture().provider().getClass();
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            fail("provider class " + type.getName() + " has no code source, so the kit cannot find the jar or directory that"
                    + " should register it in " + SERVICE_FILE);
        }
        Path location = Path.of(source.getLocation().toURI());

        List<String> listed = serviceEntries(location);
        if (listed == null) {
            fail(location + " (where " + type.getName() + " was loaded from) has no " + SERVICE_FILE + "; add it, listing "
                    + type.getName());
        }
        assertTrue(listed.contains(type.getName()), SERVICE_FILE + " in " + location + " lists " + listed + " but not the provider "
                + type.getName());

        if (!hasModuleInfo(location)) {
            return;
        }
        Set<ModuleReference> modules = ModuleFinder.of(location).findAll();
        assertEquals(1, modules.size(), location + " has a module-info.class but the module finder sees " + modules.size()
                + " modules there");
        ModuleDescriptor descriptor = modules.iterator().next().descriptor();
        List<String> providers = descriptor.provides().stream()
                .filter(p -> p.service().equals(SyncTransportProvider.class.getName()))
                .flatMap(p -> p.providers().stream()).toList();
        assertTrue(providers.contains(type.getName()), "module " + descriptor.name() + " (" + location + ") does not declare"
                + " 'provides " + SyncTransportProvider.class.getName() + " with " + type.getName() + "': it provides "
                + (providers.isEmpty() ? "no SyncTransportProvider" : providers) + ", so the provider is invisible on the"
                + " module path");
    }

    @Test
    @DisplayName("T1.2 The provider class is public with a public no-argument constructor")
    default void required_T1_2_providerIsPublicWithNoArgConstructor() throws Exception {
        Class<?> type = fixture().provider().getClass();
        assertTrue(Modifier.isPublic(type.getModifiers()), "provider class " + type.getName() + " is not public;"
                + " ServiceLoader cannot instantiate it");
        assertFalse(Modifier.isAbstract(type.getModifiers()), "provider class " + type.getName() + " is abstract");
        if (type.getEnclosingClass() != null) {
            assertTrue(Modifier.isStatic(type.getModifiers()), "provider class " + type.getName() + " is an inner class;"
                    + " make it static or top-level");
        }
        Constructor<?> ctor;
        try {
            ctor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new AssertionError("provider class " + type.getName() + " has no public no-argument constructor;"
                    + " ServiceLoader needs one", e);
        }
        Object instance = ctor.newInstance();
        assertTrue(instance instanceof SyncTransportProvider, "a new " + type.getName() + " is not a SyncTransportProvider");
    }

    @Test
    @DisplayName("T1.3 name() is non-blank, stable (the same on every call and every instance) and unique among the providers on"
            + " the class path")
    default void required_T1_3_nameIsNonBlankStableAndUnique() throws Exception {
        SyncTransportProvider provider = fixture().provider();
        Class<?> type = provider.getClass();
        String name = provider.name();
        assertTrue(name != null && !name.isBlank(), "provider " + type.getName() + " has a blank name(): '" + name + "'");
        for (int i = 0; i < 3; i++) {
            assertEquals(name, provider.name(), "provider " + type.getName() + " changed its name() between calls");
        }
        for (int i = 0; i < 2; i++) {
            SyncTransportProvider fresh = (SyncTransportProvider) type.getConstructor().newInstance();
            assertEquals(name, fresh.name(), "a fresh " + type.getName() + " (new instance " + (i + 1) + ") names itself '"
                    + fresh.name() + "', the fixture's provider '" + name + "'");
        }

        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : type.getClassLoader();
        List<SyncTransportProvider> found = TransportDiscovery.load(loader);
        assertTrue(found.stream().anyMatch(p -> p.getClass().getName().equals(type.getName())), "TransportDiscovery.load finds "
                + classes(found) + " on the class path, not the provider under test " + type.getName());
        List<String> clashes = new ArrayList<>();
        for (SyncTransportProvider p : found) {
            String other;
            try {
                other = p.name();
            } catch (RuntimeException e) {
                continue; // another provider's fault, not this one's (TransportDiscovery skips it too)
            }
            if (name.equals(other) && !p.getClass().getName().equals(type.getName())) {
                clashes.add(p.getClass().getName());
            }
        }
        assertTrue(clashes.isEmpty(), "name '" + name + "' of " + type.getName() + " is also the name of " + clashes
                + " on the class path; provider names must be unique");
    }

    @Test
    @DisplayName("T1.4 name(), priority(), network() and isAvailable() never throw, network() is never null, and"
            + " isAvailable() is true where the kit runs")
    default void required_T1_4_probesNeverThrowAndProviderIsAvailable() throws Exception {
        SyncTransportProvider provider = fixture().provider();
        SyncTransportProvider fresh = (SyncTransportProvider) provider.getClass().getConstructor().newInstance();
        for (SyncTransportProvider p : List.of(provider, fresh)) {
            assertTrue(probe(p, "on the test thread"), "isAvailable() of " + p.getClass().getName() + " is false where the kit"
                    + " runs; the kit needs an available transport");
            CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> probe(p, "on another thread"));
            assertTrue(StreamIo.done(other, "probing the provider on another thread"), "isAvailable() of "
                    + p.getClass().getName() + " is false on another thread");
        }
    }

    private static boolean probe(SyncTransportProvider p, String where) {
        String type = p.getClass().getName();
        try {
            p.name();
        } catch (RuntimeException | LinkageError e) {
            throw new AssertionError("name() of " + type + " threw " + where + ": " + e, e);
        }
        try {
            p.priority();
        } catch (RuntimeException | LinkageError e) {
            throw new AssertionError("priority() of " + type + " threw " + where + ": " + e, e);
        }
        try {
            if (p.network() == null) {
                throw new AssertionError("network() of " + type + " returned null " + where + "; return TransportNetwork.OTHER"
                        + " (the default) when the network is none of the others");
            }
        } catch (RuntimeException | LinkageError e) {
            throw new AssertionError("network() of " + type + " threw " + where + ": " + e, e);
        }
        try {
            return p.isAvailable();
        } catch (RuntimeException | LinkageError e) {
            throw new AssertionError("isAvailable() of " + type + " threw " + where + ": " + e, e);
        }
    }

    private static List<String> classes(List<SyncTransportProvider> providers) {
        return providers.stream().map(p -> p.getClass().getName()).toList();
    }

    /** @return the provider class names listed in the service file at {@code location}, or null when it has none */
    private static List<String> serviceEntries(Path location) throws IOException {
        String text;
        if (Files.isDirectory(location)) {
            Path file = location.resolve(SERVICE_FILE);
            if (!Files.isRegularFile(file)) {
                return null;
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                ZipEntry e = jar.getEntry(SERVICE_FILE);
                if (e == null) {
                    return null;
                }
                try (InputStream in = jar.getInputStream(e)) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (String line : text.split("\\R")) {
            int hash = line.indexOf('#');
            String name = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /** @return true when the jar or directory has a module-info.class (at its root or as a multi-release version) */
    private static boolean hasModuleInfo(Path location) throws IOException {
        if (Files.isDirectory(location)) {
            return Files.isRegularFile(location.resolve("module-info.class"));
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            return jar.getEntry("module-info.class") != null
                    || jar.stream().anyMatch(e -> e.getName().startsWith("META-INF/versions/") && e.getName().endsWith("/module-info.class"));
        }
    }
}
