package io.lockstep.logstream;

import org.springframework.stereotype.Component;

/**
 * Settings the {@code logstream/panel :: panel(runId)} fragment reads as {@code @logPanel}, so a page
 * that includes the panel needs to put nothing into its model.
 */
@Component("logPanel")
class LogPanel {

  private final LogstreamProperties properties;

  LogPanel(LogstreamProperties properties) {
    this.properties = properties;
  }

  /** How many lines the panel keeps in the page; older ones are removed as new ones arrive. */
  public int keep() {
    return properties.tail();
  }
}
