package dev.taskq.support;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** For programs that print to the console (the demo, the benchmark): only warnings from the libraries. */
public final class QuietLogs {

    private QuietLogs() {
    }

    public static void apply() {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(Level.WARNING);
        }
    }
}
