package dev.taskq;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link TaskHandler} on a schedule: at every slot of {@link #cron()} in {@link #zone()}, one task is
 * enqueued for the whole cluster, however many nodes run, by whichever node gets there first.
 *
 * <pre>{@code
 * @ApplicationScoped
 * @TaskName("reports.nightly")
 * @Periodic(cron = "0 30 2 * * *", zone = "Europe/Berlin")
 * public class NightlyReport implements TaskHandler<Void> { ... }
 * }</pre>
 *
 * <p>A slot that does not exist in the zone (the hour skipped when clocks go forward) is skipped; a slot that
 * exists twice (the hour repeated when clocks go back) runs once, at its first occurrence. A slot that no node
 * enqueued in time, because none was running, follows {@link #missed()}.
 *
 * <p>Every value can be changed without a build, per schedule, by the settings
 * {@code taskq.periodic.<name>.cron}, {@code .zone}, {@code .args}, {@code .queue}, {@code .missed} and
 * {@code .enabled} ({@code false} stops enqueueing it on the nodes that read it). A person can also pause a
 * schedule for the whole cluster from the admin page or {@link TaskAdmin#pauseSchedule}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Periodic.List.class)
public @interface Periodic {

    /**
     * When: a cron expression as Jakarta Concurrency's {@code CronTrigger} reads it, with seconds
     * (<code>"0 *&#47;15 * * * *"</code>, every 15 minutes) or without (<code>"*&#47;15 * * * *"</code>).
     */
    String cron();

    /** The time zone the cron expression is read in, as a {@link java.time.ZoneId}; UTC unless told. */
    String zone() default "UTC";

    /**
     * The schedule's name, unique in the application, in settings and on the admin page; the handler's task name
     * unless told. A handler with more than one schedule names each.
     */
    String name() default "";

    /** The arguments of every task, as JSON for the handler's argument type; none ({@code null}) unless told. */
    String args() default "";

    /** The queue the tasks go to. */
    String queue() default TaskOptions.DEFAULT_QUEUE;

    /** What a slot that no node enqueued in time becomes. */
    Missed missed() default Missed.SKIP;

    /** What becomes of slots that passed while no node of the cluster ran the schedule. */
    enum Missed {
        /** They are not run: the schedule goes on with its next slot. */
        SKIP,
        /** The latest of them runs once, when a node starts again; the others are not run. */
        RUN_ONCE
    }

    /** Holds several {@link Periodic} schedules of one handler. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface List {
        /** The schedules. */
        Periodic[] value();
    }
}
