package io.lockstep.inventory;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the inventory reads the platform.
 *
 * @param operatorResources the custom resources that stand for operator-managed components
 *     (P1: nebula, mariadb, mongodb)
 * @param sshProbeTtl how long an SSH probe result is reused before the node is probed again
 */
@Validated
@ConfigurationProperties("lockstep.inventory")
public record InventoryProperties(
    @DefaultValue List<OperatorResource> operatorResources,
    @DefaultValue("20s") Duration sshProbeTtl) {

  public InventoryProperties {
    operatorResources = operatorResources == null || operatorResources.isEmpty()
        ? List.of(
            new OperatorResource("app.nebula-graph.io", "v1alpha1", "nebulaclusters", "NebulaCluster"),
            new OperatorResource("rds.proton.aishu.cn", "v1", "rdsmariadbclusters", "RDSMariaDBCluster"),
            new OperatorResource("mongodb.proton.aishu.cn", "v1", "mongodboperators", "MongodbOperator"))
        : List.copyOf(operatorResources);
  }

  /** A custom resource type: API group, version, plural and kind. */
  public record OperatorResource(String group, String version, String plural, String kind) {
    public String crd() {
      return plural + "." + group;
    }
  }
}
