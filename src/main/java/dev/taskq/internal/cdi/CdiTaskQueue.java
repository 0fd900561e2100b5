package dev.taskq.internal.cdi;

import dev.taskq.TaskHandler;
import dev.taskq.TaskOptions;
import dev.taskq.TaskQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** The {@link TaskQueue} that {@code @Inject TaskQueue} resolves to: the application engine's queue. */
@ApplicationScoped
public class CdiTaskQueue implements TaskQueue {

    @Inject
    CdiEngine engine;

    @Override
    public <A> long enqueue(Class<? extends TaskHandler<A>> handler, A args, TaskOptions options) {
        return engine.engine().queue().enqueue(handler, args, options);
    }

    @Override
    public long enqueue(String name, Object args, TaskOptions options) {
        return engine.engine().queue().enqueue(name, args, options);
    }

    @Override
    public <A> List<Long> enqueueAll(Class<? extends TaskHandler<A>> handler, List<? extends A> argsList,
            TaskOptions options) {
        return engine.engine().queue().enqueueAll(handler, argsList, options);
    }
}
