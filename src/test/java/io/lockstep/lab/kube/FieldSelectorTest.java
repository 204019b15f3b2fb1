package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FieldSelectorTest {

  private final JsonNode pod = JsonMapper.builder().build().readTree("""
      {"metadata":{"name":"kafka-0","namespace":"resource"},"spec":{"nodeName":"node-5"},"status":{"phase":"Running"}}""");

  @Test
  void selectsByEqualityAndInequalityOfDottedFields() {
    assertThat(FieldSelector.parse("spec.nodeName=node-5").matches(pod)).isTrue();
    assertThat(FieldSelector.parse("spec.nodeName==node-5,status.phase!=Succeeded").matches(pod)).isTrue();
    assertThat(FieldSelector.parse("spec.nodeName=node-1").matches(pod)).isFalse();
    assertThat(FieldSelector.parse("metadata.name!=kafka-0").matches(pod)).isFalse();
    assertThat(FieldSelector.parse("spec.missing=").matches(pod)).isTrue();
  }

  @Test
  void isReadFromTheRequestAndRemovedForTheStore() {
    String path = "/api/v1/pods?labelSelector=app%3Dkafka&fieldSelector=spec.nodeName%3Dnode-5&limit=500";
    assertThat(FieldSelector.of(path).terms()).containsExactly(new FieldSelector.Term("spec.nodeName", "node-5", true));
    assertThat(FieldSelector.without(path)).isEqualTo("/api/v1/pods?labelSelector=app%3Dkafka&limit=500");
    assertThat(FieldSelector.of("/api/v1/pods").isEmpty()).isTrue();
  }
}
