package dev.taskq.it.app;

import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Says how long after its enqueue began it started; its argument is that moment's {@code System.nanoTime()}. */
@ApplicationScoped
@TaskName("pickup")
public class PickupHandler implements TaskHandler<Long> {

    /** Nanoseconds from enqueue to start, one per run, in the order they ran. */
    public static final BlockingQueue<Long> DELAYS = new LinkedBlockingQueue<>();

    @Override
    public void handle(Long enqueuedAt) {
        DELAYS.add(System.nanoTime() - enqueuedAt);
    }
}
