package io.lockstep.lab.node;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Flushes after every write, so that each line (or each rsync progress update) leaves the SSH
 * channel at once instead of waiting for a full packet. Closing does not close the channel stream:
 * the SSH session owns it.
 */
final class FlushingOutputStream extends FilterOutputStream {

  FlushingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    out.flush();
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}
