package io.lockstep.procedure;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The procedures page and {@code GET /api/procedures}: every loaded procedure with its phases and
 * steps, and the problems of user files that were left out. Read-only.
 */
@Controller
class ProcedureController {

  static final String PAGE = "procedures/index";

  private final Procedures procedures;

  ProcedureController(Procedures procedures) {
    this.procedures = procedures;
  }

  @GetMapping("/procedures")
  String page(Model model) {
    model.addAttribute("definitions", procedures.definitions());
    model.addAttribute("problems", procedures.problems());
    model.addAttribute("userDir", procedures.userDir().toString());
    model.addAttribute("values", new ValueText());
    return PAGE;
  }

  @GetMapping("/api/procedures")
  @ResponseBody
  Listing api() {
    return new Listing(procedures.definitions(), procedures.problems());
  }

  /**
   * The catalog as JSON.
   *
   * @param procedures each procedure with {@code source}, {@code builtIn} and {@code contentHash}
   * @param problems the problems of user files left out
   */
  record Listing(List<Definition> procedures, List<Problem> problems) {}

  /** Values as a procedure file writes them, for the page: {@code 3m}, {@code node-1, node-2}, — for none. */
  static final class ValueText {
    public String of(Object value) {
      if (value instanceof Duration duration) {
        return Durations.format(duration);
      }
      if (value instanceof List<?> list) {
        return list.stream().map(this::of).collect(Collectors.joining(", "));
      }
      return value == null ? "—" : value.toString();
    }
  }
}
