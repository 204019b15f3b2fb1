package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * Writes an object's status in one request, the way controllers do: a JSON patch to the
 * {@code status} subresource that first tests the object's uid, so a status meant for a pod never
 * lands on a namesake created after it (a StatefulSet's {@code kafka-0} is deleted and created again
 * under the same name). A refused test, or an object that is gone, is a status nobody needs.
 */
final class StatusPatch {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private StatusPatch() {}

  /** Replaces the status of {@code current} (which names the object and its uid) with {@code status}. */
  static <T extends HasMetadata> void write(Resource<T> resource, T current, Object status) {
    List<Map<String, Object>> operations = List.of(
        Map.of("op", "test", "path", "/metadata/uid", "value", current.getMetadata().getUid()),
        Map.of("op", "add", "path", "/status", "value", status));
    try {
      resource.status().patch(PatchContext.of(PatchType.JSON), JSON.asJson(operations));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409 && e.getCode() != 422) {
        throw e;
      }
    }
  }
}
