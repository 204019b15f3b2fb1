package io.lockstep.lab;

import java.security.Principal;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Resets the lab to its seed, from the banner's button or the API. Operators only; audited. */
@Controller
@Profile("lab")
class LabController {

  private final LabPlatform lab;
  private final ApplicationEventPublisher events;

  LabController(LabPlatform lab, ApplicationEventPublisher events) {
    this.lab = lab;
    this.events = events;
  }

  @PostMapping("/lab/reset")
  @PreAuthorize("hasRole('OPERATOR')")
  String reset(Principal user, RedirectAttributes redirect) {
    reset(user);
    redirect.addFlashAttribute("labReset", true);
    return "redirect:/inventory";
  }

  @PostMapping("/api/lab/reset")
  @PreAuthorize("hasRole('OPERATOR')")
  @ResponseBody
  ResponseEntity<Map<String, String>> resetApi(Principal user) {
    reset(user);
    return ResponseEntity.ok(Map.of("status", "reset", "api", lab.apiUrl()));
  }

  private void reset(Principal user) {
    lab.reset();
    events.publishEvent(new LabWasReset(user.getName(), lab.apiUrl()));
  }
}
