package dev.taskq.internal;

import dev.taskq.Task;
import dev.taskq.TaskHandler;
import dev.taskq.TaskOptions;
import dev.taskq.TaskQueue;
import dev.taskq.TaskQueueException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link TaskQueue}: checks the input completely in the caller's thread, then writes the row in the
 * caller's transaction (or one of its own when none is active).
 */
final class DefaultTaskQueue implements TaskQueue {

    private static final System.Logger LOG = System.getLogger(DefaultTaskQueue.class.getName());

    private final HandlerRegistry handlers;
    private final ArgsCodec codec;
    private final TaskStore store;
    private final Transactions transactions;
    private final Clock clock;
    private final Consumer<TaskEnqueued> enqueued;
    private final Consumer<String> committed;

    /**
     * @param handlers     the application's handlers
     * @param codec        writes the arguments
     * @param store        inserts the rows
     * @param transactions joins the caller's transaction
     * @param clock        the time tasks are created and delays count from
     * @param enqueued     told of every task written, inside the transaction that writes it
     * @param committed    told the queue of due tasks after the commit of the transaction that enqueued them, once per
     *                     transaction and queue
     */
    DefaultTaskQueue(HandlerRegistry handlers, ArgsCodec codec, TaskStore store, Transactions transactions,
            Clock clock, Consumer<TaskEnqueued> enqueued, Consumer<String> committed) {
        this.handlers = handlers;
        this.codec = codec;
        this.store = store;
        this.transactions = transactions;
        this.clock = clock;
        this.enqueued = enqueued;
        this.committed = committed;
    }

    @Override
    public <A> long enqueue(Class<? extends TaskHandler<A>> handler, A args, TaskOptions options) {
        return insert(newTask(handlers.require(handler), args, options), options);
    }

    @Override
    public long enqueue(String name, Object args, TaskOptions options) {
        return insert(newTask(handlers.require(name), args, options), options);
    }

    @Override
    public <A> List<Long> enqueueAll(Class<? extends TaskHandler<A>> handler, List<? extends A> argsList,
            TaskOptions options) {
        HandlerBinding binding = handlers.require(handler);
        if (argsList == null) {
            throw new TaskQueueException("enqueueAll needs a list of arguments, but was null.");
        }
        if (options != null && options.uniqueKey().isPresent()) {
            throw new TaskQueueException("enqueueAll cannot take a unique key (" + options.uniqueKey().get()
                    + "): a key fits one task. Enqueue keyed tasks one by one with enqueue().");
        }
        List<Task> tasks = argsList.stream().map(args -> newTask(binding, args, options)).toList();
        return transactions.required(em -> tasks.stream().map(task -> announceNew(task, store.insert(em, task)))
                .toList());
    }

    private long insert(Task task, TaskOptions options) {
        return transactions.required(em -> {
            if (task.getUniqueKey() == null) {
                return announceNew(task, store.insert(em, task));
            }
            UniqueInsert.Keyed keyed = UniqueInsert.insert(em, task, options.replacesPending(),
                    options.debouncesPending());
            if (!keyed.inserted()) {
                LOG.log(Level.DEBUG, () -> "Task " + keyed.id() + " holds unique key '" + task.getUniqueKey()
                        + "': this enqueue of '" + task.getName() + "' added no task");
                return announce(task, keyed.id());
            }
            return announceNew(task, keyed.id());
        });
    }

    /** Logs the new task and tells the listeners, inside the caller's transaction. */
    private long announceNew(Task task, long id) {
        LOG.log(Level.DEBUG, () -> "Task " + new TaskRef(id, task.getName(), task.getQueue(), 0, task.getMaxAttempts())
                + " enqueued in the caller's transaction, due " + task.getEta());
        return announce(task, id);
    }

    private long announce(Task task, long id) {
        if (!task.getEta().isAfter(clock.instant())) {
            transactions.afterCommit(new Committed(task.getQueue(), committed)); // equal per queue: once per transaction
        }
        enqueued.accept(new TaskEnqueued(id, task.getName(), task.getQueue(), task.getArgs(), task.getPriority(),
                task.getEta(), task.getMaxAttempts(), task.getUniqueKey()));
        return id;
    }

    private Task newTask(HandlerBinding handler, Object args, TaskOptions options) {
        if (options == null) {
            throw new TaskQueueException("TaskOptions are null: pass TaskOptions.defaults() for the defaults.");
        }
        String json = checkedArgs(handler, args);
        Instant now = clock.instant();
        Instant eta = options.eta().orElseGet(() -> now.plus(options.delay().orElse(Duration.ZERO)));
        int maxAttempts = options.maxAttempts().orElse(handler.retry().maxAttempts());
        Instant expiresAt = options.expiry().map(now::plus).orElse(null);
        if (expiresAt != null && !expiresAt.isAfter(eta)) {
            throw new TaskQueueException("TaskOptions.withExpiry(" + options.expiry().get() + ") ends at " + expiresAt
                    + ", before the task is due (" + eta + "), so it could never run: give it an expiry longer than "
                    + "its delay.");
        }
        return new Task(options.queue(), handler.name(), json, options.priority(), eta, maxAttempts,
                options.uniqueKey().orElse(null), now, options.isUniquePerQueue(),
                options.uniquePeriod().map(now::plus).orElse(null), expiresAt);
    }

    /** Writes the arguments and reads them back as the handler will, so a misfit fails here, not in a worker. */
    private String checkedArgs(HandlerBinding handler, Object args) {
        String type = handler.argsType().toCanonical();
        if (handler.takesNoArgs()) {
            if (args != null) {
                throw new TaskQueueException("Task handler '" + handler.name() + "' takes no arguments "
                        + "(TaskHandler<Void>), but was given a " + args.getClass().getName() + ". Pass null.");
            }
            return null;
        }
        if (args == null) {
            throw new TaskQueueException("Task handler '" + handler.name() + "' needs arguments of type " + type
                    + ", but they were null. Pass a " + type + ", or make the handler a TaskHandler<Void> if it "
                    + "needs none.");
        }
        String json;
        try {
            json = codec.write(args);
        } catch (IllegalArgumentException e) {
            throw new TaskQueueException("The arguments for task handler '" + handler.name() + "' cannot be "
                    + "written as JSON: " + e.getMessage() + ". Give " + args.getClass().getName()
                    + " properties Jackson can write (a record, or getters), and @JsonIgnore what is not data.", e);
        }
        try {
            codec.read(json, handler.argsType(), handler.enqueueReading());
        } catch (IllegalArgumentException e) {
            throw new TaskQueueException("The arguments for task handler '" + handler.name() + "' do not fit its "
                    + "argument type " + type + ": " + e.getMessage() + ". Pass a " + type + ".", e);
        }
        return json;
    }

    /** What runs after the commit: equal for equal queues, so a transaction's many tasks of a queue run it once. */
    private record Committed(String queue, Consumer<String> target) implements Runnable {
        @Override
        public void run() {
            target.accept(queue);
        }
    }
}
