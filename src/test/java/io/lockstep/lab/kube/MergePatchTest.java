package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.zjsonpatch.JsonPatch;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MergePatchTest {

  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void nullRemovesAKeyAndObjectsMergeAsRfc7386Says() {
    JsonNode target = json.readTree("""
        {"spec":{"template":{"spec":{"nodeSelector":{"stop-by-admin":"true","zone":"a"}}},"replicas":3}}""");
    JsonNode patched = MergePatch.apply(target, json.readTree("""
        {"spec":{"template":{"spec":{"nodeSelector":{"stop-by-admin":null}}},"replicas":0}}"""));
    assertThat(patched.toString()).isEqualTo("""
        {"spec":{"template":{"spec":{"nodeSelector":{"zone":"a"}}},"replicas":0}}""");
  }

  @Test
  void strategicMergeDirectivesAreDropped() {
    JsonNode patched = MergePatch.apply(json.readTree("{\"a\":{\"b\":1}}"),
        json.readTree("{\"a\":{\"$retainKeys\":[\"b\"],\"c\":2}}"));
    assertThat(patched.toString()).isEqualTo("{\"a\":{\"b\":1,\"c\":2}}");
  }

  @Test
  void theDiffIsAJsonPatchThatTurnsSourceIntoTarget() {
    JsonNode source = json.readTree("{\"metadata\":{\"labels\":{\"a/b\":\"1\",\"x\":\"y\"}},\"list\":[1,2]}");
    JsonNode target = json.readTree("{\"metadata\":{\"labels\":{\"a/b\":\"2\"},\"annotations\":{\"k\":\"v\"}},\"list\":[3]}");
    assertThat(JsonPatch.apply(MergePatch.diff(source, target), source)).isEqualTo(target);
  }
}
