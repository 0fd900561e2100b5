package dev.taskq.support;

import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.RunListener;
import dev.taskq.internal.TaskRunner.Outcome;
import java.time.Duration;

/** A {@link RunListener} that hears only how attempts ended: the tests' and the benchmark's way to count them. */
@FunctionalInterface
public interface OnOutcome extends RunListener {

    /** An attempt ended, its outcome recorded. */
    void ended(ClaimedTask task, Outcome outcome);

    @Override
    default void started(ClaimedTask task, Duration sinceDue, Duration sinceClaim) {
    }

    @Override
    default void finished(ClaimedTask task, Outcome outcome, Duration took) {
        ended(task, outcome);
    }
}
