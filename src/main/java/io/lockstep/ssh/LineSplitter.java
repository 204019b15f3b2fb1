package io.lockstep.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a command's output stream into lines as the bytes arrive and hands each finished line on.
 *
 * <p>A line ends at {@code \n}, {@code \r\n} or a lone {@code \r} (rsync and other tools redraw
 * progress with {@code \r}; treating it as a line end makes the progress visible while it happens).
 * Line ends are cut on bytes, which is safe for UTF-8: no byte of a multi-byte character equals
 * {@code \r} or {@code \n}; each line is decoded as a whole, so characters split across network
 * packets come out whole. An empty piece before a {@code \r} is dropped (a redraw, not a line);
 * empty lines ended by {@code \n} are kept. A line longer than {@value #MAX_LINE} bytes is handed
 * on in pieces so that a command without line breaks cannot exhaust memory.
 */
final class LineSplitter extends OutputStream {

  static final int MAX_LINE = 64 * 1024;

  private final Consumer<String> lines;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private boolean afterCarriageReturn;
  private boolean finished;

  LineSplitter(Consumer<String> lines) {
    this.lines = lines;
  }

  @Override
  public synchronized void write(int b) {
    if (finished) {
      return;
    }
    if (b == '\n') {
      if (!afterCarriageReturn) {
        emit(true);
      }
      afterCarriageReturn = false;
      return;
    }
    afterCarriageReturn = b == '\r';
    if (afterCarriageReturn) {
      emit(false);
      return;
    }
    pending.write(b);
    if (pending.size() >= MAX_LINE) {
      emit(false);
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      write(bytes[i]);
    }
  }

  /** Hands on what is left of an unfinished last line; later output is ignored. Idempotent. */
  synchronized void finish() {
    if (!finished) {
      emit(false);
      finished = true;
    }
  }

  @Override
  public void close() {
    finish();
  }

  private void emit(boolean evenIfEmpty) {
    if (pending.size() > 0 || evenIfEmpty) {
      lines.accept(pending.toString(StandardCharsets.UTF_8));
      pending.reset();
    }
  }
}
