package io.lockstep.kubernetes;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The Kubernetes API's state on every page (the layout's banner, refreshed by htmx while the page
 * is open) and as JSON for scripts.
 */
@Controller
class ApiStatusController {

  private final ApiAvailability availability;

  ApiStatusController(ApiAvailability availability) {
    this.availability = availability;
  }

  @GetMapping("/kubernetes/api-status")
  String banner(Model model) {
    model.addAttribute("apiStatus", availability.status());
    return "kubernetes/api-status :: banner";
  }

  @GetMapping(value = "/api/kubernetes/status", produces = "application/json")
  @ResponseBody
  ApiAvailability.Status json() {
    return availability.status();
  }

  /** Gives every page the last known state, for the layout. */
  @ControllerAdvice
  static class Attributes {

    private final ApiAvailability availability;

    Attributes(ApiAvailability availability) {
      this.availability = availability;
    }

    @ModelAttribute("apiStatus")
    ApiAvailability.Status apiStatus() {
      return availability.status();
    }
  }
}
