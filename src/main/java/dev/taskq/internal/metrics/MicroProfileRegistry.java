package dev.taskq.internal.metrics;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The application's MicroProfile Metrics registry, if the server has one, injected: Payara's producer reads the
 * injection point's annotations and fails on a programmatic lookup from {@code CDI.current()}, which has none.
 * Through {@code Instance}, so an application that sees the API without an implementation still deploys. Not a
 * bean by itself: the extension adds it only where the API is visible.
 */
public class MicroProfileRegistry {

    @Inject
    Instance<MetricRegistry> registry;

    /** @return the application-scoped registry, if the server provides one */
    public Optional<MetricRegistry> registry() {
        return registry.isResolvable() ? Optional.of(registry.get()) : Optional.empty();
    }
}
