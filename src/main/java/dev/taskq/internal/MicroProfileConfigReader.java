package dev.taskq.internal;

import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads settings through MicroProfile Config; only loaded once its API is known to be present. */
final class MicroProfileConfigReader implements ConfigReader {

    private final Config config;

    private MicroProfileConfigReader(Config config) {
        this.config = config;
    }

    static Optional<ConfigReader> create() {
        try {
            return Optional.of(new MicroProfileConfigReader(ConfigProvider.getConfig()));
        } catch (IllegalStateException e) {
            return Optional.empty(); // the API without an implementation
        }
    }

    @Override
    public Optional<String> get(String key) {
        return config.getOptionalValue(key, String.class);
    }
}
