package io.lockstep.inventory;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The inventory page. The same template renders the full page and, for htmx refreshes, only its
 * {@code panels} fragment. When the API cannot be reached the page says so instead of failing.
 */
@Controller
class InventoryController {

  static final String PAGE = "inventory/index";
  static final String PANELS = "inventory/index :: panels";
  private static final Logger log = LoggerFactory.getLogger(InventoryController.class);

  private final Inventory inventory;

  InventoryController(Inventory inventory) {
    this.inventory = inventory;
  }

  @GetMapping("/inventory")
  String page(Model model) {
    read(model);
    return PAGE;
  }

  @GetMapping(value = "/inventory", headers = "HX-Request=true")
  String panels(Model model) {
    read(model);
    return PANELS;
  }

  @PostMapping(value = "/inventory/probe")
  String probeAgain(Model model) {
    inventory.forgetProbes();
    read(model);
    return PANELS;
  }

  @GetMapping("/api/inventory")
  @ResponseBody
  InventorySnapshot api() {
    return inventory.snapshot();
  }

  private void read(Model model) {
    try {
      model.addAttribute("inventory", inventory.snapshot());
    } catch (KubernetesClientException | IllegalStateException | java.io.UncheckedIOException e) {
      log.warn("inventory: cannot read the platform: {}", e.getMessage());
      model.addAttribute("apiError", e.getMessage());
    }
  }
}
