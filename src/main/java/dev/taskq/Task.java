package dev.taskq;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A task: one row of {@code taskq_task}, written through the application's own {@code EntityManager} so that it
 * commits or rolls back with the caller's transaction. Applications create tasks with {@link TaskQueue} and
 * read them (for example in tests or reports); the queue's own statements change them.
 *
 * <p>Add this class to the application's persistence unit (one {@code <class>dev.taskq.Task</class>} line in
 * {@code persistence.xml}); the schema comes from TaskQ's Liquibase changelog.
 */
@Entity
@Table(name = "taskq_task")
public class Task {

    /** Ids come from a sequence in blocks of 50, so that Hibernate can batch the inserts of many tasks. */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "taskq_task_seq")
    @SequenceGenerator(name = "taskq_task_seq", sequenceName = "taskq_task_seq", allocationSize = 50)
    private Long id;

    @Column(nullable = false, updatable = false, length = 64)
    private String queue;

    @Column(nullable = false, updatable = false, length = 200)
    private String name;

    /** JSON written by TaskQ's own Jackson; a plain string parameter cast in SQL works with any driver location. */
    @Column(columnDefinition = "jsonb", updatable = false)
    @ColumnTransformer(write = "cast(? as jsonb)")
    private String args;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private TaskState state;

    @Column(nullable = false, updatable = false)
    private int priority;

    @Column(nullable = false)
    private Instant eta;

    @Column(nullable = false)
    private int attempt;

    @Column(name = "max_attempts", nullable = false, updatable = false)
    private int maxAttempts;

    @Column(name = "unique_key", updatable = false, length = 200)
    private String uniqueKey;

    /** The queue whose keys {@link #uniqueKey} is unique among, or {@code ""} for keys unique across queues. */
    @Column(name = "unique_scope", nullable = false, updatable = false, length = 64)
    private String uniqueScope = "";

    @Column(name = "unique_until", updatable = false)
    private Instant uniqueUntil;

    @Column(name = "expires_at", updatable = false)
    private Instant expiresAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "alive_at")
    private Instant aliveAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(length = 100)
    private String worker;

    @Column(columnDefinition = "jsonb", insertable = false, updatable = false)
    private String result;

    @Column(name = "last_error")
    private String lastError;

    @Column(columnDefinition = "jsonb", insertable = false, updatable = false)
    private String history;

    @Column(name = "cancelled_at", insertable = false, updatable = false)
    private Instant cancelledAt;

    @Column(name = "cancelled_by", insertable = false, updatable = false, length = 100)
    private String cancelledBy;

    /** For JPA. */
    protected Task() {
    }

    /**
     * A new pending task, for TaskQ's own use. <strong>This constructor is not a way to enqueue:</strong> it checks
     * nothing (that a handler has this name, that the arguments are JSON its type can read, the options), so a task
     * persisted from it may only fail when a worker takes it. Applications enqueue through {@link TaskQueue}, which
     * checks every value in the caller's thread first.
     *
     * @param queue       the queue it waits in
     * @param name        the {@link TaskName} of its handler
     * @param args        its arguments as JSON
     * @param priority    higher runs first
     * @param eta         not claimed before this instant
     * @param maxAttempts how many times it may run in all
     * @param uniqueKey   at most one live task holds a key; {@code null} for none
     * @param createdAt   when it was enqueued
     */
    public Task(String queue, String name, String args, int priority, Instant eta, int maxAttempts,
            String uniqueKey, Instant createdAt) {
        this.queue = queue;
        this.name = name;
        this.args = args;
        this.state = TaskState.PENDING;
        this.priority = priority;
        this.eta = eta;
        this.maxAttempts = maxAttempts;
        this.uniqueKey = uniqueKey;
        this.createdAt = createdAt;
    }

    /**
     * As {@link #Task(String, String, String, int, Instant, int, String, Instant)}, for TaskQ's own use, with the
     * unique key's scope and period and the task's deadline.
     *
     * @param uniquePerQueue whether the key is unique among its queue's keys only
     * @param uniqueUntil    until when the key holds once the task succeeded, or {@code null}
     * @param expiresAt      after when no attempt starts, or {@code null}
     */
    public Task(String queue, String name, String args, int priority, Instant eta, int maxAttempts,
            String uniqueKey, Instant createdAt, boolean uniquePerQueue, Instant uniqueUntil, Instant expiresAt) {
        this(queue, name, args, priority, eta, maxAttempts, uniqueKey, createdAt);
        this.uniqueScope = uniquePerQueue ? queue : "";
        this.uniqueUntil = uniqueUntil;
        this.expiresAt = expiresAt;
    }

    /** @return the id, assigned from the {@code taskq_task_seq} sequence when persisted */
    public Long getId() {
        return id;
    }

    /** @return the queue the task waits in */
    public String getQueue() {
        return queue;
    }

    /** @return the {@link TaskName} of the handler that runs it */
    public String getName() {
        return name;
    }

    /** @return the arguments as JSON */
    public String getArgs() {
        return args;
    }

    /** @return the stored state */
    public TaskState getState() {
        return state;
    }

    /** @return the priority: higher is claimed first */
    public int getPriority() {
        return priority;
    }

    /** @return the earliest instant the task may be claimed; after a failure, when its retry is due */
    public Instant getEta() {
        return eta;
    }

    /** @return how many attempts have started (0 until first claimed) */
    public int getAttempt() {
        return attempt;
    }

    /** @return how many attempts the task may have in all */
    public int getMaxAttempts() {
        return maxAttempts;
    }

    /** @return the unique key, or {@code null} */
    public String getUniqueKey() {
        return uniqueKey;
    }

    /** @return when the task was enqueued */
    public Instant getCreatedAt() {
        return createdAt;
    }

    /** @return when its latest attempt started, or {@code null} */
    public Instant getStartedAt() {
        return startedAt;
    }

    /** @return the latest heartbeat of the worker running it, or {@code null} */
    public Instant getAliveAt() {
        return aliveAt;
    }

    /** @return when it finished (succeeded, failed for good or cancelled), or {@code null} */
    public Instant getFinishedAt() {
        return finishedAt;
    }

    /** @return the node that runs or last ran it, or {@code null} */
    public String getWorker() {
        return worker;
    }

    /** @return what its {@link ResultHandler} returned, as JSON, on a kept SUCCEEDED task; else {@code null} */
    public String getResult() {
        return result;
    }

    /** @return the error of its latest failed attempt (type, message, stack trace), or {@code null} */
    public String getLastError() {
        return lastError;
    }

    /**
     * @return its story: a JSON array of its last attempts, oldest first, each an object with {@code attempt},
     *         {@code startedAt}, {@code endedAt}, {@code node}, {@code outcome} (succeeded, retrying, failed,
     *         snoozed, cancelled, dirty) and {@code error} (at most 2,000 characters); the last 10 are kept.
     *         {@code null} before its first attempt ended
     */
    public String getHistory() {
        return history;
    }

    /** @return whether its unique key is unique among its queue's keys only, rather than across queues */
    public boolean isUniquePerQueue() {
        return !uniqueScope.isEmpty();
    }

    /**
     * @return until when its unique key holds, even once it succeeded (its row kept till then), or {@code null}
     *         for a key that holds only while the task is pending or running
     */
    public Instant getUniqueUntil() {
        return uniqueUntil;
    }

    /** @return its deadline: no attempt of it starts later (it is cancelled as expired), or {@code null} */
    public Instant getExpiresAt() {
        return expiresAt;
    }

    /**
     * @return when a person cancelled it ({@link TaskAdmin#cancel(long, String)}): on a CANCELLED task, and on a
     *         RUNNING one whose handler was asked to stop and has not yet; else {@code null}
     */
    public Instant getCancelledAt() {
        return cancelledAt;
    }

    /** @return who cancelled it, as {@link TaskAdmin#cancel(long, String)} was told, or {@code null} */
    public String getCancelledBy() {
        return cancelledBy;
    }

    @Override
    public String toString() {
        return "Task[id=" + id + ", name=" + name + ", queue=" + queue + ", state=" + state + ", attempt="
                + attempt + "/" + maxAttempts + "]";
    }
}
