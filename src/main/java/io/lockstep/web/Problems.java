package io.lockstep.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problems as the API answers them: {@code type} (always {@code about:blank}: the status
 * says what kind of problem it is), {@code title} (the status's name), {@code status}, {@code detail}
 * (for a person; never exception text) and {@code instance} (the request's path).
 */
final class Problems {

  static final URI BLANK = URI.create("about:blank");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Text that comes from Java rather than from a person: exception and class names, parser messages. */
  private static final Pattern JAVA_TEXT = Pattern.compile(
      "For input string|No enum constant|Exception|Cannot (invoke|deserialize|construct|coerce)|"
          + "\\b(java|javax|jakarta|tools\\.jackson|com\\.fasterxml|org\\.springframework|io\\.lockstep)\\.|"
          + "\\tat |\\$[A-Z]|Unrecognized (field|token)|line: \\d+, column|Source: ");

  private Problems() {}

  static ProblemDetail of(HttpStatus status, String detail, String instance) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(BLANK);
    problem.setTitle(status.getReasonPhrase());
    if (instance != null) {
      problem.setInstance(URI.create(encodeForUri(instance)));
    }
    return problem;
  }

  /** What to say for a status when nothing more precise is known. */
  static String defaultDetail(int status) {
    return switch (status) {
      case 400 -> "The request is malformed.";
      case 401 -> "Authentication is required: HTTP Basic with a console user, or a personal API token"
          + " (Authorization: Bearer lst_…).";
      case 403 -> "Your roles do not allow this.";
      case 404 -> "There is nothing here.";
      case 405 -> "This path does not take that method.";
      case 406 -> "This path cannot answer in a media type the request accepts.";
      case 409 -> "This conflicts with the current state.";
      case 413 -> "The request body is too large.";
      case 414 -> "The URL is too long.";
      case 415 -> "This path does not take a body of that content type.";
      case 431 -> "The request's headers are too large.";
      case 503 -> "The console is not able to answer now; try again shortly.";
      default -> status >= 500 ? "Internal error." : "The request was refused.";
    };
  }

  /** Whether a message is Java's text (a parser, a conversion, an exception) rather than a person's. */
  static boolean isJavaText(String detail) {
    return detail == null || detail.isBlank() || JAVA_TEXT.matcher(detail).find();
  }

  /** The problem with a human detail: Java's text is replaced by the status's default. */
  static ProblemDetail humane(ProblemDetail problem) {
    if (isJavaText(problem.getDetail())) {
      problem.setDetail(defaultDetail(problem.getStatus()));
    } else {
      problem.setDetail(clean(problem.getDetail(), 2000));
    }
    if (problem.getType() == null) {
      problem.setType(BLANK);
    }
    HttpStatus status = HttpStatus.resolve(problem.getStatus());
    if (problem.getTitle() == null && status != null) {
      problem.setTitle(status.getReasonPhrase());
    }
    return problem;
  }

  /** Writes a problem to a response nothing has been written to yet. */
  static void write(HttpServletResponse response, int status, String detail, String instance,
      Map<String, Object> more) throws IOException {
    HttpStatus known = HttpStatus.resolve(status);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", BLANK.toString());
    body.put("title", known == null ? "Error" : known.getReasonPhrase());
    body.put("status", status);
    body.put("detail", detail);
    if (instance != null) {
      body.put("instance", encodeForUri(instance));
    }
    body.putAll(more);
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    byte[] bytes = JSON.writeValueAsBytes(body);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
    response.flushBuffer();
  }

  /** A size as people write it: 1 MB, 512 KB, 100 bytes. */
  static String size(long bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + " MB";
    }
    return bytes >= 1024 && bytes % 1024 == 0 ? bytes / 1024 + " KB" : bytes + " bytes";
  }

  /** A value shown back: at most {@code max} characters, control characters as '?'. */
  static String clean(String value, int max) {
    if (value == null) {
      return null;
    }
    String v = value.length() <= max ? value : value.substring(0, max) + "…";
    StringBuilder out = new StringBuilder(v.length());
    v.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) && c != '\n' ? '?' : c));
    return out.toString();
  }

  /** A path as a URI reference: what a URI cannot hold percent-encoded, valid escapes kept. */
  static String uri(String path) {
    return encodeForUri(path);
  }

  private static String encodeForUri(String path) {
    String clipped = path.length() <= 200 ? path : path.substring(0, 200);
    byte[] bytes = clipped.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < bytes.length; i++) {
      int c = bytes[i] & 0xff;
      boolean escape = c == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2]);
      boolean safe = escape || (c > 0x20 && c < 0x7f && "\"<>\\^`{|}%".indexOf(c) < 0);
      out.append(safe ? String.valueOf((char) c) : String.format("%%%02X", c));
    }
    return out.toString();
  }

  private static boolean isHex(byte b) {
    return Character.digit(b, 16) >= 0;
  }
}
