package dev.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.Periodic;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.TaskQueueException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Schedules as the application declares them: annotations, settings over them, and every problem at once. */
class SchedulesTest {

    record Region(String region) {
    }

    @TaskName("cleanup")
    @Periodic(cron = "0 0 3 * * *", zone = "Europe/Berlin")
    static final class Cleanup implements TaskHandler<Void> {
        @Override
        public void handle(Void args) {
        }
    }

    @TaskName("regional-report")
    @Periodic(name = "report-eu", cron = "0 0 6 * * *", args = "{\"region\":\"eu\"}")
    @Periodic(name = "report-us", cron = "0 0 12 * * *", args = "{\"region\":\"us\"}", missed = Periodic.Missed.RUN_ONCE)
    static final class RegionalReport implements TaskHandler<Region> {
        @Override
        public void handle(Region args) {
        }
    }

    @TaskName("unnamed-twice")
    @Periodic(cron = "0 0 6 * * *")
    @Periodic(cron = "0 0 7 * * *")
    static final class UnnamedTwice implements TaskHandler<Void> {
        @Override
        public void handle(Void args) {
        }
    }

    @TaskName("broken")
    @Periodic(name = "bad-cron", cron = "0 61 * * * *")
    @Periodic(name = "bad-zone", cron = "0 0 * * * *", zone = "Mars/Olympus")
    @Periodic(name = "args-for-void", cron = "0 0 * * * *", args = "{\"region\":\"eu\"}")
    static final class Broken implements TaskHandler<Void> {
        @Override
        public void handle(Void args) {
        }
    }

    @TaskName("needs-args")
    @Periodic(name = "no-args", cron = "0 0 * * * *")
    @Periodic(name = "misfit-args", cron = "0 0 * * * *", args = "{\"regoin\":\"eu\"}")
    static final class NeedsArgs implements TaskHandler<Region> {
        @Override
        public void handle(Region args) {
        }
    }

    private final ArgsCodec codec = new ArgsCodec();

    @Test
    void annotationsDeclareSchedulesWithTheirArguments() {
        Schedules schedules = Schedules.of(registry(new Cleanup(), new RegionalReport()), codec,
                ConfigReader.of(Map.of()));

        assertEquals(List.of("cleanup", "report-eu", "report-us"), names(schedules));
        var cleanup = schedules.all().get(0);
        assertEquals("Europe/Berlin", cleanup.zone().getId());
        assertNull(cleanup.args());
        assertEquals(new Region("us"), schedules.all().get(2).args());
        assertEquals(Periodic.Missed.RUN_ONCE, schedules.all().get(2).missed());
    }

    @Test
    void settingsMoveDisableAndDeclareSchedules() {
        Schedules schedules = Schedules.of(registry(new Cleanup(), new RegionalReport()), codec, ConfigReader.of(Map.of(
                "taskq.periodic.cleanup.cron", "0 30 4 * * *",
                "taskq.periodic.cleanup.queue", "maintenance",
                "taskq.periodic.report-eu.enabled", "false",
                "taskq.periodic.schedules", "report-asia",
                "taskq.periodic.report-asia.task", "regional-report",
                "taskq.periodic.report-asia.cron", "0 0 1 * * *",
                "taskq.periodic.report-asia.zone", "Asia/Tokyo",
                "taskq.periodic.report-asia.args", "{\"region\":\"asia\"}")));

        assertEquals(List.of("cleanup", "report-asia", "report-us"), names(schedules));
        assertEquals("0 30 4 * * *", schedules.all().get(0).cron());
        assertEquals("maintenance", schedules.all().get(0).queue());
        assertEquals("Asia/Tokyo", schedules.all().get(1).zone().getId());
        assertEquals(new Region("asia"), schedules.all().get(1).args());
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsFix() {
        TaskQueueException failure = assertThrows(TaskQueueException.class, () -> Schedules.of(
                registry(new UnnamedTwice(), new Broken(), new NeedsArgs(), new Cleanup()), codec,
                ConfigReader.of(Map.of(
                        "taskq.periodic.cleanup.missed", "sometimes",
                        "taskq.periodic.schedules", "orphan, typo",
                        "taskq.periodic.typo.task", "no-such-handler",
                        "taskq.periodic.typo.cron", "0 0 * * * *"))));

        String message = failure.getMessage();
        for (String expected : List.of(
                "UnnamedTwice has 2 @Periodic schedules: give each a name()",
                "schedule 'bad-cron': '0 61 * * * *' is not a cron expression (minutes: 61)",
                "schedule 'bad-zone': 'Mars/Olympus' is not a time zone",
                "schedule 'args-for-void': handler 'broken' takes no arguments",
                "schedule 'no-args': handler 'needs-args' needs arguments of type",
                "schedule 'misfit-args': its args do not fit handler 'needs-args'",
                "schedule 'cleanup': missed must be skip or run-once, but was 'sometimes'",
                "lists 'orphan', but taskq.periodic.orphan.task does not name its handler",
                "schedule 'typo': no task handler named 'no-such-handler'")) {
            assertTrue(message.contains(expected), () -> "expected «" + expected + "» in:\n" + message);
        }
    }

    private HandlerRegistry registry(TaskHandler<?>... handlers) {
        HandlerRegistry.Builder builder = HandlerRegistry.builder(codec);
        for (TaskHandler<?> handler : handlers) {
            builder.add(handler);
        }
        return builder.build();
    }

    private static List<String> names(Schedules schedules) {
        return schedules.all().stream().map(Schedule::name).toList();
    }
}
