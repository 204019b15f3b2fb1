package io.lockstep.audit;

import io.lockstep.system.Auditable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Appends every {@link Auditable} event the other modules publish.
 *
 * <p>Why {@code BEFORE_COMMIT} and not a plain {@code @EventListener}: both run in the publisher's
 * thread and transaction, so the change and its audit row commit together, and a failing append
 * rolls the change back (no unaudited change). But appending takes the chain-head lock, which is
 * held until the transaction ends; appending at publish time would hold it through whatever the
 * publisher does afterwards and stall every other auditor. Just before commit the lock is held for
 * the commit only, and a transaction that rolls back never touches the chain. Rows land in commit
 * order, which is the order the changes became real. {@code fallbackExecution} appends events
 * published outside a transaction at once, in a transaction of their own.
 */
@Component
class AuditableListener {

  private final AuditLog log;

  AuditableListener(AuditLog log) {
    this.log = log;
  }

  @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
  void on(Auditable event) {
    log.append(event.auditType(), event.actor(), event.runId(), event.summary(), event.details());
  }
}
