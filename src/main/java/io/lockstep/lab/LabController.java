package io.lockstep.lab;

import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Resets the lab to its seed, from the banner's button or the API. Operators only. */
@Controller
@Profile("lab")
class LabController {

  private final LabPlatform lab;

  LabController(LabPlatform lab) {
    this.lab = lab;
  }

  @PostMapping("/lab/reset")
  @PreAuthorize("hasRole('OPERATOR')")
  String reset(RedirectAttributes redirect) {
    lab.reset();
    redirect.addFlashAttribute("labReset", true);
    return "redirect:/inventory";
  }

  @PostMapping("/api/lab/reset")
  @PreAuthorize("hasRole('OPERATOR')")
  @ResponseBody
  ResponseEntity<Map<String, String>> resetApi() {
    lab.reset();
    return ResponseEntity.ok(Map.of("status", "reset", "api", lab.apiUrl()));
  }
}
