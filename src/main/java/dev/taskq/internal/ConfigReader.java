package dev.taskq.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** Where settings come from: MicroProfile Config when the server has it, else system properties, else env. */
@FunctionalInterface
public interface ConfigReader {

    /** The application's own settings file, read last. */
    String APPLICATION_PROPERTIES = "META-INF/taskq.properties";

    /**
     * @param key a setting such as {@code taskq.worker.threads}
     * @return its value, if set
     */
    Optional<String> get(String key);

    /** @return settings from a map (tests, the benchmark) */
    static ConfigReader of(Map<String, String> values) {
        return key -> Optional.ofNullable(values.get(key));
    }

    /**
     * @return system properties, then environment variables named as MicroProfile Config does
     *         ({@code taskq.worker.threads} is {@code TASKQ_WORKER_THREADS})
     */
    static ConfigReader systemPropertiesAndEnvironment() {
        return key -> Optional.ofNullable(System.getProperty(key))
                .or(() -> Optional.ofNullable(System.getenv(key.replaceAll("[^A-Za-z0-9]", "_")
                        .toUpperCase(Locale.ROOT))));
    }

    /**
     * @param classLoader the application's class loader
     * @return the settings in the application's {@code META-INF/taskq.properties}, if it has one
     */
    static ConfigReader applicationProperties(ClassLoader classLoader) {
        Properties properties = new Properties();
        try (InputStream in = classLoader.getResourceAsStream(APPLICATION_PROPERTIES)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + APPLICATION_PROPERTIES, e);
        }
        return key -> Optional.ofNullable(properties.getProperty(key));
    }

    /** @return this reader, then {@code next} for the keys this one lacks */
    default ConfigReader orElse(ConfigReader next) {
        return key -> get(key).or(() -> next.get(key));
    }

    /**
     * Where a server application's settings come from, first match wins: MicroProfile Config (when the server
     * has it), system properties, environment variables, then the application's {@code META-INF/taskq.properties}.
     *
     * @param classLoader the application's class loader
     * @return the reader
     */
    static ConfigReader forApplication(ClassLoader classLoader) {
        return microProfileOr(systemPropertiesAndEnvironment()).orElse(applicationProperties(classLoader));
    }

    /** @return MicroProfile Config if the application's class loader has a working one, else the fallback */
    static ConfigReader microProfileOr(ConfigReader fallback) {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                    ConfigReader.class.getClassLoader());
            return MicroProfileConfigReader.create().orElse(fallback);
        } catch (ClassNotFoundException | LinkageError e) {
            return fallback;
        }
    }
}
