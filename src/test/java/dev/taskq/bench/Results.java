package dev.taskq.bench;

import java.util.Locale;

/**
 * Prints the benchmark's figures twice: as a table for people, and as one machine-readable line per pair of
 * measure and reference:
 * {@code RESULT measure=<name> loops=<n> value=<x> unit=<unit> reference=<name> reference_value=<y> ratio=<x/y>}.
 */
final class Results {

    private final StringBuilder lines = new StringBuilder();

    Results() {
        System.out.printf("%-22s %5s %14s %-26s %14s %7s%n", "measure", "loops", "value", "reference", "reference",
                "ratio");
    }

    /** Records one pair; {@code unit} is that of both values. */
    void add(String measure, int loops, double value, String unit, String reference, double referenceValue) {
        double ratio = value / referenceValue;
        System.out.printf("%-22s %5d %,14.1f %-26s %,14.1f %7.2f  (%s)%n", measure, loops, value, reference,
                referenceValue, ratio, unit);
        lines.append(String.format(Locale.ROOT,
                "RESULT measure=%s loops=%d value=%.2f unit=%s reference=%s reference_value=%.2f ratio=%.3f%n",
                measure, loops, value, unit, reference, referenceValue, ratio));
    }

    /** Prints the machine-readable lines, together, after the table. */
    void printLines() {
        System.out.print("\n" + lines);
    }
}
