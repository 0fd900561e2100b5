package dev.taskq.support;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A domain row that tests write next to tasks, to see what commits together. No unique constraint on purpose:
 *  a task that ran twice shows up as two entries. */
@Entity
@Table(name = "test_ledger")
public class LedgerEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String queue;

    private String ref;

    protected LedgerEntry() {
    }

    public LedgerEntry(String queue, String ref) {
        this.queue = queue;
        this.ref = ref;
    }

    public String getRef() {
        return ref;
    }
}
