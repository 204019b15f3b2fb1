package io.lockstep.ssh;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.client.session.ClientSession;
import org.jspecify.annotations.Nullable;

/**
 * The console's connection to one node: a logged-in session shared by the commands that run there
 * (one TCP connection, one channel per command), opened when first needed and again after it broke,
 * plus the slots that cap how many commands run on the node at once.
 */
final class NodeConnection {

  private final SshTarget target;
  private final Logins logins;
  private final @Nullable Semaphore slots;
  private final ReentrantLock lock = new ReentrantLock();
  private @Nullable ClientSession session;
  private int running;
  private long idleSince = System.nanoTime();

  NodeConnection(SshTarget target, Logins logins, @Nullable Integer maxSessions) {
    this.target = target;
    this.logins = logins;
    this.slots = maxSessions == null ? null : new Semaphore(maxSessions, true);
  }

  /**
   * Waits for a free slot on the node; every {@code take} is paired with a {@link #release()}.
   *
   * @return false when no slot came free before {@code deadline}
   */
  boolean take(Deadline deadline) throws InterruptedException {
    long patience = Math.max(0, deadline.remainingNanos());
    if (slots != null && !slots.tryAcquire(patience, TimeUnit.NANOSECONDS)) {
      return false;
    }
    lock.lock();
    try {
      running++;
    } finally {
      lock.unlock();
    }
    return true;
  }

  void release() {
    lock.lock();
    try {
      running--;
      idleSince = System.nanoTime();
    } finally {
      lock.unlock();
    }
    if (slots != null) {
      slots.release();
    }
  }

  /** The open session, logging in anew if there is none or it broke. */
  ClientSession session() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      if (session == null || !session.isOpen()) {
        session = logins.open(target);
      }
      return session;
    } finally {
      lock.unlock();
    }
  }

  /** Closes {@code broken} and forgets it, so that the next {@link #session()} logs in anew. */
  void discard(ClientSession broken) {
    lock.lock();
    try {
      if (session == broken) {
        session = null;
      }
    } finally {
      lock.unlock();
    }
    broken.close(true);
  }

  /** Closes the session if no command has run on it for {@code idle}; skips a busy node. */
  void closeIfIdle(Duration idle) {
    if (!lock.tryLock()) {
      return;
    }
    try {
      if (session != null && running == 0 && System.nanoTime() - idleSince > idle.toNanos()) {
        session.close(false);
        session = null;
      }
    } finally {
      lock.unlock();
    }
  }

  void close() {
    lock.lock();
    try {
      if (session != null) {
        session.close(true);
        session = null;
      }
    } finally {
      lock.unlock();
    }
  }
}
