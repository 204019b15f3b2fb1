package io.lockstep.audit;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The audit page. The same template renders the full page and, for htmx requests (filters,
 * paging, verify), only its {@code rows} fragment. A filter that does not parse is shown on the
 * page, not thrown at the user.
 */
@Controller
class AuditPageController {

  static final String PAGE = "audit/index";
  static final String ROWS = "audit/index :: rows";
  private static final String HTMX = "HX-Request=true";
  private static final String NOT_HISTORY_RESTORE = "!HX-History-Restore-Request";

  private final AuditLog log;
  private final ChainAlarm alarm;
  private final AuditProperties properties;

  AuditPageController(AuditLog log, ChainAlarm alarm, AuditProperties properties) {
    this.log = log;
    this.alarm = alarm;
    this.properties = properties;
  }

  @GetMapping("/audit")
  String page(AuditFilterForm query, Model model) {
    show(query, null, model);
    return PAGE;
  }

  @GetMapping(value = "/audit", headers = {HTMX, NOT_HISTORY_RESTORE})
  String rows(AuditFilterForm query, Model model) {
    show(query, null, model);
    return ROWS;
  }

  @GetMapping("/audit/verify")
  String verifyPage(AuditFilterForm query, Model model) {
    show(query, alarm.verify(), model);
    return PAGE;
  }

  @GetMapping(value = "/audit/verify", headers = {HTMX, NOT_HISTORY_RESTORE})
  String verifyRows(AuditFilterForm query, Model model) {
    show(query, alarm.verify(), model);
    return ROWS;
  }

  /** Fills the model; with a broken verification, shows the page holding the first broken row. */
  private void show(AuditFilterForm query, Verification verification, Model model) {
    model.addAttribute("types", log.types());
    model.addAttribute("verification", verification);
    AuditFilter filter;
    try {
      filter = query.toFilter();
    } catch (IllegalArgumentException e) {
      model.addAttribute("query", query);
      model.addAttribute("filterError", e.getMessage());
      return;
    }
    int size = properties.pageSize();
    AuditFilterForm shown = verification != null && verification.brokenSeq() != null
        ? query.onPage(log.pageOf(filter, query.auditOrder(), verification.brokenSeq(), size))
        : query;
    model.addAttribute("query", shown);
    model.addAttribute("entries", log.page(filter, shown.auditOrder(), shown.pageNumber(), size));
  }
}
