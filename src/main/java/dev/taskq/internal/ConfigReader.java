package dev.taskq.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Where settings come from: MicroProfile Config when the server has it, else system properties, else env. */
@FunctionalInterface
public interface ConfigReader {

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
