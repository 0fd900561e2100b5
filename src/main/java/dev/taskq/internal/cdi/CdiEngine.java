package dev.taskq.internal.cdi;

import dev.taskq.internal.ConfigReader;
import dev.taskq.internal.Engine;
import dev.taskq.internal.TaskEnqueued;
import dev.taskq.internal.WorkerSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

/**
 * The application's one {@link Engine}: its settings read once, its handlers from the extension, JTA, the shared
 * clock, and enqueues announced as CDI events. The queue, the admin, the worker and the test helpers all use it.
 */
@ApplicationScoped
public class CdiEngine {

    @Inject
    TaskQExtension taskq;

    @Inject
    JtaTransactions transactions;

    @Inject
    TaskQClock clock;

    @Inject
    Event<TaskEnqueued> enqueued;

    private WorkerSettings settings;
    private Engine engine;

    @PostConstruct
    void create() {
        settings = WorkerSettings.from(ConfigReader.forApplication(Thread.currentThread().getContextClassLoader()));
        engine = Engine.create(transactions, taskq.handlers(), taskq.codec(), settings, clock.clock(),
                enqueued::fire);
    }

    /** @return the engine */
    public Engine engine() {
        return engine;
    }

    /** @return the settings it was built with */
    public WorkerSettings settings() {
        return settings;
    }
}
