package io.lockstep.lab.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.Objects;

/**
 * Which stored object a saved line is about: its collection path ({@code /api/v1/namespaces/NS/pods},
 * {@code /apis/GROUP/VERSION/PLURAL}) and its name. That is what the CRUD store keys an object by
 * (its labels aside), so a restored object lands exactly where the API put it, custom resources of
 * an unknown definition included.
 */
record StoreKey(String path, String name) {

  StoreKey {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(name, "name");
  }

  /**
   * The key of the store entry with these attributes (api group, version, plural, namespace, name);
   * a missing attribute is taken from {@code fallback} (the request path's), as the store itself
   * does for the plural. Group and version come together, from the set that names a version.
   *
   * @throws IllegalArgumentException when neither names the version, plural or name
   */
  static StoreKey of(AttributeSet attributes, AttributeSet fallback) {
    AttributeSet groupVersion = attributes.containsKey(KubernetesAttributesExtractor.VERSION) ? attributes : fallback;
    String group = value(KubernetesAttributesExtractor.API, groupVersion, null);
    String version = required(KubernetesAttributesExtractor.VERSION, groupVersion, null);
    String plural = required(KubernetesAttributesExtractor.PLURAL, attributes, fallback);
    String namespace = value(KubernetesAttributesExtractor.NAMESPACE, attributes, fallback);
    String name = required(KubernetesAttributesExtractor.NAME, attributes, fallback);
    String base = group == null ? "/api/" + version : "/apis/" + group + "/" + version;
    return new StoreKey(base + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural, name);
  }

  /** The query that finds this object's entry in the store. */
  AttributeSet query(LabDispatcher store) {
    return store.getKey(path).add(new Attribute(KubernetesAttributesExtractor.NAME, name));
  }

  private static String required(String key, AttributeSet attributes, AttributeSet fallback) {
    String value = value(key, attributes, fallback);
    if (value == null) {
      throw new IllegalArgumentException("a stored object without " + key + ": " + attributes);
    }
    return value;
  }

  private static String value(String key, AttributeSet attributes, AttributeSet fallback) {
    for (AttributeSet set : new AttributeSet[] {attributes, fallback}) {
      Attribute attribute = set == null ? null : set.getAttribute(key);
      if (attribute != null && !attribute.getValues().isEmpty()) {
        return attribute.getValues().get(0).toString();
      }
    }
    return null;
  }
}
