package io.lockstep.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses an {@code /api/**} request body larger than {@code lockstep.web.api-max-request-size} with
 * a 413 problem: at once when {@code Content-Length} says so (before authentication, so nobody makes
 * the console read megabytes), or as soon as a chunked body goes past it while being read.
 */
@Component
@Order(-200) // before Spring Security's filter chain (-100)
class ApiRequestSizeLimit extends OncePerRequestFilter {

  private final long max;

  ApiRequestSizeLimit(WebProperties properties) {
    this.max = properties.apiMaxRequestSize().toBytes();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !ApiPaths.isApi(request);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long length = request.getContentLengthLong();
    if (length > max) {
      Problems.write(response, 413, message(), ApiPaths.instance(request), Map.of());
      return;
    }
    chain.doFilter(length >= 0 ? request : new Limited(request, max, message()), response);
  }

  private String message() {
    return "The request body is larger than the API takes (" + Problems.size(max) + ").";
  }

  /** The {@link BodyTooLarge} somewhere in {@code e}'s causes, or null. */
  static BodyTooLarge tooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BodyTooLarge b) {
        return b;
      }
    }
    return null;
  }

  /** A body read past the limit. */
  static final class BodyTooLarge extends IOException {
    BodyTooLarge(String message) {
      super(message);
    }
  }

  /** A request whose body stream fails once it has given more than the limit. */
  private static final class Limited extends HttpServletRequestWrapper {
    private final long max;
    private final String message;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, long max, String message) {
      super(request);
      this.max = max;
      this.message = message;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream(), max, message);
      }
      return stream;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final long max;
    private final String message;
    private long read;

    Counting(ServletInputStream in, long max, String message) {
      this.in = in;
      this.max = max;
      this.message = message;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws BodyTooLarge {
      read += n;
      if (read > max) {
        throw new BodyTooLarge(message);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
