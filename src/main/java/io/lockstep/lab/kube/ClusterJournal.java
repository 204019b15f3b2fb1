package io.lockstep.lab.kube;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only file of lines, one change of the lab cluster each (the format is {@link
 * ClusterStorage}'s). A line is complete, and counts, once its {@code '\n'} is in the file.
 *
 * <p><b>Durability.</b> {@link #append} hands the line to the operating system with
 * {@code write(2)} (no buffer in the JVM) before it returns. The kernel keeps what it was handed
 * when the JVM dies, SIGKILL included, so an appended line survives a crash of the process. There
 * is no {@code fsync}: a power loss or a kernel crash may lose the last lines — the same promise
 * the console's H2 database gives with {@code WRITE_DELAY=0}, and the one a crash rehearsal needs.
 *
 * <p><b>Torn lines.</b> A process killed in the middle of a {@code write} can leave the start of a
 * line without its end. Such a line was never acknowledged (the change waits for the write), so
 * {@link #read} leaves it out and {@link #openForAppend} cuts it off before appending again.
 *
 * <p>{@link RandomAccessFile} rather than a {@code FileChannel}: an interrupted thread closes a
 * channel for every other thread, and the lab's store writes from whatever thread asked it to.
 */
final class ClusterJournal implements Closeable {

  private final Path file;
  private final RandomAccessFile out;
  private long size;

  private ClusterJournal(Path file, RandomAccessFile out, long size) {
    this.file = file;
    this.out = out;
    this.size = size;
  }

  /** Opens {@code file} for appending after its last complete line, creating it if missing. */
  static ClusterJournal openForAppend(Path file) {
    try {
      RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw");
      try {
        long complete = completeLength(out);
        out.setLength(complete);
        out.seek(complete);
        return new ClusterJournal(file, out, complete);
      } catch (IOException | RuntimeException e) {
        out.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the lab cluster journal " + file, e);
    }
  }

  /** The complete lines of a journal file, in order, without their {@code '\n'}; a torn last line is left out. */
  static List<String> read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the lab cluster journal " + file, e);
    }
    int complete = bytes.length;
    while (complete > 0 && bytes[complete - 1] != '\n') {
      complete--;
    }
    // decoded only up to the last '\n': a torn line may end inside a multi-byte character
    String text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      lines.add(text.substring(start, end));
      start = end + 1;
    }
    return lines;
  }

  /**
   * Writes {@code lines} (each ending in {@code '\n'}) to the operating system before returning.
   * When the write fails the file is cut back to where it was, so that no partial line stays in
   * front of the next one, and the failure is thrown.
   */
  synchronized void append(byte[] lines) {
    try {
      out.write(lines);
      size += lines.length;
    } catch (IOException e) {
      try {
        out.setLength(size);
        out.seek(size);
      } catch (IOException cut) {
        e.addSuppressed(cut);
      }
      throw new UncheckedIOException("cannot write to the lab cluster journal " + file, e);
    }
  }

  /** Bytes written so far (complete lines only). */
  synchronized long size() {
    return size;
  }

  Path file() {
    return file;
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the lab cluster journal " + file, e);
    }
  }

  /** The length of the file up to and including its last {@code '\n'}. */
  private static long completeLength(RandomAccessFile file) throws IOException {
    byte[] block = new byte[8192];
    long end = file.length();
    while (end > 0) {
      int n = (int) Math.min(block.length, end);
      file.seek(end - n);
      file.readFully(block, 0, n);
      for (int i = n - 1; i >= 0; i--) {
        if (block[i] == '\n') {
          return end - n + i + 1;
        }
      }
      end -= n;
    }
    return 0;
  }
}
