package io.lockstep.lab.kube;

import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The store's recent changes, in resourceVersion order, so that a watch — a fabric8 informer
 * resuming from the version its list returned, or kubectl's {@code delete}, {@code rollout status}
 * or {@code get -w} watching in rounds over plain HTTP — gets exactly what happened since the
 * version it names. The oldest changes are forgotten; a watch from before them must list again.
 */
final class WatchJournal {

  /** One change: the object's state after it (before it, for a deletion). */
  record Event(long version, String type, AttributeSet attributes, String object) {

    /** The event as a watch message: {@code {"type":…,"object":…}}. */
    String message() {
      return "{\"type\":\"" + type + "\",\"object\":" + object + "}";
    }
  }

  private final int capacity;
  private final Deque<Event> events = new ArrayDeque<>();
  private long latest;
  private long forgottenUpTo;

  WatchJournal(int capacity) {
    this.capacity = capacity;
  }

  synchronized void record(Event event) {
    events.addLast(event);
    latest = Math.max(latest, event.version());
    while (events.size() > capacity) {
      forgottenUpTo = events.removeFirst().version();
    }
  }

  /** The newest version recorded: where a watch without a resourceVersion starts. */
  synchronized long latest() {
    return latest;
  }

  /**
   * The changes after {@code version} that the watch selects; empty when changes after that
   * version have already been forgotten (the watcher must list again: 410 Gone).
   */
  synchronized Optional<List<Event>> since(long version, Predicate<Event> selected) {
    if (version < forgottenUpTo) {
      return Optional.empty();
    }
    List<Event> matching = new ArrayList<>();
    for (Event event : events) {
      if (event.version() > version && selected.test(event)) {
        matching.add(event);
      }
    }
    return Optional.of(matching);
  }
}
