package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProtonConfTest {

  @Test
  void theSeededConfigurationListsTheMastersAndEveryComponentInOrdinalOrder() {
    ProtonConf conf = ProtonConf.seeded(RunningLab.seed());
    assertThat(conf.machines()).containsExactly(new ProtonConf.Machine("node-1", "127.0.10.1"),
        new ProtonConf.Machine("node-2", "127.0.10.2"), new ProtonConf.Machine("node-3", "127.0.10.3"));
    assertThat(conf.placement("proton_policy_engine"))
        .contains(new Placement(List.of("node-1", "node-2"), "/sysvol/policy-engine/data"));
    assertThat(conf.yaml()).contains("cs:", "provisioner: local", "container_runtime: docker", "ha_port: 16643",
        "kafka:", "data_path: /sysvol/kafka/kafka_data", "admin_user: root");
  }

  @Test
  void survivesARoundTripWithSectionsItDoesNotInterpret() {
    String edited = ProtonConf.seeded(RunningLab.seed()).yaml() + "monitoring:\n  enabled: true\n";
    assertThat(ProtonConf.parse(ProtonConf.parse(edited).yaml()).yaml()).contains("monitoring:", "enabled: true");
  }

  @Test
  void refusesWhatIsNotAClusterConfiguration() {
    assertThatThrownBy(() -> ProtonConf.parse("just text")).hasMessageContaining("not a YAML mapping");
    assertThatThrownBy(() -> ProtonConf.parse("apiVersion: v1\n")).hasMessageContaining(".nodes and .cs are required");
  }
}
