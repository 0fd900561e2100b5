package dev.taskq.internal;

import jakarta.enterprise.concurrent.CronTrigger;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The slots of a cron expression in a time zone, as Jakarta Concurrency's {@link CronTrigger} reads them. A local
 * time that the zone skips (clocks go forward) is no slot; a local time that the zone has twice (clocks go back) is
 * one slot, at its first occurrence: the trigger offers both, and the second is passed over here.
 */
final class CronSlots {

    /** The trigger's search, which it keeps protected. */
    private static final class Trigger extends CronTrigger {
        Trigger(String expression, ZoneId zone) {
            super(expression, zone);
        }

        ZonedDateTime atOrAfter(ZonedDateTime time) {
            return next(time);
        }
    }

    private final Trigger trigger;
    private final ZoneId zone;

    /**
     * @throws IllegalArgumentException saying what is wrong with {@code expression}
     */
    CronSlots(String expression, ZoneId zone) {
        try {
            this.trigger = new Trigger(expression, zone);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + expression + "' is not a cron expression (" + e.getMessage()
                    + "); write seconds minutes hours day-of-month month day-of-week, or the same without seconds, "
                    + "for example '0 */15 * * * *' for every 15 minutes", e);
        }
        this.zone = zone;
    }

    /** @return the first slot strictly after {@code instant}, or null if the expression has none */
    Instant after(Instant instant) {
        ZonedDateTime from = instant.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).atZone(zone);
        while (true) {
            ZonedDateTime slot = trigger.atOrAfter(from);
            if (slot == null) {
                return null;
            }
            if (slot.withEarlierOffsetAtOverlap().isEqual(slot)) {
                return slot.toInstant();
            }
            from = slot.plusSeconds(1); // the second occurrence of a local time already offered
        }
    }
}
