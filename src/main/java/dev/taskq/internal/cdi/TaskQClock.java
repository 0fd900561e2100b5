package dev.taskq.internal.cdi;

import dev.taskq.internal.TaskClock;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Holds the application's {@link TaskClock}, shared by the queue, the worker, the admin and the test helper. It
 * can be moved only where the application opted into testing.
 */
@ApplicationScoped
public class TaskQClock {

    @Inject
    TaskQExtension taskq;

    private TaskClock clock;

    @PostConstruct
    void create() {
        clock = taskq.settings().testing() ? TaskClock.movable() : TaskClock.system();
    }

    /** @return the clock */
    public TaskClock clock() {
        return clock;
    }
}
