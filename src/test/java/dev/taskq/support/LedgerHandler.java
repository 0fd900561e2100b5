package dev.taskq.support;

import dev.taskq.TaskHandler;
import dev.taskq.TaskName;

/** Writes a ledger entry in the worker's transaction: the database effect whose atomicity the tests check. */
@TaskName("ledger")
public final class LedgerHandler implements TaskHandler<Ref> {

    private final QueueHarness harness;

    public LedgerHandler(QueueHarness harness) {
        this.harness = harness;
    }

    @Override
    public void handle(Ref args) {
        harness.writeLedger(args.ref());
    }
}
