package io.lockstep.system;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The page {@code /tokens}: the user's own API tokens, a form to create one (its value is shown on
 * the answer to the form and never again) and a button to revoke each. Open to every role.
 */
@Controller
class TokenPageController {

  static final String PAGE = "tokens/index";

  private final PersonalTokens tokens;
  private final Clock clock;

  TokenPageController(PersonalTokens tokens, Clock clock) {
    this.tokens = tokens;
    this.clock = clock;
  }

  @GetMapping("/tokens")
  String page(Principal user, Model model) {
    return show(user, new TokenForm(null, null), model);
  }

  /** Answers with the page itself rather than a redirect, so the value never sits in the session. */
  @PostMapping("/tokens")
  String create(@Valid @ModelAttribute("form") TokenForm form, BindingResult errors, Principal user, Model model,
      HttpServletResponse response) {
    if (!errors.hasErrors()) {
      model.addAttribute("issued", tokens.issue(user.getName(), form.toNewToken()));
      response.setHeader("Cache-Control", "no-store");
      form = new TokenForm(null, null);
    } else {
      tokens.refusedRequest(user.getName(), String.join("; ", errors.getFieldErrors().stream()
          .map(e -> e.getField() + " " + e.getDefaultMessage()).sorted().toList()));
    }
    return show(user, form, model);
  }

  @PostMapping("/tokens/{id}/revoke")
  String revoke(@PathVariable long id, Principal user, RedirectAttributes redirect) {
    redirect.addFlashAttribute("revoked", tokens.revoke(user.getName(), id).label());
    return "redirect:/tokens";
  }

  private String show(Principal user, TokenForm form, Model model) {
    model.addAttribute("form", form);
    model.addAttribute("tokens", tokens.of(user.getName()));
    model.addAttribute("now", clock.instant());
    model.addAttribute("times", new TimeText());
    return PAGE;
  }

  /**
   * The create form as typed.
   *
   * @param label what the token is for
   * @param expiresInDays days until it stops working; empty for never
   */
  record TokenForm(@NotBlank @Size(max = NewApiToken.MAX_LABEL) @Pattern(regexp = "\\P{Cc}*") String label,
      @Min(1) @Max(NewApiToken.MAX_DAYS) Integer expiresInDays) {
    NewApiToken toNewToken() {
      return new NewApiToken(label, expiresInDays);
    }
  }

  /** Instants as the page shows them: {@code 2026-11-25 20:00 UTC}, or — for none. */
  static final class TimeText {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
        .withZone(ZoneOffset.UTC);

    public String of(Instant instant) {
      return instant == null ? "—" : SHOWN.format(instant);
    }
  }
}
