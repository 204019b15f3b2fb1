package io.lockstep.lab.node;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The systemd units of one node and whether each is active, since when. Persisted in
 * {@code units.properties} beside the node's root on every change, before the method that made it
 * returns (so before {@code systemctl} answers): written to a temporary file and moved into place,
 * which hands it to the operating system — a lab killed at any instant, SIGKILL included, keeps a
 * stopped kubelet stopped (no {@code fsync}: a process crash needs none). A change that cannot be
 * written is undone and thrown. Units missing from the file count as active.
 */
final class Units {

  /** A unit's state. */
  record State(boolean active, Instant since) {}

  private final List<String> names;
  private final Path file;
  private final Clock clock;
  private final Map<String, State> states = new LinkedHashMap<>();
  /** When {@code systemctl} last started (or restarted) each unit; kept in memory only. */
  private final Map<String, Instant> started = new LinkedHashMap<>();

  Units(List<String> names, Path file, Clock clock) {
    this.names = List.copyOf(names);
    this.file = file;
    this.clock = clock;
  }

  /** The units this node has, in seed order. */
  List<String> names() {
    return names;
  }

  synchronized Optional<State> state(String unit) {
    if (!names.contains(unit)) {
      return Optional.empty();
    }
    return Optional.of(states.computeIfAbsent(unit, u -> new State(true, clock.instant())));
  }

  synchronized boolean active(String unit) {
    return state(unit).map(State::active).orElse(false);
  }

  /** Sets a known unit's state and persists it; returns whether it was active before. */
  synchronized boolean set(String unit, boolean active) {
    boolean before = active(unit);
    if (before != active) {
      change(unit, new State(active, clock.instant()));
      if (active) {
        started.put(unit, clock.instant());
      } else {
        started.remove(unit);
      }
    }
    return before;
  }

  /** A restart: the unit is active, since now. */
  synchronized void restart(String unit) {
    if (names.contains(unit)) {
      change(unit, new State(true, clock.instant()));
      started.put(unit, clock.instant());
    }
  }

  /**
   * When {@code systemctl} last started the unit, while it runs since then; empty for a unit that
   * runs since the seed, a reset or the lab's own start (a settled unit), or does not run.
   */
  synchronized Optional<Instant> startedAt(String unit) {
    return Optional.ofNullable(started.get(unit));
  }

  private void change(String unit, State state) {
    State previous = states.put(unit, state);
    try {
      save();
    } catch (RuntimeException e) {
      if (previous == null) {
        states.remove(unit);
      } else {
        states.put(unit, previous);
      }
      throw e;
    }
  }

  /** Every unit active from now on, as after the seed. */
  synchronized void resetAllActive() {
    states.clear();
    started.clear();
    Instant now = clock.instant();
    names.forEach(u -> states.put(u, new State(true, now)));
    save();
  }

  synchronized void load() {
    states.clear();
    started.clear();
    if (!Files.exists(file)) {
      return;
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("lab: cannot read " + file, e);
    }
    for (String unit : names) {
      String value = p.getProperty(unit);
      if (value != null) {
        String since = p.getProperty(unit + ".since");
        states.put(unit, new State("active".equals(value),
            since == null ? clock.instant() : Instant.parse(since)));
      }
    }
  }

  synchronized void save() {
    Properties p = new Properties();
    for (String unit : names) {
      State s = state(unit).orElseThrow();
      p.setProperty(unit, s.active() ? "active" : "inactive");
      p.setProperty(unit + ".since", s.since().toString());
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (Writer out = Files.newBufferedWriter(tmp)) {
        p.store(out, "lab node unit states (active|inactive)");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("lab: cannot write " + file, e);
    }
  }
}
