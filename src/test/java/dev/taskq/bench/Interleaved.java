package dev.taskq.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measures that are compared with one another, run in turns: one round of each, then the next round of each, every
 * round after the same preparation. A drift of the machine's speed (2x within an hour here) so touches every
 * measure alike, and the ratios between their medians hold, where measures run one after the other would each
 * catch another phase of the machine.
 */
final class Interleaved {

    /** One round of a measure. */
    interface Round {
        /** @return the round's rate */
        double perSecond() throws Exception;
    }

    /** What runs before every round: an emptied, vacuumed table. */
    interface Preparation {
        void prepare() throws Exception;
    }

    private final int rounds;
    private final Preparation preparation;
    private final Map<String, Round> measures = new LinkedHashMap<>();

    Interleaved(int rounds, Preparation preparation) {
        this.rounds = rounds;
        this.preparation = preparation;
    }

    /** Adds a measure; its rounds run in the order measures were added. */
    Interleaved add(String name, Round round) {
        measures.put(name, round);
        return this;
    }

    /** @return each measure's median rate by name */
    Map<String, Double> medians() throws Exception {
        Map<String, double[]> rates = new LinkedHashMap<>();
        measures.keySet().forEach(name -> rates.put(name, new double[rounds]));
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Round> measure : measures.entrySet()) {
                preparation.prepare();
                rates.get(measure.getKey())[round] = measure.getValue().perSecond();
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        rates.forEach((name, values) -> medians.put(name, Rates.median(values)));
        return medians;
    }
}
