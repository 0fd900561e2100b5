package dev.taskq.internal.cdi;

import dev.taskq.internal.TaskClock;
import jakarta.enterprise.context.ApplicationScoped;

/** Holds the application's {@link TaskClock}, shared by the queue, the worker, the admin and the test helpers. */
@ApplicationScoped
public class TaskQClock {

    private final TaskClock clock = new TaskClock();

    /** @return the clock */
    public TaskClock clock() {
        return clock;
    }
}
