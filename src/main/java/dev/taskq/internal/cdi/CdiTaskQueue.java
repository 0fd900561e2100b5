package dev.taskq.internal.cdi;

import dev.taskq.TaskHandler;
import dev.taskq.TaskOptions;
import dev.taskq.TaskQueue;
import dev.taskq.internal.DefaultTaskQueue;
import dev.taskq.internal.TaskEnqueued;
import dev.taskq.internal.TaskStore;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.List;

/** The {@link TaskQueue} that {@code @Inject TaskQueue} resolves to: the core queue on JTA and CDI handlers. */
@ApplicationScoped
public class CdiTaskQueue implements TaskQueue {

    @Inject
    TaskQExtension taskq;

    @Inject
    JtaTransactions transactions;

    @Inject
    TaskQClock clock;

    @Inject
    Event<TaskEnqueued> enqueued;

    private TaskQueue queue;

    @PostConstruct
    void create() {
        queue = new DefaultTaskQueue(taskq.handlers(), taskq.codec(), new TaskStore(), transactions, clock.clock(),
                enqueued::fire);
    }

    @Override
    public <A> long enqueue(Class<? extends TaskHandler<A>> handler, A args, TaskOptions options) {
        return queue.enqueue(handler, args, options);
    }

    @Override
    public long enqueue(String name, Object args, TaskOptions options) {
        return queue.enqueue(name, args, options);
    }

    @Override
    public <A> List<Long> enqueueAll(Class<? extends TaskHandler<A>> handler, List<? extends A> argsList,
            TaskOptions options) {
        return queue.enqueueAll(handler, argsList, options);
    }
}
