package io.lockstep.lab;

import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Tells every page that it runs on the lab, so the layout shows the lab banner. */
@ControllerAdvice
@Profile("lab")
class LabPageAttributes {

  private final LabPlatform lab;

  LabPageAttributes(LabPlatform lab) {
    this.lab = lab;
  }

  @ModelAttribute("labPlatform")
  LabPlatform labPlatform() {
    return lab;
  }
}
