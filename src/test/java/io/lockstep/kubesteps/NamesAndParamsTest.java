package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks every executor makes before it calls the API: names, kinds, selectors, param types. */
class NamesAndParamsTest {

  @Test
  void objectsAreWrittenKindSlashName() {
    assertThat(ObjectId.parse("Deployment/message-center", "anyshare", ObjectKind.SCALABLE))
        .hasToString("Deployment anyshare/message-center")
        .satisfies(id -> assertThat(id.keyPart()).isEqualTo("anyshare/Deployment/message-center"));
    assertThat(ObjectId.parse("PersistentVolume/pv-data.kafka-0", null, EnumSet.allOf(ObjectKind.class)))
        .hasToString("PersistentVolume pv-data.kafka-0")
        .satisfies(id -> assertThat(id.keyPart()).isEqualTo("PersistentVolume/pv-data.kafka-0"));
    for (String bad : List.of("web", "/web", "Deployment/", "Deployment/web/x", "Deployment//web")) {
      assertThatThrownBy(() -> ObjectId.parse(bad, "anyshare", ObjectKind.SCALABLE))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not written Kind/name");
    }
  }

  @Test
  void namesFollowDns1123() {
    assertThat(KubeNames.namespace("anyshare-2")).isEqualTo("anyshare-2");
    assertThat(KubeNames.node("node-1.example.com")).isEqualTo("node-1.example.com");
    for (String bad : List.of("Any", "-a", "a-", "a_b", "a.b", "a".repeat(64), "")) {
      assertThatThrownBy(() -> KubeNames.namespace(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    for (String bad : List.of("Node-1", "node..1", ".node", "node 1", "node/1", "a".repeat(254), "x\n")) {
      assertThatThrownBy(() -> KubeNames.node(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> KubeNames.node("x\ny")).hasMessageStartingWith("node name 'x?y' is not");
  }

  @Test
  void labelSelectorsAreCheckedAsKubectlWritesThem() {
    for (String good : List.of("app=web", "app==web", "app!=web", "app", "!app", "app in (web, api)",
        "app notin (web)", "node-role.kubernetes.io/master", "app=web,tier!=db", "app=")) {
      assertThat(LabelSelectors.check(good)).as(good).isEqualTo(good);
    }
    for (String bad : List.of("", "=web", "app=web,", "app in web", "app in (web", "app=we b", "a b=c",
        "app>1")) {
      assertThatThrownBy(() -> LabelSelectors.check(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(LabelSelectors.of(new LabelSelectorBuilder().addToMatchLabels("app", "web")
        .addNewMatchExpression().withKey("tier").withOperator("In").withValues("a", "b").endMatchExpression()
        .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist").endMatchExpression().build()))
        .isEqualTo("app=web,tier in (a,b),!canary");
    assertThat(LabelSelectors.and("app=web", null)).isEqualTo("app=web");
    assertThat(LabelSelectors.and("app=web", "tier=db")).isEqualTo("app=web,tier=db");
  }

  @Test
  void durationsAreWrittenAsProceduresWriteThem() {
    assertThat(Params.of("t", Map.of("d", "1h30m"), List.of("d")).duration("d")).contains(Duration.ofMinutes(90));
    assertThat(Params.of("t", Map.of("d", "500ms"), List.of("d")).duration("d")).contains(Duration.ofMillis(500));
    assertThat(Params.of("t", Map.of("d", Duration.ofSeconds(3)), List.of("d")).duration("d"))
        .contains(Duration.ofSeconds(3));
    for (Object bad : List.of("", "5", "5 m", "m5", "30s5m", "1m1m", 30)) {
      assertThatThrownBy(() -> Params.of("t", Map.of("d", bad), List.of("d")).duration("d")).as(String.valueOf(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("t: param 'd' must be a duration");
    }
  }

  @Test
  void aParamWithoutValueIsNamed() {
    Map<String, Object> params = new HashMap<>();
    params.put("node", null);
    assertThatThrownBy(() -> NodeParams.node("k8s.cordon", params))
        .hasMessage("k8s.cordon: param 'node' has no value");
  }

  @Test
  void unknownParamsAreAllNamed() {
    assertThatThrownBy(() -> Params.of("k8s.cordon", Map.of("nod", "x", "force", true), List.of("node")))
        .hasMessage("k8s.cordon: unknown params 'force', 'nod'; k8s.cordon takes node");
  }
}
