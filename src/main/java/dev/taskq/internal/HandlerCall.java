package dev.taskq.internal;

import dev.taskq.EndAttempt;

/**
 * A handler's call as one attempt: on the attempt's thread, where {@link dev.taskq.TaskContext} reads the task and a
 * cancellation can interrupt it, with whatever it throws carried out of the transaction, which rolls back on it.
 */
final class HandlerCall {

    private HandlerCall() {
    }

    /** Runs the handler as {@code run}'s attempt, which {@link dev.taskq.TaskContext} then reads. */
    static Object invoke(RunningTasks.Run run, HandlerBinding handler, Object args) {
        return CurrentTask.during(run, () -> {
            run.enter();
            try {
                return handler.invoker().invoke(args);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                throw new HandlerFailure(e);
            } finally {
                run.leave();
            }
        });
    }

    /** @return the {@link EndAttempt} the handler threw, found under the wrappers of interceptors, or null */
    static EndAttempt endAttempt(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof EndAttempt end) {
                return end;
            }
        }
        return null;
    }

    /** Carries a handler's exception out of the transaction, which rolls back on it. */
    static final class HandlerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerFailure(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }

}
