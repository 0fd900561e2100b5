package dev.taskq.internal.cdi;

import dev.taskq.TaskContext;
import dev.taskq.internal.CurrentTask;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** The {@link TaskContext} that {@code @Inject TaskContext} resolves to: the task running on the calling thread. */
@ApplicationScoped
public class CdiTaskContext implements TaskContext {

    private final TaskContext current = CurrentTask.view();

    @Override
    public long id() {
        return current.id();
    }

    @Override
    public String name() {
        return current.name();
    }

    @Override
    public String queue() {
        return current.queue();
    }

    @Override
    public int attempt() {
        return current.attempt();
    }

    @Override
    public int maxAttempts() {
        return current.maxAttempts();
    }

    @Override
    public Instant enqueuedAt() {
        return current.enqueuedAt();
    }

    @Override
    public Instant dueAt() {
        return current.dueAt();
    }
}
