package dev.taskq.internal.cdi;

import dev.taskq.PeriodicSchedule;
import dev.taskq.QueueStats;
import dev.taskq.RunningLimits;
import dev.taskq.Task;
import dev.taskq.TaskAdmin;
import dev.taskq.TaskFilter;
import dev.taskq.TaskGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@link TaskAdmin} that {@code @Inject TaskAdmin} resolves to: the application engine's admin. */
@ApplicationScoped
public class CdiTaskAdmin implements TaskAdmin {

    @Inject
    CdiEngine engine;

    private TaskAdmin admin() {
        return engine.engine().admin();
    }

    @Override
    public List<Task> list(TaskGroup group, TaskFilter filter, int offset, int limit) {
        return admin().list(group, filter, offset, limit);
    }

    @Override
    public long count(TaskGroup group, TaskFilter filter) {
        return admin().count(group, filter);
    }

    @Override
    public Optional<Task> find(long id) {
        return admin().find(id);
    }

    @Override
    public boolean retry(long id) {
        return admin().retry(id);
    }

    @Override
    public java.util.Map<String, java.util.Map<TaskGroup, Long>> countsByName() {
        return admin().countsByName();
    }

    @Override
    public RunningLimits limits() {
        return admin().limits();
    }

    @Override
    public boolean cancel(long id, String by) {
        return admin().cancel(id, by);
    }

    @Override
    public boolean delete(long id) {
        return admin().delete(id);
    }

    @Override
    public int retryAll(TaskGroup group, TaskFilter filter) {
        return admin().retryAll(group, filter);
    }

    @Override
    public int deleteAll(TaskGroup group, TaskFilter filter) {
        return admin().deleteAll(group, filter);
    }

    @Override
    public void pause(String queue) {
        admin().pause(queue);
    }

    @Override
    public void resume(String queue) {
        admin().resume(queue);
    }

    @Override
    public Set<String> pausedQueues() {
        return admin().pausedQueues();
    }

    @Override
    public QueueStats stats() {
        return admin().stats();
    }

    @Override
    public List<PeriodicSchedule> schedules() {
        return admin().schedules();
    }

    @Override
    public void pauseSchedule(String name) {
        admin().pauseSchedule(name);
    }

    @Override
    public void resumeSchedule(String name) {
        admin().resumeSchedule(name);
    }
}
