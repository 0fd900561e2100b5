package dev.taskq.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.taskq.support.TestDatabase;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The peer {@code db-scheduler} in the same process against the same database: one-time no-op tasks, polled with
 * {@code lock-and-fetch} (its fastest strategy on PostgreSQL) every 10 ms, as many executor threads as TaskQ has
 * loops, on a pool of as many connections plus its own two. Its table is its published PostgreSQL schema.
 */
final class DbSchedulerPeer {

    private static final String TABLE = "bench_db_scheduler_tasks";
    private static final String SCHEMA = """
            create table if not exists %1$s (
                task_name text not null, task_instance text not null, task_data bytea,
                execution_time timestamptz not null, picked boolean not null, picked_by text,
                last_success timestamptz, last_failure timestamptz, consecutive_failures int,
                last_heartbeat timestamptz, version bigint not null, priority smallint,
                primary key (task_name, task_instance));
            create index if not exists %1$s_execution_time on %1$s (execution_time);
            create index if not exists %1$s_last_heartbeat on %1$s (last_heartbeat);
            create index if not exists %1$s_priority_execution_time on %1$s (priority desc, execution_time)"""
            .formatted(TABLE);

    private final TestDatabase database;

    DbSchedulerPeer(TestDatabase database) {
        this.database = database;
    }

    /** @return no-op tasks per second from the scheduler's start until its table is empty (all completed) */
    double consume(int tasks, int threads) throws Exception {
        execute(SCHEMA);
        execute("truncate " + TABLE);
        execute("insert into " + TABLE + " (task_name, task_instance, execution_time, picked, version, priority) "
                + "select 'noop', 'i' || g, now(), false, 1, 0 from generate_series(1, " + tasks + ") g");
        execute("vacuum analyze " + TABLE);
        OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, context) -> { });
        try (AgroalDataSource pool = pool(threads + 2); Connection watcher = database.connect();
                Statement count = watcher.createStatement()) {
            Scheduler scheduler = Scheduler.create(pool, noop)
                    .tableName(TABLE)
                    .threads(threads)
                    .pollUsingLockAndFetch(0.5, 1.0)
                    .pollingInterval(Duration.ofMillis(10))
                    .build();
            long start = System.nanoTime();
            scheduler.start();
            long deadline = start + TimeUnit.MINUTES.toNanos(5);
            while (remaining(count) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("db-scheduler did not finish " + tasks + " tasks in 5 minutes");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            double rate = Rates.perSecond(tasks, start);
            scheduler.stop();
            return rate;
        }
    }

    private static long remaining(Statement count) throws SQLException {
        try (ResultSet rows = count.executeQuery("select count(*) from " + TABLE)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private AgroalDataSource pool(int size) throws SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(size)
                        .connectionFactoryConfiguration(factory -> factory
                                .jdbcUrl(database.url())
                                .autoCommit(true)
                                .principal(new NamePrincipal(database.user()))
                                .credential(new SimplePassword(database.password())))));
    }
}
