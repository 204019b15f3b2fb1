package io.lockstep.logstream;

import java.io.IOException;
import java.io.InputStream;

/** An HTTP/1.1 body in chunked transfer coding, decoded: what {@link SseClient} reads events from. */
final class ChunkedBody extends InputStream {

  private final InputStream in;
  private int left;
  private boolean done;

  ChunkedBody(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (done) {
      return -1;
    }
    if (left == 0) {
      String size = SseClient.readLine(in);
      left = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (left == 0) {
        done = true;
        return -1;
      }
    }
    int n = in.read(buffer, offset, Math.min(length, left));
    if (n < 0) {
      throw new IOException("connection closed inside a chunk");
    }
    left -= n;
    if (left == 0) {
      SseClient.readLine(in);
    }
    return n;
  }
}
