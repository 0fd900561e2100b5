package dev.taskq.internal.cdi;

import dev.taskq.TaskContext;
import dev.taskq.internal.CurrentTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/**
 * Makes {@code @Inject TaskContext} resolve to the engine's one view of the task running on the calling thread:
 * the view reads the thread at every call, so one instance serves every handler and needs no proxy.
 */
@ApplicationScoped
public class CdiTaskContext {

    @Produces
    @Dependent
    TaskContext taskContext() {
        return CurrentTask.view();
    }
}
