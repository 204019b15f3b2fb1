package io.lockstep.migration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the migration planner reads and measures the platform (prefix {@code lockstep.migration}).
 *
 * @param hostServices services outside Kubernetes that keep data on the nodes (P1: their data
 *     directory may move, their node never); each node of a service is one row of the plan
 * @param parallelism how many measurements (du, df, find over SSH) run at once, over all nodes
 * @param measureTimeout how long one measurement may take on a node before it counts as failed;
 *     {@code du} of a large data directory is the slow one
 * @param pageWait how long a page or an htmx validation waits for measurements before it shows
 *     "measuring…" and asks again
 * @param sizeTtl how long a measured data size is reused: a page load measures afresh, edits and
 *     the save within this time reuse it
 * @param targetTtl how long the state of a target directory (absent, empty, free space) is reused
 *     while the operator edits; kept short because saving checks it again
 */
@Validated
@ConfigurationProperties("lockstep.migration")
public record MigrationProperties(
    @DefaultValue @Valid List<HostService> hostServices,
    @DefaultValue("8") @Positive int parallelism,
    @DefaultValue("10m") @NotNull @DurationMin(millis = 1) Duration measureTimeout,
    @DefaultValue("2s") @NotNull Duration pageWait,
    @DefaultValue("10m") @NotNull Duration sizeTtl,
    @DefaultValue("15s") @NotNull Duration targetTtl) {

  public MigrationProperties {
    hostServices = hostServices == null ? List.of() : List.copyOf(hostServices);
  }

  /**
   * A host service with a data directory on each of its nodes.
   *
   * @param name how the plan names it (row component); e.g. {@code proton-cr-registry}
   * @param unit its systemd unit
   * @param dataPath its data directory, the same on every node
   * @param nodes the nodes it runs on; a node's index in this list is the row's ordinal
   */
  public record HostService(@NotBlank String name, @NotBlank String unit, @NotBlank String dataPath,
      @NotEmpty List<String> nodes) {

    public HostService {
      nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }
  }
}
