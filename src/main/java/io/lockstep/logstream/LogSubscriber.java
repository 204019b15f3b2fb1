package io.lockstep.logstream;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One reader of one run's log as the publishers see it: a bounded queue of live lines and two
 * flags. Publishers never wait on it, not even for a lock (the queue is lock-free and the sender is
 * woken with {@link LockSupport#unpark}): when the queue is full the line is not queued and the
 * reader is marked as overflowed. While its {@link LogSender} still catches up from the database,
 * that only means another round from the database; once it follows live, the reader is dropped at
 * once (no more lines are offered) and its sender closes the stream, so the reader reconnects with
 * its {@code Last-Event-ID}.
 */
final class LogSubscriber {

  private final String runId;
  private final LogSubscribers owner;
  private final int capacity;
  private final ConcurrentLinkedQueue<PublishedLine> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean overflowed = new AtomicBoolean();
  private volatile boolean live;
  private volatile boolean closed;
  private volatile Thread sender;

  LogSubscriber(String runId, int capacity, LogSubscribers owner) {
    this.runId = runId;
    this.capacity = capacity;
    this.owner = owner;
  }

  String runId() {
    return runId;
  }

  /** Queues the lines or, when the queue is full, marks the overflow. Never blocks. */
  void offer(List<PublishedLine> lines) {
    for (PublishedLine line : lines) {
      if (!add(line)) {
        break;
      }
    }
    wake();
  }

  /** Queues the end of the log. */
  void end() {
    add(PublishedLine.END);
    wake();
  }

  /** Forgets queued lines and the overflow, for another round from the database. */
  void restart() {
    overflowed.set(false);
    while (queue.poll() != null) {
      size.decrementAndGet();
    }
  }

  boolean overflowed() {
    return overflowed.get();
  }

  /** From now on an overflow drops the reader. */
  void followLive() {
    live = true;
  }

  boolean closed() {
    return closed;
  }

  /** Waits up to {@code millis} for lines and takes up to {@code max}; none when none came or it was closed. */
  void take(Collection<PublishedLine> into, int max, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (queue.isEmpty() && !closed) {
      if (!parkUntil(deadline)) {
        return;
      }
    }
    while (into.size() < max) {
      PublishedLine line = queue.poll();
      if (line == null) {
        return;
      }
      size.decrementAndGet();
      into.add(line);
    }
  }

  /** Waits {@code millis}, or less when closed meanwhile; new lines do not end the wait. */
  void pause(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    boolean waiting = true;
    while (waiting && !closed) {
      waiting = parkUntil(deadline);
    }
  }

  int backlog() {
    return size.get();
  }

  /**
   * Stops the sender: the connection ended, or the console shuts down. The sender is woken, never
   * interrupted: an interrupt inside a JDBC call can close an H2 database file.
   */
  void close() {
    closed = true;
    owner.remove(this);
    wake();
  }

  /** Binds the sender's thread, so that publishers and {@link #close} can wake it; false when closed. */
  boolean attach(Thread thread) {
    sender = thread;
    return !closed;
  }

  /** Unbinds the sender's thread, which goes back to a pool. */
  void detach() {
    sender = null;
    owner.remove(this);
  }

  private boolean add(PublishedLine line) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      overflowed.set(true);
      if (live) {
        owner.remove(this);
      }
      return false;
    }
    queue.add(line);
    return true;
  }

  /** Parks until woken or {@code deadline}; false when the deadline has passed. */
  private static boolean parkUntil(long deadline) throws InterruptedException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    LockSupport.parkNanos(left);
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("log sender interrupted");
    }
    return true;
  }

  private void wake() {
    Thread thread = sender;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }
}
