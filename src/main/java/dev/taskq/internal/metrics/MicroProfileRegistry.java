package dev.taskq.internal.metrics;

import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The application's MicroProfile Metrics registry, injected into a field: Payara's producer reads the injection
 * point's annotations and fails on a programmatic lookup, which has none. Not a bean by itself: the extension adds
 * it only where the server offers the API.
 */
public class MicroProfileRegistry {

    @Inject
    MetricRegistry registry;

    /** @return the application-scoped registry */
    public MetricRegistry registry() {
        return registry;
    }
}
