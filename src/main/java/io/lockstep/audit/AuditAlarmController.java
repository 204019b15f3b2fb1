package io.lockstep.audit;

import java.security.Principal;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The broken-chain banner of every page (the layout's {@code audit-alarm} fragment) and its
 * acknowledgement by an approver, which lands on the audit page's verification.
 */
@Controller
class AuditAlarmController {

  private final ChainAlarm alarm;

  AuditAlarmController(ChainAlarm alarm) {
    this.alarm = alarm;
  }

  @PostMapping("/audit/alarm/acknowledge")
  @PreAuthorize("hasRole('APPROVER')")
  String acknowledge(Principal user) {
    try {
      alarm.acknowledge(user.getName());
    } catch (IllegalStateException nothingRaised) {
      // acknowledged meanwhile by someone else: the verification shows the state either way
    }
    return "redirect:/audit/verify";
  }

  /** Gives every page the breaks not acknowledged yet, for the layout (null when there are none). */
  @ControllerAdvice
  static class Attributes {

    private final ChainAlarm alarm;

    Attributes(ChainAlarm alarm) {
      this.alarm = alarm;
    }

    @ModelAttribute("auditAlarm")
    ChainAlarm.Banner auditAlarm() {
      return ChainAlarm.Banner.of(alarm.open());
    }
  }
}
