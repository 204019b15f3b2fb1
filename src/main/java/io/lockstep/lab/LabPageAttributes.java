package io.lockstep.lab;

import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Tells every page that it runs on the lab, so the layout shows the lab banner ("Nothing here
 * touches a real cluster"); only once {@link LabGuard} has found that the lab is all the console
 * reaches.
 */
@ControllerAdvice
@Profile("lab")
class LabPageAttributes {

  private final LabPlatform lab;
  private final LabGuard guard;

  LabPageAttributes(LabPlatform lab, LabGuard guard) {
    this.lab = lab;
    this.guard = guard;
  }

  @ModelAttribute("labPlatform")
  LabPlatform labPlatform() {
    return guard.verified() ? lab : null;
  }
}
