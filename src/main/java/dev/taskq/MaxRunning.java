package dev.taskq;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * At most {@link #value()} tasks of this {@link TaskHandler} RUNNING at once on all nodes together, whatever
 * queues they wait in: for a partner API that allows that many connections. Enforced in the claim, safe under
 * concurrent claimers on any number of nodes; a task beyond the limit waits PENDING, charged nothing, and is
 * claimed as soon as a running one ends. Dirty tasks (no heartbeat within the dirty threshold) do not count.
 * For a whole queue's limit, use the setting {@code taskq.queue.<name>.max-running}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MaxRunning {

    /** The most tasks of this handler running at once in the cluster: 1 to 100,000. */
    int value();
}
